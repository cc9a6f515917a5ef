/** The node agent, wired from its dependencies: build(deps) → { start, stop }. main.ts is the only caller in production. */
import { setTimeout as sleep } from 'node:timers/promises';
import { subjectsFor } from '@scale/contracts';
import {
  type Consumption,
  ensureDurableConsumer,
  ensureStreams,
  jetstream,
  type Logger,
  type NatsConnection,
} from '@scale/runtime';
import type { ContainerRuntime } from './adapters/docker/container-runtime.ts';
import { WorkDir } from './adapters/fs/work-dir.ts';

import { consumeConcurrently } from './adapters/nats/consume.ts';
import { jetStreamReporter } from './adapters/nats/reporter.ts';
import type { Config } from './config.ts';
import { ImageCache } from './domain/image-cache.ts';
import type { ExecutionContext } from './execution/context.ts';
import { reconcile } from './execution/reconcile.ts';
import { Registry } from './execution/registry.ts';
import { handleNodeCommand } from './handlers/commands.ts';
import { startHeartbeat } from './heartbeat.ts';
import { AGENT_VERSION } from './version.ts';

export interface AppDeps {
  config: Config;
  /** Owned by the app from here on: stop() drains it. */
  nc: NatsConnection;
  runtime: ContainerRuntime;
  log: Logger;
  /** The clock; tests may fix it. @default () => new Date() */
  now?: () => Date;
}

export interface App {
  start(): Promise<void>;
  /** Stops heartbeats and consuming, then drains NATS. Running containers are left alone for the next start. */
  stop(): Promise<void>;
  /** Executions tracked right now (what the heartbeat reports as running). */
  running(): number[];
}

/** How long stop() waits for executions that are reporting their end. */
const STOP_DEADLINE_MS = 10_000;

export function build({ config, nc, runtime, log, now = () => new Date() }: AppDeps): App {
  const subjects = subjectsFor(config.nats.subjectPrefix);
  const js = jetstream(nc);
  const registry = new Registry();
  const agentId = config.agent.id;
  const ctx: ExecutionContext = {
    runtime,
    workDir: new WorkDir(config.agent.workDir),
    js,
    subjects,
    reporter: jetStreamReporter(js, subjects),
    registry,
    agentId,
    killGraceSeconds: config.agent.killGraceSeconds,
    images: new ImageCache(),
    now,
    log,
  };
  let heartbeat: { stop(): void } | undefined;
  let consumption: Consumption | undefined;

  return {
    async start() {
      await ctx.workDir.init();
      await ensureStreams(nc, subjects);
      const durable = subjects.consumers.agent(agentId);
      await ensureDurableConsumer(nc, subjects.streams.nodeCommands.name, durable, subjects.nodeCommands(agentId));
      // Before consuming: a redelivered launch must find its adopted container already tracked.
      await reconcile(ctx);
      heartbeat = startHeartbeat({
        nc,
        subject: subjects.heartbeat(),
        periodMs: config.agent.heartbeatMs,
        beat: () => ({
          agentId,
          hostname: config.agent.hostname,
          resources: config.agent.resources,
          running: registry.ids(),
          at: now().toISOString(),
          agentVersion: AGENT_VERSION,
        }),
        log,
      });
      // The payload is decoded per verb in the handler, since the subject says which schema applies.
      consumption = await consumeConcurrently(
        nc,
        subjects.streams.nodeCommands.name,
        durable,
        config.agent.commandConcurrency,
        (payload, raw) => handleNodeCommand(ctx, raw.subject, payload),
        log,
      );
      log.info({ agentId, prefix: subjects.prefix, resources: config.agent.resources }, 'node agent started');
    },

    async stop() {
      heartbeat?.stop();
      await consumption?.stop();
      for (const tracked of registry.all()) {
        tracked.abort.abort();
        if (tracked.phase !== 'finishing') tracked.attachment?.detach();
      }
      const supervisions = registry.all().flatMap((t) => (t.supervision ? [t.supervision] : []));
      await Promise.race([Promise.allSettled(supervisions), sleep(STOP_DEADLINE_MS, undefined, { ref: false })]);
      await nc.drain();
      log.info('node agent stopped');
    },

    running: () => registry.ids(),
  };
}
