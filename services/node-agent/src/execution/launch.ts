/**
 * Starts one execution. Returns once the container runs (RUNNING reported) or the failure is reported, which is
 * when the launch message may be acked; the wait for the exit continues in the background (supervise).
 * Throws only for retryable trouble (Docker or NATS unreachable), after undoing what it did, so the message is
 * redelivered and the launch starts over.
 */
import type { ExecutionFailure, LaunchExecution } from '@scale/contracts';
import { UnavailableError } from '@scale/runtime';
import { ContainerExistsError, ContainerRejectedError } from '../adapters/docker/container-runtime.ts';
import { LogPublisher } from '../adapters/nats/log-publisher.ts';
import { commandToArgv } from '../domain/command.ts';
import { containerLabels, containerName } from '../domain/container-identity.ts';
import { runningUpdate } from '../domain/messages.ts';
import { buildSeedEnv } from '../domain/seed-env.ts';
import type { ExecutionContext } from './context.ts';
import { finishExecution } from './finish.ts';
import type { Tracked } from './registry.ts';
import { supervise } from './supervise.ts';

const MIB = 1024 * 1024;

export async function launchExecution(ctx: ExecutionContext, launch: LaunchExecution): Promise<void> {
  const { token } = launch;
  const name = containerName(token.jobExeId);
  const log = ctx.log.child({ jobExeId: token.jobExeId, jobId: token.jobId, exeNum: token.exeNum });
  // Redelivered launch: the first delivery is running it, or it already ended here.
  if (ctx.registry.get(token.jobExeId) || ctx.registry.hasEnded(token.jobExeId)) {
    log.debug('launch already handled, ignored');
    return;
  }
  const tracked = ctx.registry.add(token, name, launch);

  try {
    if (await ctx.runtime.inspect(name)) {
      // Created by an earlier agent run; reconciliation at start owns such containers.
      log.info('container already exists, launch ignored');
      ctx.registry.delete(token.jobExeId);
      return;
    }
    const killReason = ctx.registry.killReason(token.jobExeId);
    if (killReason !== undefined) return await fail(ctx, tracked, { type: 'KILLED', reason: killReason });

    const env = buildSeedEnv(launch);
    if (!env.ok) return await fail(ctx, tracked, env.failure);
    const command = launch.manifest.job.interface.command;
    const argv = command === undefined ? undefined : commandToArgv(command, env.env);
    if (argv && !argv.ok) return await fail(ctx, tracked, { type: 'LAUNCH', message: argv.message });

    const pull: NonNullable<Tracked['timeline']['pull']> = { launched: ctx.now(), started: ctx.now(), ok: false };
    tracked.timeline.pull = pull;
    pull.ok = await ctx.runtime.imageExists(launch.dockerImage);
    pull.ended = ctx.now();
    if (!pull.ok) {
      const message = `image ${launch.dockerImage} is not present on node ${ctx.agentId} (images are never pulled)`;
      return await fail(ctx, tracked, { type: 'IMAGE_MISSING', message });
    }

    const outputDir = await ctx.workDir.prepare(token.jobExeId, launch);
    tracked.timeline.main = { launched: ctx.now(), timedOut: false, canceled: false };
    await ctx.runtime.create({
      name,
      image: launch.dockerImage,
      cmd: argv?.argv,
      env: env.env,
      labels: containerLabels(token, ctx.agentId, ctx.subjects.prefix),
      memoryBytes: Math.round(launch.resources.mem * MIB),
      nanoCpus: Math.round(launch.resources.cpus * 1e9),
      outputDir,
    });
    const logs = new LogPublisher(ctx.js, ctx.subjects, token.jobExeId, ctx.now, log);
    tracked.logs = logs;
    tracked.attachment = await ctx.runtime.attach(name, logs);
    logs.setFlowControl(tracked.attachment);
    await ctx.runtime.start(name);
    tracked.timeline.main.started = ctx.now();
    log.info({ image: launch.dockerImage }, 'container started');
  } catch (err) {
    if (err instanceof ContainerExistsError) {
      ctx.registry.delete(token.jobExeId);
      return;
    }
    if (err instanceof ContainerRejectedError) {
      log.warn({ err }, 'docker refused the container');
      return await fail(ctx, tracked, { type: 'LAUNCH', message: err.message });
    }
    await undo(ctx, tracked);
    throw err;
  }

  try {
    await ctx.reporter.report(runningUpdate(token, ctx.agentId, tracked.timeline.main.started ?? ctx.now()));
  } catch (err) {
    // The end report still comes, and the scheduler accepts an end without a RUNNING before it.
    log.warn({ err }, 'reporting RUNNING failed');
  }
  tracked.supervision = supervise(ctx, tracked).catch((err: unknown) => log.error({ err }, 'supervision failed'));
}

/** Reports a failure decided before the job ran; throws (after undoing) when the report cannot be stored. */
async function fail(ctx: ExecutionContext, tracked: Tracked, failure: ExecutionFailure): Promise<void> {
  if (tracked.timeline.main && !tracked.timeline.main.ended) tracked.timeline.main.ended = ctx.now();
  tracked.abort.abort(); // nothing to wait for: report once, without retrying in the background
  await finishExecution(ctx, tracked, { failure });
  if (ctx.registry.get(tracked.token.jobExeId)) {
    await undo(ctx, tracked);
    throw new UnavailableError(`could not report the failure of execution ${tracked.token.jobExeId}`);
  }
}

/** Back to nothing, so a redelivered launch starts clean. */
async function undo(ctx: ExecutionContext, tracked: Tracked): Promise<void> {
  tracked.attachment?.detach();
  await ctx.runtime.remove(tracked.name).catch(() => undefined);
  await ctx.workDir.remove(tracked.token.jobExeId).catch(() => undefined);
  ctx.registry.delete(tracked.token.jobExeId);
}
