/** The scheduler: answers queue commands, records heartbeats and results, and (as leader) schedules. */
import { Heartbeat, QueueJobsRequest, type Subjects, TaskUpdate } from '@scale/contracts';
import type { Orm } from '@scale/db';
import {
  type Consumption,
  consumeDurable,
  ensureDurableConsumer,
  ensureStreams,
  jetstream,
  type Logger,
  type NatsConnection,
  serveCommand,
} from '@scale/runtime';
import { applyTaskUpdate } from './adapters/executions.ts';
import { acquireLease, releaseLease } from './adapters/lease.ts';
import { recordHeartbeat } from './adapters/nodes.ts';
import { relayOutbox } from './adapters/outbox.ts';
import { queueJobs } from './adapters/queue-jobs.ts';
import { schedulingPass } from './adapters/scheduling-pass.ts';
import type { Config } from './config.ts';

export interface SchedulerDeps {
  orm: Orm;
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  config: Pick<Config, 'schedulerId' | 'scheduleIntervalMs' | 'leaseMs' | 'nodeLostMs' | 'queueWindow'>;
}

export interface Scheduler {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Current lease epoch, or null while standing by. */
  epoch(): number | null;
}

export function buildScheduler({ orm, nc, subjects, log, config }: SchedulerDeps): Scheduler {
  const js = jetstream(nc);
  let epoch: number | null = null;
  let running = false;
  let passTimer: NodeJS.Timeout | undefined;
  let leaseTimer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  const stops: (() => Promise<void>)[] = [];

  async function renewLease(): Promise<void> {
    try {
      const next = await acquireLease(orm.em.fork(), config.schedulerId, config.leaseMs);
      if (next !== epoch) log.info({ epoch: next }, next === null ? 'standing by' : 'leading');
      epoch = next;
    } catch (err) {
      log.warn({ err }, 'lease renewal failed');
      epoch = null;
    }
  }

  async function relay(): Promise<void> {
    while ((await relayOutbox(orm, js)) > 0) {}
  }

  async function pass(): Promise<void> {
    if (epoch !== null) {
      const leaderEpoch = epoch;
      const result = await orm.em.fork().transactional((em) =>
        schedulingPass(em, {
          subjects,
          holder: config.schedulerId,
          epoch: leaderEpoch,
          nodeLostMs: config.nodeLostMs,
          window: config.queueWindow,
        }),
      );
      if (result.fenced) {
        log.warn({ epoch: leaderEpoch }, 'lost the lease during a pass');
        epoch = null;
      } else if (result.launched || result.lostNodes) {
        log.info(result, 'scheduling pass');
      }
    }
    await relay();
  }

  async function runLoop(): Promise<void> {
    while (running) {
      try {
        await pass();
      } catch (err) {
        log.error({ err }, 'scheduling pass failed');
      }
      if (!running) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        passTimer = setTimeout(resolve, config.scheduleIntervalMs);
      });
      clearTimeout(passTimer);
    }
  }

  /** Runs the next pass now instead of at the next tick (new jobs, ended executions, new nodes). */
  function nudge(): void {
    wake?.();
  }

  return {
    epoch: () => epoch,
    async start() {
      await ensureStreams(nc, subjects);
      await ensureDurableConsumer(
        nc,
        subjects.streams.agent.name,
        subjects.consumers.schedulerTaskUpdates,
        subjects.taskUpdate(),
      );

      const queue = serveCommand(
        nc,
        subjects.command('scheduler', 'queue-jobs'),
        QueueJobsRequest,
        async (request) => {
          const result = await orm.em.fork().transactional((em) => queueJobs(em, subjects, request));
          nudge();
          return result;
        },
        log,
      );
      stops.push(() => queue.stop());

      const beats = nc.subscribe(subjects.heartbeat(), {
        callback: (err, msg) => {
          if (err) return;
          const beat = Heartbeat.safeParse(msg.json());
          if (!beat.success) {
            log.warn({ issues: beat.error.issues }, 'malformed heartbeat ignored');
            return;
          }
          recordHeartbeat(orm.em.fork(), beat.data).then(nudge, (error: unknown) =>
            log.warn({ err: error }, 'heartbeat not recorded'),
          );
        },
      });
      stops.push(async () => beats.unsubscribe());

      const updates: Consumption = await consumeDurable(
        nc,
        subjects.streams.agent.name,
        subjects.consumers.schedulerTaskUpdates,
        TaskUpdate,
        async (update) => {
          const outcome = await orm.em.fork().transactional((em) => applyTaskUpdate(em, subjects, update));
          if (outcome === 'stale')
            log.warn({ token: update.token, status: update.status }, 'stale task update rejected');
          else if (update.status !== 'RUNNING') nudge();
        },
        log,
      );
      stops.push(() => updates.stop());

      await renewLease();
      leaseTimer = setInterval(() => void renewLease(), Math.max(250, Math.floor(config.leaseMs / 3)));
      running = true;
      loop = runLoop();
    },
    async stop() {
      running = false;
      clearInterval(leaseTimer);
      nudge();
      await loop;
      for (const stop of stops.reverse()) await stop();
      if (epoch !== null) await releaseLease(orm.em.fork(), config.schedulerId).catch(() => undefined);
      epoch = null;
    },
  };
}
