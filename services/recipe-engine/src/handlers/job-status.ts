/**
 * A job changed status: advance every live recipe tree that runs the job. The event is a hint; the tree is read
 * from Postgres, so a duplicate, late or reordered event just causes a pass that finds nothing to do.
 */
import type { JobStatusEvent } from '@scale/contracts';
import type { Orm } from '@scale/db';
import { rootsOfJob } from '../adapters/db/recipes.ts';
import type { TreeRunner } from '../runner.ts';

/**
 * Statuses that can change what a tree does next: a job queued (created, or requeued after a failure, which
 * unblocks its descendants), pending or blocked, and every final one. RUNNING changes nothing in a tree, and
 * advancing on it would only hold up the completion that follows it (one advance per tree at a time).
 */
const ADVANCING: ReadonlySet<JobStatusEvent['status']> = new Set([
  'PENDING',
  'BLOCKED',
  'QUEUED',
  'COMPLETED',
  'FAILED',
  'CANCELED',
]);

export function onJobStatus(orm: Orm, runner: TreeRunner) {
  return async (event: JobStatusEvent): Promise<void> => {
    if (!ADVANCING.has(event.status)) return;
    const roots = await rootsOfJob(orm.em.fork(), event.jobId);
    await Promise.all(roots.map((root) => runner.advance(root, event)));
  };
}
