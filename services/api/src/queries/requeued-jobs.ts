/** Reads around v5 POST /queue/requeue-jobs/: job types by v5 category, and the requeued jobs as v5 list items. */
import type { EntityManager } from '@scale/db';
import { jobListItemV5 } from '../serializers/job-list.ts';
import { listJobs } from './job-list.ts';
import { loadJobRelations } from './job-list-relations.ts';

/** v5 categories follow the job list's rule (domain/job-list-filters jobTypeCategory): the manifest's first tag. */
export async function jobTypeIdsByCategory(em: EntityManager, categories: string[]): Promise<number[]> {
  if (!categories.length) return [];
  const rows = await em.execute<{ id: unknown }[]>(`select id from job_type where manifest->'job'->'tags'->>0 in (?)`, [
    [...new Set(categories)],
  ]);
  return rows.map((r) => Number(r.id));
}

/** The jobs, in id order, as v5 list items (the same body as GET /jobs/). */
export async function readJobsV5(em: EntityManager, ids: number[]) {
  if (!ids.length) return [];
  const { rows } = await listJobs(em, { jobIds: ids }, [{ field: 'id', descending: false }], {
    limit: ids.length,
    offset: 0,
  });
  const relations = await loadJobRelations(em, rows);
  return rows.map((row) => jobListItemV5(row, relations));
}
