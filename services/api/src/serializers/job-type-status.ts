/**
 * Bodies of the job type status endpoints, shared by v6 and v5: only the nested job type (and error) differ,
 * so each takes the serializer of its API generation.
 */
import type { ErrorRow, JobType } from '@scale/db';
import type { JobCount } from '../domain/job-counts.ts';
import type { JobTypeInStatus, JobTypeStatus, SystemFailure } from '../queries/job-type-status.ts';
import { iso } from './common.ts';

type JobTypeBody = (jt: JobType) => object;

/** One count as v5 and v6 print it: `{status, count, most_recent, category}`. */
export function jobCountBody(count: JobCount) {
  return { status: count.status, count: count.count, most_recent: iso(count.mostRecent), category: count.category };
}

/** `{job_type, job_counts: [{status, count, most_recent, category}]}` */
export function jobTypeStatusBody(row: JobTypeStatus, jobType: JobTypeBody) {
  return { job_type: jobType(row.jobType), job_counts: row.counts.map(jobCountBody) };
}

/** `{job_type, count, longest_running}` or `{job_type, count, longest_pending}` */
export function jobTypeInStatusBody(
  row: JobTypeInStatus,
  jobType: JobTypeBody,
  longestField: 'longest_running' | 'longest_pending',
) {
  return { job_type: jobType(row.jobType), count: row.count, [longestField]: iso(row.longest) };
}

/** `{job_type, error, count, first_error, last_error}` */
export function systemFailureBody(row: SystemFailure, jobType: JobTypeBody, error: (e: ErrorRow) => object) {
  return {
    job_type: jobType(row.jobType),
    error: error(row.error),
    count: row.count,
    first_error: iso(row.firstError),
    last_error: iso(row.lastError),
  };
}
