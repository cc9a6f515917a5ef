/** Waits for a started container to exit, enforcing the hard timeout, then finishes the execution. */
import { setTimeout as sleep } from 'node:timers/promises';
import { remainingMs } from '../domain/outcome.ts';
import type { ExecutionContext } from './context.ts';
import { type Ending, finishExecution } from './finish.ts';
import type { Tracked } from './registry.ts';

const MAX_TIMER_MS = 2 ** 31 - 1;
/** How often the count of published lines is recorded, for a restarted agent to go on from (see reconcile). */
const LOG_STATE_MS = 1000;

/**
 * Runs in the background for every started or adopted execution. Resolves without reporting when the agent
 * stops (the container keeps running and is adopted at the next start).
 */
export async function supervise(ctx: ExecutionContext, tracked: Tracked): Promise<void> {
  const log = ctx.log.child({ jobExeId: tracked.token.jobExeId });
  tracked.phase = 'running';
  const started = tracked.timeline.main?.started ?? ctx.now();
  const timeoutSeconds = tracked.launch?.timeoutSeconds;
  let timer: NodeJS.Timeout | undefined;
  // setTimeout fires at once beyond 2^31-1 ms, so very long limits are re-armed in steps.
  const arm = () => {
    if (timeoutSeconds === undefined) return;
    const left = remainingMs(started, timeoutSeconds, ctx.now());
    timer = setTimeout(
      () => {
        if (left > MAX_TIMER_MS) return arm();
        tracked.timedOut = true;
        log.info({ timeoutSeconds }, 'timed out, killing the container');
        ctx.runtime.kill(tracked.name).catch((err: unknown) => log.error({ err }, 'kill after timeout failed'));
      },
      Math.min(left, MAX_TIMER_MS),
    );
  };
  arm();
  // A record a little behind is harmless: the lines after it are published again with the same n (same msgID),
  // and JetStream drops them within its duplicate window.
  const saveLogState = async () => {
    if (tracked.logs) await ctx.workDir.writeLogState(tracked.token.jobExeId, await tracked.logs.settled());
  };
  let saving = false;
  const logTimer = setInterval(() => {
    if (saving) return;
    saving = true;
    saveLogState()
      .catch((err: unknown) => log.warn({ err }, 'recording the published lines failed'))
      .finally(() => {
        saving = false;
      });
  }, LOG_STATE_MS);
  let ending: Ending | undefined;
  try {
    ending = await waitForExit(ctx, tracked);
  } finally {
    clearTimeout(timer);
    clearInterval(logTimer);
  }
  if (ending === undefined) {
    // The agent is stopping and has detached from the output: record where the next start goes on.
    await saveLogState().catch((err: unknown) => log.warn({ err }, 'recording the published lines failed'));
    return;
  }
  if (tracked.timeline.main) tracked.timeline.main.ended = ctx.now();
  await finishExecution(ctx, tracked, ending);
}

/** The exit, or undefined when the agent is stopping. Survives a Docker daemon that drops the wait request. */
async function waitForExit(ctx: ExecutionContext, tracked: Tracked): Promise<Ending | undefined> {
  const { signal } = tracked.abort;
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      return { exitCode: await ctx.runtime.wait(tracked.name, signal) };
    } catch (err) {
      if (signal.aborted) return undefined;
      ctx.log.warn({ err, jobExeId: tracked.token.jobExeId, attempt }, 'waiting for the container failed');
    }
    try {
      await sleep(Math.min(10_000, 500 * 2 ** Math.min(attempt, 5)), undefined, { signal });
      const status = await ctx.runtime.inspect(tracked.name);
      if (status === undefined) {
        return { failure: { type: 'LAUNCH', message: 'the container was removed by someone else while it ran' } };
      }
      if (status.state === 'exited' || status.state === 'dead') return { exitCode: status.exitCode };
    } catch (err) {
      if (signal.aborted) return undefined;
      ctx.log.warn({ err, jobExeId: tracked.token.jobExeId }, 'inspecting the container failed');
    }
  }
  return undefined;
}
