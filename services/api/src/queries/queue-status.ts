/**
 * The queue by job type, in two grouped queries over queued jobs (partial indexes on status = 'QUEUED'): exact
 * counts per type, and the most frequent stored reasons per type. Reasons can embed amounts ("short of 2 cpus
 * now"), so their variety is bounded per type in SQL rather than shipped whole.
 */
import { type EntityManager, JobType } from '@scale/db';
import type { QueueTypeCounts, StoredReasonGroup } from '../domain/queue-summary.ts';

export interface QueueRows {
  counts: QueueTypeCounts[];
  groups: StoredReasonGroup[];
  jobTypes: Map<number, JobType>;
}

export async function readQueue(em: EntityManager, groupsPerType: number): Promise<QueueRows> {
  const [counts, groups] = await Promise.all([
    em.execute<
      { job_type_id: unknown; count: unknown; longest_queued: string | Date | null; highest_priority: unknown }[]
    >(
      `select job_type_id, count(*) as count, min(queued) as longest_queued, min(priority) as highest_priority
         from job where status = 'QUEUED' group by job_type_id`,
    ),
    em.execute<{ job_type_id: unknown; unplaceable: boolean; queue_reason: string | null; count: unknown }[]>(
      `select job_type_id, unplaceable, queue_reason, count from (
         select job_type_id, unplaceable, queue_reason, count(*) as count,
                row_number() over (partition by job_type_id order by count(*) desc, queue_reason) as rank
           from job where status = 'QUEUED' group by job_type_id, unplaceable, queue_reason
       ) g where rank <= ?`,
      [groupsPerType],
    ),
  ]);
  const ids = counts.map((c) => Number(c.job_type_id));
  const jobTypes = ids.length ? await em.find(JobType, { id: { $in: ids } }) : [];
  return {
    counts: counts.map((c) => ({
      jobTypeId: Number(c.job_type_id),
      count: Number(c.count),
      longestQueued: c.longest_queued == null ? null : new Date(c.longest_queued),
      highestPriority: Number(c.highest_priority),
    })),
    groups: groups.map((g) => ({
      jobTypeId: Number(g.job_type_id),
      unplaceable: g.unplaceable,
      queueReason: g.queue_reason,
      count: Number(g.count),
    })),
    jobTypes: new Map(jobTypes.map((t) => [t.id, t])),
  };
}
