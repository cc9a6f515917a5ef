/** The scheduler: answers commands, records heartbeats and results, and (as leader) schedules and repairs. */
import {
  CancelJobsRequest,
  Heartbeat,
  QueueJobsRequest,
  RecipeJobsRequest,
  RequeueJobsRequest,
  type Subjects,
  TaskUpdate,
  UpdateNodeRequest,
  UpdateSchedulerRequest,
} from '@scale/contracts';
import type { EntityManager, Orm } from '@scale/db';
import {
  consumeDurable,
  consumeDurableBatches,
  ensureDurableConsumer,
  ensureStreams,
  jetstream,
  type Logger,
  type NatsConnection,
  serveCommand,
  ValidationError,
} from '@scale/runtime';
import { z } from 'zod';
import { cancelJobs } from './adapters/cancel-jobs.ts';
import { applyTaskUpdates } from './adapters/executions.ts';
import { recordHeartbeat } from './adapters/heartbeats.ts';
import { acquireLease, releaseLease } from './adapters/lease.ts';
import { sampleJobLoad } from './adapters/load.ts';
import { OutboxPublisher, relayOutbox, takeWritten } from './adapters/outbox.ts';
import { forgetExpiredKeys, queueJobs } from './adapters/queue-jobs.ts';
import { recipeJobs } from './adapters/recipe-jobs.ts';
import { requeueJobs } from './adapters/requeue-jobs.ts';
import { RevisionCache } from './adapters/revisions.ts';
import { schedulingPass } from './adapters/scheduling-pass.ts';
import { updateNode, updateScheduler } from './adapters/settings.ts';
import type { Config } from './config.ts';
import { HeartbeatWatch } from './domain/heartbeat-watch.ts';

function parseCommand<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw ValidationError.fromZod('invalid queued command payload', parsed.error.issues);
  return parsed.data;
}

export interface SchedulerDeps {
  orm: Orm;
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  config: Pick<
    Config,
    | 'schedulerId'
    | 'scheduleIntervalMs'
    | 'leaseMs'
    | 'nodeLostMs'
    | 'queueWindow'
    | 'launchTimeoutMs'
    | 'timeoutGraceMs'
    | 'loadSampleMs'
  > &
    Partial<Pick<Config, 'maxLaunchesPerPass'>>;
}

export interface Scheduler {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Current lease epoch, or null while standing by. */
  epoch(): number | null;
}

