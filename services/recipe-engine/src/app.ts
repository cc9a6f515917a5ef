/**
 * The recipe engine: answers recipes.create and recipes.reprocess, follows job status events, and sweeps for
 * recipes that need advancing. State lives in Postgres only; any number of replicas may run.
 */
import { CreateRecipeRequest, JobStatusEvent, ReprocessRecipeRequest, type Subjects } from '@scale/contracts';
import type { Orm } from '@scale/db';
import { ensureDurableConsumer, ensureStreams, type Logger, type NatsConnection, serveCommand } from '@scale/runtime';
import { type Consumption, consumeConcurrently } from './adapters/nats/consumer.ts';
import { natsScheduler } from './adapters/nats/scheduler.ts';
import type { Config } from './config.ts';
import { onJobStatus } from './handlers/job-status.ts';
import { createRecipeHandler, reprocessRecipeHandler } from './handlers/recipe-commands.ts';
import { sweeper } from './handlers/sweep.ts';
import { createRunner } from './runner.ts';

export interface RecipeEngineDeps {
  orm: Orm;
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  config: Pick<Config, 'engineId' | 'leaseMs' | 'sweepMs' | 'staleMs' | 'concurrency' | 'commandTimeoutMs'>;
  /** A failpoint for fault tests; see RunnerDeps. */
  afterJobsCreated?: () => void;
}

export interface RecipeEngine {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Runs one sweep now (tests and benchmarks); resolves with the number of recipes it advanced. */
  sweep(): Promise<number>;
}

export function buildRecipeEngine({
  orm,
  nc,
  subjects,
  log,
  config,
  afterJobsCreated,
}: RecipeEngineDeps): RecipeEngine {
  const scheduler = natsScheduler(nc, subjects, config.commandTimeoutMs);
  const runner = createRunner({
    orm,
    scheduler,
    log,
    engineId: config.engineId,
    leaseMs: config.leaseMs,
    ...(afterJobsCreated ? { afterJobsCreated } : {}),
  });
  const sweep = sweeper(orm, runner, log, { staleMs: config.staleMs, batch: config.concurrency * 4 });
  const stops: (() => Promise<void>)[] = [];
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> = Promise.resolve();

  return {
    sweep,
    async start() {
      await ensureStreams(nc, subjects);
      await ensureDurableConsumer(
        nc,
        subjects.streams.events.name,
        subjects.consumers.recipeEngineJobEvents,
        subjects.jobStatusEvent(),
      );
      for (const served of [
        serveCommand(
          nc,
          subjects.command('recipes', 'create'),
          CreateRecipeRequest,
          createRecipeHandler(orm, runner, log),
          log,
        ),
        serveCommand(
          nc,
          subjects.command('recipes', 'reprocess'),
          ReprocessRecipeRequest,
          reprocessRecipeHandler(orm, runner, log),
          log,
        ),
      ]) {
        stops.push(() => served.stop());
      }
      const events: Consumption = await consumeConcurrently(
        nc,
        subjects.streams.events.name,
        subjects.consumers.recipeEngineJobEvents,
        JobStatusEvent,
        onJobStatus(orm, runner),
        log,
        config.concurrency,
      );
      stops.push(() => events.stop());
      sweepTimer = setInterval(() => {
        // One sweep at a time: a slow one is not stacked under the next tick.
        sweeping = sweeping.then(() => sweep().catch((err: unknown) => log.warn({ err }, 'sweep failed')));
      }, config.sweepMs);
      // Whatever a previous run left half-done is picked up at once, not after the first tick.
      sweeping = sweep().catch((err: unknown) => log.warn({ err }, 'sweep failed'));
    },
    async stop() {
      clearInterval(sweepTimer);
      for (const stop of stops.reverse()) await stop();
      await sweeping;
      await runner.idle();
    },
  };
}
