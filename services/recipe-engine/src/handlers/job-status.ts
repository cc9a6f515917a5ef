/**
 * A job changed status: advance every live recipe tree that runs the job. The event is a hint; the tree is read
 * from Postgres, so a duplicate, late or reordered event just causes a pass that finds nothing to do.
 */
import type { JobStatusEvent } from '@scale/contracts';
import type { Orm } from '@scale/db';
import { rootsOfJob } from '../adapters/db/recipes.ts';
import type { TreeRunner } from '../runner.ts';

export function onJobStatus(orm: Orm, runner: TreeRunner) {
  return async (event: JobStatusEvent): Promise<void> => {
    const roots = await rootsOfJob(orm.em.fork(), event.jobId);
    await Promise.all(roots.map((root) => runner.advance(root, event)));
  };
}
