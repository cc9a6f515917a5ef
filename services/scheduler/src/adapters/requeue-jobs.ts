/** Bulk requeue (v5 POST /queue/requeue-jobs/, v6 POST /v6/jobs/requeue/) of FAILED and CANCELED jobs. */
import { MAX_RETURNED_IDS, type RequeueJobsRequest, type RequeueJobsResult, type Subjects } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { jobFilterWhere } from '../domain/job-filter.ts';
import { jobStatusMessage, writeOutbox } from './outbox.ts';

/**
 * A requeued job gets a fresh set of tries, as in Scale: max_tries = tries used so far + the job type's max_tries.
 * A job that was never queued (canceled while PENDING in a recipe) goes back to PENDING: its recipe queues it
 * when its inputs are ready. Superseded jobs stay as they are.
 */
export async function requeueJobs(
  em: EntityManager,
  subjects: Subjects,
  request: RequeueJobsRequest,
): Promise<RequeueJobsResult> {
  const where = jobFilterWhere(request.filter);
  const requeuedAt = Date.now();
  const rows = await em.execute<{ id: string; status: 'QUEUED' | 'PENDING'; num_exes: number }[]>(
    `update job j
        set status = case when j.num_exes > 0 then 'QUEUED' else 'PENDING' end,
            num_exes = case when j.num_exes > 0 then j.num_exes + 1 else 0 end,
            max_tries = j.num_exes + t.max_tries,
            priority = coalesce(?, j.priority),
            queued = case when j.num_exes > 0 then now() else j.queued end,
            ended = null, error_id = null, node_id = null, unplaceable = false, queue_reason = null,
            last_status_change = now(), last_modified = now()
       from job_type t
      where t.id = j.job_type_id and ${where.sql}
        and j.status in ('FAILED', 'CANCELED') and not j.is_superseded
      returning j.id, j.status, j.num_exes`,
    [request.priority ?? null, ...where.params],
  );
  await writeOutbox(
    em,
    rows.map((row) =>
      jobStatusMessage(subjects, Number(row.id), row.status, row.num_exes, null, `requeue-${requeuedAt}`),
    ),
  );
  return {
    requeued: rows.length,
    ...(rows.length <= MAX_RETURNED_IDS ? { jobIds: rows.map((r) => Number(r.id)).sort((a, b) => a - b) } : {}),
  };
}