export function buildScheduler({ orm, nc, subjects, log, config }: SchedulerDeps): Scheduler {
  const js = jetstream(nc);
  const publisher = new OutboxPublisher(orm, js, log);
  let epoch: number | null = null;
  let running = false;
  let capacity: string | undefined;
  const revisions = new RevisionCache();
  const heartbeats = new HeartbeatWatch();
  let lastLoadSample = 0;
  let lastWatchdog = 0;
  // Lost nodes and stuck executions are looked for at least four times per node-lost deadline, and every second.
  const watchdogIntervalMs = Math.min(1000, config.nodeLostMs / 4);
  let passTimer: NodeJS.Timeout | undefined;
  let leaseTimer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  /** A nudge arrived while a pass ran: the loop runs again at once instead of sleeping through it. */
  let nudged = false;
  let relaying: Promise<void> | undefined;
  let relayAgain = false;
  let loop: Promise<void> | undefined;
  const stops: (() => Promise<void>)[] = [];

  async function renewLease(): Promise<void> {
    try {
      const next = await acquireLease(orm.em.fork(), config.schedulerId, config.leaseMs);
      if (next !== epoch) log.info({ epoch: next }, next === null ? 'standing by' : 'leading');
      if (next !== epoch) capacity = undefined; // a new leader re-checks parked jobs once
      epoch = next;
    } catch (err) {
      log.warn({ err }, 'lease renewal failed');
      heartbeats.listening(performance.now());
      epoch = null;
    }
  }

  async function relay(): Promise<void> {
    while ((await relayOutbox(orm, js, 200, publisher.skip())) > 0) {}
  }

  /**
   * Runs `work` in one transaction and, once it committed, publishes the messages it wrote to the outbox at once
   * (the relay publishes them if this process dies first, or when there are too many for one go).
   */
  async function transact<R>(work: (em: EntityManager) => Promise<R>): Promise<R> {
    let written: ReturnType<typeof takeWritten>;
    const result = await orm.em.fork().transactional(async (em) => {
      const value = await work(em);
      written = takeWritten(em);
      return value;
    });
    if (!publisher.publish(written)) relaySoon();
    return result;
  }

  /**
   * Publishes what a command or task update just committed without waiting for the next pass (a recipe's next job
   * waits on these events). Calls while a relay runs are folded into one more round.
   */
  function relaySoon(): void {
    if (relaying) {
      relayAgain = true;
      return;
    }
    relaying = (async () => {
      do {
        relayAgain = false;
        await relay().catch((err: unknown) => log.warn({ err }, 'outbox relay failed; the next pass retries'));
      } while (relayAgain);
    })().finally(() => {
      relaying = undefined;
    });
  }

  async function pass(): Promise<void> {
    if (epoch !== null) {
      const leaderEpoch = epoch;
      const started = performance.now();
      // Repairs judge by deadlines: only once heartbeats and task updates have been heard for a whole one.
      const watchdog =
        Date.now() - lastWatchdog >= watchdogIntervalMs && heartbeats.canJudge(performance.now(), config.nodeLostMs);
      if (watchdog) lastWatchdog = Date.now();
      const result = await transact((em) =>
        schedulingPass(em, {
          subjects,
          holder: config.schedulerId,
          epoch: leaderEpoch,
          window: config.queueWindow,
          revisions,
          ...(config.maxLaunchesPerPass === undefined ? {} : { maxLaunches: config.maxLaunchesPerPass }),
          nodeLostMs: config.nodeLostMs,
          launchTimeoutMs: config.launchTimeoutMs,
          timeoutGraceMs: config.timeoutGraceMs,
          previousCapacity: capacity,
          watchdog,
        }),
      );
      if (result.fenced) {
        log.warn({ epoch: leaderEpoch }, 'lost the lease during a pass');
        epoch = null;
      } else {
        capacity = result.capacity;
        // Stopped at its launch budget with the queue still full: the next pass follows at once.
        if (result.saturated) nudged = true;
        if (result.launched || result.lostNodes || result.repaired || result.parked) {
          const { capacity: _, ...counts } = result;
          log.info({ ...counts, durationMs: Math.round((performance.now() - started) * 100) / 100 }, 'scheduling pass');
        }
      }
      if (epoch !== null && Date.now() - lastLoadSample >= config.loadSampleMs) {
        lastLoadSample = Date.now();
        await sampleJobLoad(orm.em.fork());
        // Folds the job count deltas the list endpoints keep (docs/queries.md) even when nobody lists jobs.
        await orm.em.fork().execute('select job_count_compact()');
        await forgetExpiredKeys(orm.em.fork());
      }
    }
    // Leftovers only (transactions publish their own messages): a crash's, a failed publish's, another replica's.
    relaySoon();
  }

  /** While NATS is disconnected heartbeats are missed: no node is judged lost until a deadline after it is back. */
  async function watchConnection(): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        heartbeats.deaf();
        log.warn('NATS disconnected: no node is judged lost until heartbeats have been heard again for a deadline');
      } else if (status.type === 'reconnect') {
        heartbeats.listening(performance.now());
      }
    }
  }

  async function runLoop(): Promise<void> {
    while (running) {
      nudged = false;
      try {
        await pass();
      } catch (err) {
        log.error({ err }, 'scheduling pass failed');
        // Postgres may be what failed, and then heartbeats went unrecorded too: nodes are judged a deadline later.
        heartbeats.listening(performance.now());
      }
      if (!running) break;
      if (nudged) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        passTimer = setTimeout(resolve, config.scheduleIntervalMs);
      });
      clearTimeout(passTimer);
    }
  }

  /** Runs the next pass now instead of at the next tick (new jobs, ended executions, new nodes). */
  function nudge(): void {
    nudged = true;
    wake?.();
  }

  /** Serves a command whose handler runs in one transaction, then wakes the scheduling loop. */
  function command<S extends z.ZodType, R>(
    verb: string,
    schema: S,
    handler: (em: EntityManager, request: z.infer<S>) => Promise<R>,
  ) {
    const served = serveCommand(
      nc,
      subjects.command('scheduler', verb),
      schema,
      async (request) => {
        const result = await transact((em) => handler(em, request));
        nudge();
        return result;
      },
      log,
    );
    stops.push(() => served.stop());
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

      command('queue-jobs', QueueJobsRequest, (em, request) => queueJobs(em, subjects, request));
      command('cancel-jobs', CancelJobsRequest, (em, request) => cancelJobs(em, subjects, request));
      command('requeue-jobs', RequeueJobsRequest, (em, request) => requeueJobs(em, subjects, request));
      command('recipe-jobs', RecipeJobsRequest, (em, request) => recipeJobs(em, subjects, request));
      command('update-node', UpdateNodeRequest, (em, request) => updateNode(em, request));
      command('update-scheduler', UpdateSchedulerRequest, (em, request) => updateScheduler(em, request));

      const beats = nc.subscribe(subjects.heartbeat(), {
        callback: (err, msg) => {
          if (err) return;
          const beat = Heartbeat.safeParse(msg.json());
          if (!beat.success) {
            log.warn({ issues: beat.error.issues }, 'malformed heartbeat ignored');
            return;
          }
          transact((em) => recordHeartbeat(em, subjects, beat.data)).then(
            ({ changed }) => {
              if (changed) nudge();
            },
            (error: unknown) => log.warn({ err: error }, 'heartbeat not recorded'),
          );
        },
      });
      stops.push(async () => beats.unsubscribe());
      heartbeats.listening(performance.now());
      void watchConnection();

      const updates = await consumeDurableBatches(
        nc,
        subjects.streams.agent.name,
        subjects.consumers.schedulerTaskUpdates,
        TaskUpdate,
        async (batch) => {
          const list = batch.map(({ data }) => data);
          const outcomes = await transact((em) => applyTaskUpdates(em, subjects, list));
          let ended = false;
          list.forEach((update, i) => {
            if (outcomes[i] === 'stale')
              log.warn({ token: update.token, status: update.status }, 'stale task update rejected');
            else if (update.status !== 'RUNNING') ended = true;
          });
          if (ended) nudge();
        },
        log,
        { maxBatch: 500, maxWaitMs: 20 },
      );
      stops.push(() => updates.stop());

      // Durable commands (v6 bulk cancel/requeue answer 202 once stored): applied one at a time, in order, across all
      // instances (max_ack_pending 1); cancelJobs and requeueJobs are idempotent by their guards, so a redelivery
      // changes nothing.
      const queued: Record<string, (em: EntityManager, payload: unknown) => Promise<unknown>> = {
        'cancel-jobs': (em, payload) => cancelJobs(em, subjects, parseCommand(CancelJobsRequest, payload)),
        'requeue-jobs': async (em, payload) => {
          const { requeued } = await requeueJobs(em, subjects, parseCommand(RequeueJobsRequest, payload));
          return { requeued };
        },
      };
      await ensureDurableConsumer(
        nc,
        subjects.streams.commands.name,
        subjects.consumers.schedulerCommands,
        subjects.queuedCommands('scheduler'),
        120_000,
        1,
      );
      const commands = await consumeDurable(
        nc,
        subjects.streams.commands.name,
        subjects.consumers.schedulerCommands,
        z.unknown(),
        async (payload, raw) => {
          const verb = raw.subject.slice(raw.subject.lastIndexOf('.') + 1);
          const apply = queued[verb];
          if (!apply) throw ValidationError.field('subject', `unknown queued command "${verb}"`);
          const result = await transact((em) => apply(em, payload));
          log.info({ verb, result }, 'queued command applied');
          nudge();
        },
        log,
        1,
      );
      stops.push(() => commands.stop());

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
      await publisher.idle();
      await relaying;
      for (const stop of stops.reverse()) await stop();
      if (epoch !== null) await releaseLease(orm.em.fork(), config.schedulerId).catch(() => undefined);
      epoch = null;
    },
  };
}
