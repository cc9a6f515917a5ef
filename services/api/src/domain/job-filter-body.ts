/**
 * The filter fields of Scale's bulk job bodies (v6 cancel/requeue, v5 requeue-jobs) → the scheduler's JobFilter.
 * Durations resolve against `now` here, so the scheduler only ever sees absolute times.
 */
import type { ErrorCategory, FieldError, JobFilter, JobStatus } from '@scale/contracts';
import { timeRangeErrors } from './time-range.ts';
import { parseTimestamp } from './timestamps.ts';

/** The body's filter fields, already type-checked (schemas/job-bulk.ts). */
export interface JobFilterBody {
  started?: string | undefined;
  ended?: string | undefined;
  status?: JobStatus | JobStatus[] | undefined;
  job_ids?: number[] | undefined;
  job_type_ids?: number[] | undefined;
  job_type_names?: string[] | undefined;
  batch_ids?: number[] | undefined;
  recipe_ids?: number[] | undefined;
  error_categories?: ErrorCategory[] | undefined;
  error_ids?: number[] | undefined;
  is_superseded?: boolean | undefined;
}

export type JobFilterResult = { ok: true; filter: JobFilter } | { ok: false; errors: FieldError[] };

function resolve(field: 'started' | 'ended', text: string | undefined, now: Date, errors: FieldError[]) {
  if (text === undefined) return undefined;
  const date = parseTimestamp(text, now);
  if (!date) errors.push({ field, message: 'Must be an ISO-8601 date-time or duration.' });
  return date ?? undefined;
}

/**
 * Lists pass through as given, empty ones included: an empty list matches no job. (Scale treats `[]` as "no filter",
 * which turns `{"job_ids": []}` into "cancel everything"; a bulk command must never widen by accident.)
 */
export function jobFilterFromBody(body: JobFilterBody, now: Date): JobFilterResult {
  const errors: FieldError[] = [];
  const started = resolve('started', body.started, now, errors);
  const ended = resolve('ended', body.ended, now, errors);
  errors.push(...timeRangeErrors(started, ended));
  if (errors.length) return { ok: false, errors };
  const filter: JobFilter = {};
  if (started) filter.started = started.toISOString();
  if (ended) filter.ended = ended.toISOString();
  if (body.status !== undefined) filter.statuses = Array.isArray(body.status) ? body.status : [body.status];
  if (body.job_ids !== undefined) filter.jobIds = body.job_ids;
  if (body.job_type_ids !== undefined) filter.jobTypeIds = body.job_type_ids;
  if (body.job_type_names !== undefined) filter.jobTypeNames = body.job_type_names;
  if (body.batch_ids !== undefined) filter.batchIds = body.batch_ids;
  if (body.recipe_ids !== undefined) filter.recipeIds = body.recipe_ids;
  if (body.error_categories !== undefined) filter.errorCategories = body.error_categories;
  if (body.error_ids !== undefined) filter.errorIds = body.error_ids;
  if (body.is_superseded !== undefined) filter.isSuperseded = body.is_superseded;
  return { ok: true, filter };
}

/** REST names of the JobFilter fields, so the scheduler's validation errors read like the request. */
export const FILTER_FIELD_NAMES: Readonly<Record<keyof JobFilter, string>> = {
  started: 'started',
  ended: 'ended',
  statuses: 'status',
  jobIds: 'job_ids',
  jobTypeIds: 'job_type_ids',
  jobTypeNames: 'job_type_names',
  batchIds: 'batch_ids',
  recipeIds: 'recipe_ids',
  errorCategories: 'error_categories',
  errorIds: 'error_ids',
  isSuperseded: 'is_superseded',
};
