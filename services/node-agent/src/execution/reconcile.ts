/**
 * At start, take over what an earlier run of this agent left: running containers are adopted (waited for and
 * reported once), exited ones are reported and removed, never-started ones are removed (their launch message was
 * not acked, so it comes again), and folders without a container are deleted.
 * The output of an adopted container is read again from Docker's log: the lines an earlier run already published
 * (counted in `logs.json`) are skipped, the rest are published with n going on from there.
 */
import { LaunchExecution } from '@scale/contracts';
import type { Logger } from '@scale/runtime';
import type { ContainerStatus, LogSink } from '../adapters/docker/container-runtime.ts';
import { LogPublisher } from '../adapters/nats/log-publisher.ts';
import { ownerLabels, tokenFromLabels } from '../domain/container-identity.ts';
import { runningUpdate } from '../domain/messages.ts';
import type { ExecutionContext } from './context.ts';
import { finishExecution } from './finish.ts';
import type { Tracked } from './registry.ts';
import { supervise } from './supervise.ts';

const LIVE_STATES = new Set(['running', 'paused', 'restarting']);

export async function reconcile(ctx: ExecutionContext): Promise<void> {
  const containers = await ctx.runtime.list(ownerLabels(ctx.agentId, ctx.subjects.prefix));
  const withContainer = new Set<number>();
  for (const container of containers) {
    const token = tokenFromLabels(container.labels);
    if (!token) {
      ctx.log.warn({ container: container.name }, 'container with damaged labels left alone');
      continue;
    }
    withContainer.add(token.jobExeId);
    if (!ctx.registry.get(token.jobExeId)) await adopt(ctx, container, token);
  }
  for (const jobExeId of await ctx.workDir.listExecutions()) {
    if (!withContainer.has(jobExeId) && !ctx.registry.get(jobExeId)) await ctx.workDir.remove(jobExeId);
  }
}

async function adopt(
  ctx: ExecutionContext,
  container: ContainerStatus,
  token: NonNullable<ReturnType<typeof tokenFromLabels>>,
): Promise<void> {
  const log = ctx.log.child({ jobExeId: token.jobExeId, state: container.state });
  if (container.state === 'created') {
    log.info('removing a container that never started');
    await ctx.runtime.remove(container.name);
    await ctx.workDir.remove(token.jobExeId);
    return;
  }
  const parsed = LaunchExecution.safeParse(await ctx.workDir.readLaunch(token.jobExeId));
  if (!parsed.success) log.warn('launch record missing: no timeout, outputs cannot be captured');
  const tracked = ctx.registry.add(token, container.name, parsed.success ? parsed.data : undefined);
  const started = container.startedAt;
  tracked.timeline.main = {
    ...(started ? { launched: started, started } : {}),
    timedOut: false,
    canceled: false,
  };
  await followLogs(ctx, tracked.token.jobExeId, container.name, tracked, log);
  if (LIVE_STATES.has(container.state)) {
    log.info('adopting a running container');
    // RUNNING may never have gone out if the agent died right after the start; the msgID drops a repeat.
    await ctx.reporter
      .report(runningUpdate(token, ctx.agentId, started ?? ctx.now()))
      .catch((err: unknown) => log.warn({ err }, 'reporting RUNNING failed'));
    tracked.supervision = supervise(ctx, tracked).catch((err: unknown) => log.error({ err }, 'supervision failed'));
  } else {
    log.info({ exitCode: container.exitCode }, 'reporting a container that ended while the agent was away');
    const finished = container.finishedAt;
    if (finished) tracked.timeline.main.ended = finished;
    // A container that ran its whole limit was most likely killed by the previous run's timeout.
    const limit = tracked.launch?.timeoutSeconds;
    if (limit !== undefined && started && finished && finished.getTime() - started.getTime() >= limit * 1000) {
      tracked.timedOut = true;
    }
    tracked.supervision = finishExecution(ctx, tracked, { exitCode: container.exitCode }).catch((err: unknown) =>
      log.error({ err }, 'finishing failed'),
    );
  }
}

/** Publishes the lines of Docker's log that no earlier run published; finishExecution drains them before the end. */
async function followLogs(
  ctx: ExecutionContext,
  jobExeId: number,
  name: string,
  tracked: Tracked,
  log: Logger,
): Promise<void> {
  try {
    const published = await ctx.workDir.readLogState(jobExeId);
    const logs = new LogPublisher(ctx.js, ctx.subjects, jobExeId, ctx.now, log, published);
    tracked.logs = logs;
    tracked.attachment = await ctx.runtime.logs(name, skipping(published, logs));
    logs.setFlowControl(tracked.attachment);
    log.info({ published }, 'following the output again');
  } catch (err) {
    log.warn({ err }, 'reading the output again failed: lines written while the agent was away are lost');
  }
}

function skipping(count: number, sink: LogSink): LogSink {
  let left = count;
  return {
    line(stream, text) {
      if (left > 0) left--;
      else sink.line(stream, text);
    },
  };
}
