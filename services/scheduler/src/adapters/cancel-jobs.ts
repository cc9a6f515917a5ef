/** Bulk cancel (v5 PATCH /jobs/{id}/, v6 POST /v6/jobs/cancel/): set-based, one transaction, any number of jobs. */
import type { CancelJobsRequest, CancelJobsResult, Subjects } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { jobFilterWhere } from '../domain/job-filter.ts';
import { type ExecutionRow, killMessage, toExecutionRef } from './kill.ts';
import { jobStatusMessage, writeOutbox } from './outbox.ts';

export async function cancelJobs(
  em: EntityManager,
  subjects: Subjects,
  request: CancelJobsRequest,
): Promise<CancelJobsResult> {
  const where = jobFilterWhere(request.filter);
  // Scale's guard: anything not yet CANCELED or COMPLETED can be canceled (FAILED included).
  const jobs = await em.execute<{ id: string; num_exes: number }[]>(
    `update job j
        set status = 'CANCELED', ended = now(), unplaceable = false, queue_reason = null,
            last_status_change = now(), last_modified = now()
      where ${where.sql} and j.status not in ('CANCELED', 'COMPLETED')
      returning j.id, j.num_exes`,
    where.params,
  );
  if (jobs.length === 0) return { canceled: 0, killed: 0 };
  const executions = await em.execute<ExecutionRow[]>(
    `update job_exe e set status = 'CANCELED', ended = now()
       from node n
      where e.node_id = n.id and e.ended is null
        and e.job_id in (select (x->>0)::bigint from jsonb_array_elements(?::jsonb) x)
      returning e.id, e.job_id, e.exe_num, e.epoch, n.agent_id`,
    [JSON.stringify(jobs.map((j) => [j.id]))],
  );
  await writeOutbox(em, [
    ...executions.map((row) => killMessage(subjects, toExecutionRef(row), 'job canceled')),
    ...jobs.map((j) => jobStatusMessage(subjects, Number(j.id), 'CANCELED', j.num_exes)),
  ]);
  return { canceled: jobs.length, killed: executions.length };
}
