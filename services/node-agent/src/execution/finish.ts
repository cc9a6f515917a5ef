/** The end of an execution: drain its logs, capture outputs (the post task), report once, clean up. */

import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecutionFailure, OutputFile, TaskUpdate } from '@scale/contracts';
import { copyFileInto } from '../adapters/fs/host-broker.ts';
import { taskClusterId } from '../domain/container-identity.ts';
import { type End, endUpdate } from '../domain/messages.ts';
import { mainFailure } from '../domain/outcome.ts';
import { type OutputStore, planOutputStores } from '../domain/output-files.ts';
import { captureOutputs } from '../domain/outputs.ts';
import { taskResults } from '../domain/timeline.ts';
import type { ExecutionContext } from './context.ts';
import type { Tracked } from './registry.ts';

/** The attach stream ends right after the container; this only bounds a stream Docker fails to close. */
const LOG_DRAIN_MS = 5000;
const MIB = 1024 * 1024;

/** The main task ended with this exit code (or ended in a failure decided before it ran). */
export type Ending = { exitCode: number } | { failure: ExecutionFailure };

export async function finishExecution(ctx: ExecutionContext, tracked: Tracked, ending: Ending): Promise<void> {
  tracked.phase = 'finishing';
  const log = ctx.log.child({ jobExeId: tracked.token.jobExeId });
  // Logs go out before the result, so whoever sees the end also finds every line.
  if (tracked.attachment) {
    await Promise.race([tracked.attachment.ended, sleep(LOG_DRAIN_MS, undefined, { ref: false })]);
    tracked.attachment.detach();
  }
  await tracked.logs?.flush();

  const main = tracked.timeline.main;
  if (main && 'exitCode' in ending) {
    main.exitCode = ending.exitCode;
    main.timedOut = tracked.timedOut;
    main.canceled = tracked.killReason !== undefined;
    main.ended ??= ctx.now();
  }
  const failure =
    'failure' in ending
      ? ending.failure
      : mainFailure({ exitCode: ending.exitCode, timedOut: tracked.timedOut, killReason: tracked.killReason });
  const end: End = failure ? { status: 'FAILED', failure } : await postTask(ctx, tracked);
  const update = endUpdate(
    tracked.token,
    ctx.agentId,
    ctx.now(),
    end,
    taskResults(taskClusterId(tracked.token.jobExeId), tracked.timeline),
  );

  if (!(await reportUntilStored(ctx, tracked, update))) return;
  log.info({ status: update.status, ...(failure ? { failure } : {}) }, 'execution ended');
  try {
    await ctx.runtime.remove(tracked.name);
    await ctx.workDir.remove(tracked.token.jobExeId);
  } catch (err) {
    // The result is stored; leftovers are removed by the next reconciliation.
    log.warn({ err }, 'cleanup failed');
  }
  ctx.registry.ended(tracked.token.jobExeId);
}

async function postTask(ctx: ExecutionContext, tracked: Tracked): Promise<End> {
  const started = ctx.now();
  const post: NonNullable<typeof tracked.timeline.post> = { launched: started, started, ok: false };
  tracked.timeline.post = post;
  const id = tracked.token.jobExeId;
  let end: End;
  try {
    if (!tracked.launch) throw new Error('the launch record of this execution is gone');
    const launch = tracked.launch;
    const overDisk = await diskOverrun(ctx, id, launch.resources.disk);
    const capture =
      overDisk ??
      captureOutputs({
        outputs: launch.manifest.job.interface.outputs,
        seedOutputs: await ctx.workDir.readSeedOutputs(id),
        files: await ctx.workDir.listOutputFiles(id),
      });
    if (!capture.ok) {
      end = { status: 'FAILED', failure: capture.failure };
    } else {
      // The main task's start names the day folder, so a post task run again after a restart picks the same paths.
      const plan = planOutputStores(launch, capture.matches, tracked.timeline.main?.started ?? started);
      for (const warning of [...capture.warnings, ...(plan.ok ? plan.warnings : [])]) {
        ctx.log.warn({ jobExeId: id, warning }, 'output capture');
      }
      end = plan.ok
        ? { status: 'COMPLETED', output: capture.data, outputFiles: await storeOutputs(ctx, id, plan.stores) }
        : { status: 'FAILED', failure: plan.failure };
    }
  } catch (err) {
    ctx.log.error({ err, jobExeId: id }, 'output capture failed');
    end = {
      status: 'FAILED',
      failure: { type: 'OUTPUT', error: 'output-capture-error', message: (err as Error).message },
    };
  }
  post.ok = end.status === 'COMPLETED';
  post.ended = ctx.now();
  return end;
}

/**
 * The allocated disk (MiB) bounds what the job leaves in its output folder; Docker cannot bound a bind mount here
 * (that needs xfs project quotas), so it is checked once the main task ended. 0 means no disk was asked for.
 */
async function diskOverrun(
  ctx: ExecutionContext,
  jobExeId: number,
  diskMiB: number,
): Promise<{ ok: false; failure: ExecutionFailure } | undefined> {
  if (!(diskMiB > 0)) return undefined;
  const limit = diskMiB * MIB;
  const used = await ctx.workDir.outputBytes(jobExeId, limit);
  if (used <= limit) return undefined;
  return {
    ok: false,
    failure: {
      type: 'OUTPUT',
      // Not a platform fault: retrying would write the same output again.
      error: 'output-too-large',
      message: `the output folder holds more than the ${diskMiB} MiB of disk allocated to the job`,
    },
  };
}

/** Copies each output file into its workspace; the scheduler registers them when it records the end. */
async function storeOutputs(ctx: ExecutionContext, jobExeId: number, stores: OutputStore[]): Promise<OutputFile[]> {
  const outputDir = ctx.workDir.outputDir(jobExeId);
  const stored: OutputFile[] = [];
  for (const store of stores) {
    const size = await copyFileInto(
      { root: outputDir, path: join(outputDir, store.source) },
      { root: store.workspace.broker.hostPath, path: store.path },
    );
    stored.push({
      outputName: store.outputName,
      workspaceId: store.workspace.workspaceId,
      path: store.path,
      fileName: store.fileName,
      size,
      mediaType: store.mediaType,
    });
  }
  return stored;
}

/**
 * Retries until the result is stored. Gives up only when the agent stops: the container and its folder stay,
 * and the next start reports again (the END msgID makes that harmless).
 */
async function reportUntilStored(ctx: ExecutionContext, tracked: Tracked, update: TaskUpdate): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await ctx.reporter.report(update);
      return true;
    } catch (err) {
      ctx.log.warn({ err, jobExeId: tracked.token.jobExeId, attempt }, 'reporting the end failed, retrying');
      try {
        await sleep(Math.min(30_000, 250 * 2 ** Math.min(attempt, 7)), undefined, { signal: tracked.abort.signal });
      } catch {
        return false;
      }
    }
  }
}
