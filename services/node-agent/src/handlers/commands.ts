/** Decodes a message of the node command stream; the last subject token names the command. */
import { KillExecution, LaunchExecution } from '@scale/contracts';
import { ValidationError } from '@scale/runtime';
import type { ExecutionContext } from '../execution/context.ts';
import { killExecution } from '../execution/kill.ts';
import { launchExecution } from '../execution/launch.ts';

/** Throws ValidationError (the message is terminated) for an unknown verb or a malformed payload. */
export async function handleNodeCommand(ctx: ExecutionContext, subject: string, payload: unknown): Promise<void> {
  const verb = subject.slice(subject.lastIndexOf('.') + 1);
  if (verb === 'launch') {
    const parsed = LaunchExecution.safeParse(payload);
    if (!parsed.success) throw ValidationError.fromZod('malformed launch command', parsed.error.issues);
    return launchExecution(ctx, parsed.data);
  }
  if (verb === 'kill') {
    const parsed = KillExecution.safeParse(payload);
    if (!parsed.success) throw ValidationError.fromZod('malformed kill command', parsed.error.issues);
    return killExecution(ctx, parsed.data);
  }
  throw ValidationError.field('subject', `unknown node command "${verb}"`);
}
