/**
 * Starts one execution. Returns once the container runs (RUNNING reported) or the failure is reported, which is
 * when the launch message may be acked; the wait for the exit continues in the background (supervise).
 * Throws only for retryable trouble (Docker or NATS unreachable), after undoing what it did, so the message is
 * redelivered and the launch starts over.
 */
import { type ContainerOptions, type ExecutionFailure, type LaunchExecution, seedScalar } from '@scale/contracts';
import { UnavailableError } from '@scale/runtime';
import {
  ContainerExistsError,
  type ContainerMount,
  ContainerRejectedError,
  ImageMissingError,
} from '../adapters/docker/container-runtime.ts';
import { LogPublisher } from '../adapters/nats/log-publisher.ts';
import { commandToArgv } from '../domain/command.ts';
import { containerLabels, containerName } from '../domain/container-identity.ts';
import { planInputFiles } from '../domain/inputs.ts';
import { runningUpdate } from '../domain/messages.ts';
import { planMounts } from '../domain/mounts.ts';
import { buildSeedEnv } from '../domain/seed-env.ts';
import type { ExecutionContext } from './context.ts';
import { finishExecution } from './finish.ts';
import type { Tracked } from './registry.ts';
import { stageInputs } from './stage.ts';
import { supervise } from './supervise.ts';

const MIB = 1024 * 1024;
/** The container defaults when the job type relaxes none of them. */
const HARDENED: ContainerOptions = { network: false, imageUser: false, writableRoot: false };

export async function launchExecution(ctx: ExecutionContext, launch: LaunchExecution): Promise<void> {
  const { token } = launch;
  const name = containerName(token.jobExeId, ctx.subjects.prefix);
  const log = ctx.log.child({ jobExeId: token.jobExeId, jobId: token.jobId, exeNum: token.exeNum });
  // Redelivered launch: the first delivery is running it, or it already ended here.
  if (ctx.registry.get(token.jobExeId) || ctx.registry.hasEnded(token.jobExeId)) {
    log.debug('launch already handled, ignored');
    return;
  }
  const tracked = ctx.registry.add(token, name, launch);
  log.debug('launch received');

  try {
    // A container of this name from an earlier agent run belongs to reconciliation: the create below finds it
    // (409) and the launch is dropped, so no separate look-up is spent on every launch.
    const remembered = ctx.registry.killReason(token.jobExeId);
    if (remembered !== undefined) return await fail(ctx, tracked, { type: 'KILLED', reason: remembered });

    const pull: NonNullable<Tracked['timeline']['pull']> = { launched: ctx.now(), started: ctx.now(), ok: false };
    tracked.timeline.pull = pull;
    pull.ok = ctx.images.isKnown(launch.dockerImage, ctx.now()) || (await ctx.runtime.imageExists(launch.dockerImage));
    if (pull.ok) ctx.images.present(launch.dockerImage, ctx.now());
    pull.ended = ctx.now();
    if (!pull.ok) {
      const message = `image ${launch.dockerImage} is not present on node ${ctx.agentId} (images are never pulled)`;
      return await fail(ctx, tracked, { type: 'IMAGE_MISSING', message });
    }

    const pre: NonNullable<Tracked['timeline']['pre']> = { launched: ctx.now(), started: ctx.now(), ok: false };
    tracked.timeline.pre = pre;
    const prepared = await preTask(ctx, launch);
    pre.ended = ctx.now();
    if (!prepared.ok) return await fail(ctx, tracked, prepared.failure);
    pre.ok = true;
    if (tracked.killReason !== undefined) {
      return await fail(ctx, tracked, { type: 'KILLED', reason: tracked.killReason });
    }

    tracked.timeline.main = { launched: ctx.now(), timedOut: false, canceled: false };
    const sharedMem = seedScalar(launch.manifest, 'sharedMem')?.value;
    await ctx.runtime.create({
      name,
      image: launch.dockerImage,
      cmd: prepared.argv,
      env: prepared.env,
      labels: containerLabels(token, ctx.agentId, ctx.subjects.prefix),
      memoryBytes: Math.round(launch.resources.mem * MIB),
      nanoCpus: Math.round(launch.resources.cpus * 1e9),
      gpus: Math.ceil(launch.resources.gpus),
      outputDir: prepared.outputDir,
      mounts: prepared.mounts,
      shmSizeBytes: sharedMem ? Math.round(sharedMem * MIB) : undefined,
      options: launch.container ?? HARDENED,
    });
    const logs = new LogPublisher(ctx.js, ctx.subjects, token.jobExeId, ctx.now, log);
    tracked.logs = logs;
    tracked.attachment = await ctx.runtime.attach(name, logs);
    logs.setFlowControl(tracked.attachment);
    await ctx.runtime.start(name);
    tracked.timeline.main.started = ctx.now();
    log.info({ image: launch.dockerImage }, 'container started');
    // A kill that came while the container was being made: the supervision sees the exit and reports KILLED.
    if (tracked.killReason !== undefined) {
      ctx.runtime
        .stop(name, ctx.killGraceSeconds)
        .catch((err: unknown) => log.error({ err }, 'stopping the container failed'));
    }
  } catch (err) {
    if (err instanceof ContainerExistsError) {
      log.info('container already exists, launch ignored');
      ctx.registry.delete(token.jobExeId);
      return;
    }
    if (err instanceof ImageMissingError) {
      // Removed since it was last seen here.
      ctx.images.forget(launch.dockerImage);
      if (tracked.timeline.pull) tracked.timeline.pull.ok = false;
      tracked.timeline.main = undefined;
      const message = `image ${launch.dockerImage} is not present on node ${ctx.agentId} (images are never pulled)`;
      return await fail(ctx, tracked, { type: 'IMAGE_MISSING', message });
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

type Prepared =
  | { ok: true; env: Record<string, string>; argv: string[] | undefined; outputDir: string; mounts: ContainerMount[] }
  | { ok: false; failure: ExecutionFailure };

/**
 * The pre task: the Seed environment (inputs, settings, allocation), the command, the execution's folders, the
 * input files and mounts. Everything a Seed rule refuses ends here, before a container exists.
 */
async function preTask(ctx: ExecutionContext, launch: LaunchExecution): Promise<Prepared> {
  const inputs = planInputFiles(launch);
  if (!inputs.ok) return inputs;
  const env = buildSeedEnv(launch, inputs.env);
  if (!env.ok) return env;
  const mounts = planMounts(launch, ctx.workDir.root);
  if (!mounts.ok) return mounts;
  const command = launch.manifest.job.interface.command;
  const argv = command === undefined ? undefined : commandToArgv(command, env.env);
  if (argv && !argv.ok) return { ok: false, failure: { type: 'LAUNCH', message: argv.message } };
  const outputDir = await ctx.workDir.prepare(launch.token.jobExeId, launch);
  const imageUser = launch.container?.imageUser ?? false;
  const staged = await stageInputs(ctx, launch.token.jobExeId, inputs.files, mounts.mounts, imageUser);
  if (!staged.ok) return staged;
  return { ok: true, env: env.env, argv: argv?.argv, outputDir, mounts: staged.mounts };
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
