/** Stops an execution on request. The supervision sees the exit and reports FAILED KILLED. */
import type { KillExecution } from '@scale/contracts';
import type { ExecutionContext } from './context.ts';

export async function killExecution(ctx: ExecutionContext, command: KillExecution): Promise<void> {
  const { jobExeId } = command.token;
  const log = ctx.log.child({ jobExeId });
  const tracked = ctx.registry.get(jobExeId);
  if (!tracked) {
    // Already ended and reported, or its launch has not arrived (redelivery can reorder): remember the kill so
    // a late launch is reported as killed instead of running.
    ctx.registry.rememberKill(jobExeId, command.reason);
    log.info('kill for an execution that is not running here, remembered');
    return;
  }
  if (tracked.killReason !== undefined || tracked.phase === 'finishing') return;
  if (tracked.phase === 'starting') {
    // Its launch is still under way (commands are handled concurrently): the launch stops it once it exists.
    tracked.killReason = command.reason;
    // Also remembered, in case the launch is undone and its message redelivered.
    ctx.registry.rememberKill(jobExeId, command.reason);
    log.info({ reason: command.reason }, 'kill for an execution being launched, noted');
    return;
  }
  tracked.killReason = command.reason;
  log.info({ reason: command.reason }, 'stopping the container');
  // Not awaited: the grace period must not hold up the command consumer. Ack is safe, because the heartbeat keeps
  // listing the execution until its end is reported, so the scheduler can send the kill again.
  ctx.runtime
    .stop(tracked.name, ctx.killGraceSeconds)
    .catch((err: unknown) => log.error({ err }, 'stopping the container failed'));
}
