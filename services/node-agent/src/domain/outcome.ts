/** How an execution that ran ended, before outputs are captured. Pure. */
import type { ExecutionFailure } from '@scale/contracts';

export interface MainExit {
  exitCode: number;
  /** The agent killed the container because the timeout passed. */
  timedOut: boolean;
  /** Set when a KillExecution command stopped the container. */
  killReason?: string | undefined;
}

/**
 * The failure of the main task, or undefined when the post task should capture outputs.
 * A kill or timeout wins over the exit code, because the code is then only the signal the agent sent.
 */
export function mainFailure(exit: MainExit): ExecutionFailure | undefined {
  if (exit.killReason !== undefined) return { type: 'KILLED', reason: exit.killReason };
  if (exit.timedOut) return { type: 'TIMEOUT' };
  if (exit.exitCode !== 0) return { type: 'EXIT_CODE', exitCode: exit.exitCode };
  return undefined;
}

/** Milliseconds left before the main task's hard limit, never negative. */
export function remainingMs(startedAt: Date, timeoutSeconds: number, now: Date): number {
  return Math.max(0, startedAt.getTime() + timeoutSeconds * 1000 - now.getTime());
}
