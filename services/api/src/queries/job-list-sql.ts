/**
 * SQL of the job lists, built from filters whose names and categories are already resolved to ids (see
 * job-list.ts). Pure: text and parameters only, so the plans documented in docs/queries.md can be reproduced.
 */
import type { JobStatus } from '@scale/contracts';
import type { JobOrderField, JobTimeField } from '../domain/job-list-filters.ts';
import type { OrderTerm } from '../domain/list-order.ts';

/** Filters in terms of job columns only; a list given here is never empty (an empty one matches nothing). */
export interface JobWhere {
  started?: Date;
  ended?: Date;
  /** @default 'last_modified' */
  timeField?: JobTimeField;
  statuses?: JobStatus[];
  jobIds?: number[];
  jobTypeIds?: number[];
  batchIds?: number[];
  recipeIds?: number[];
  errorIds?: number[];
  isSuperseded?: boolean;
}

export interface Sql {
  text: string;
  params: unknown[];
}

/** The columns a list row needs: everything but the input/output/configuration JSON. */
export const JOB_LIST_COLUMNS = [
  'id',
  'job_type_id',
  'job_type_rev_id',
  'status',
  'priority',
  'max_tries',
  'num_exes',
  'input_file_size',
  'error_id',
  'node_id',
  'is_superseded',
  'recipe_id',
  'batch_id',
  'superseded_job_id',
  'superseded',
  'created',
  'queued',
  'started',
  'ended',
  'last_status_change',
  'last_modified',
] as const;

// Column names come from this closed map only, never from the request.
const ORDER_COLUMNS: Record<JobOrderField, string> = {
  id: 'id',
  created: 'created',
  queued: 'queued',
  started: 'started',
  ended: 'ended',
  last_status_change: 'last_status_change',
  last_modified: 'last_modified',
};

/** `where` text (without the keyword) and its parameters; `true` when nothing filters. */
export function whereClause(where: JobWhere): Sql {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (text: string, value: unknown) => {
    clauses.push(text);
    params.push(value);
  };
  const time = where.timeField === 'last_status_change' ? 'last_status_change' : 'last_modified';
  if (where.started) add(`${time} >= ?`, where.started);
  if (where.ended) add(`${time} <= ?`, where.ended);
  if (where.statuses) add('status in (?)', where.statuses);
  if (where.jobIds) add('id in (?)', where.jobIds);
  if (where.jobTypeIds) add('job_type_id in (?)', where.jobTypeIds);
  if (where.batchIds) add('batch_id in (?)', where.batchIds);
  if (where.recipeIds) add('recipe_id in (?)', where.recipeIds);
  if (where.errorIds) add('error_id in (?)', where.errorIds);
  // A literal, not a parameter, so the planner can match the partial index `where is_superseded`.
  if (where.isSuperseded !== undefined) clauses.push(where.isSuperseded ? 'is_superseded' : 'not is_superseded');
  return { text: clauses.length ? clauses.join(' and ') : 'true', params };
}

/** `order by` text: the terms, then `id` in the last term's direction so a `(field, id)` index serves it. */
export function orderClause(terms: readonly OrderTerm<JobOrderField>[]): string {
  const parts = terms.map((t) => `${ORDER_COLUMNS[t.field]} ${t.descending ? 'desc' : 'asc'}`);
  const last = terms.at(-1);
  if (!terms.some((t) => t.field === 'id')) parts.push(`id ${last?.descending ? 'desc' : 'asc'}`);
  return parts.join(', ');
}

export function pageSql(
  where: JobWhere,
  order: readonly OrderTerm<JobOrderField>[],
  window: { limit: number; offset: number },
): Sql {
  const w = whereClause(where);
  return {
    text: `select ${JOB_LIST_COLUMNS.join(', ')} from job where ${w.text} order by ${orderClause(order)} limit ? offset ?`,
    params: [...w.params, window.limit, window.offset],
  };
}

/** Filters the count rollup can answer: its groups are (status, job_type_id, error_id, is_superseded). */
export function rollupCanCount(where: JobWhere): boolean {
  return !(where.started || where.ended || where.jobIds || where.batchIds || where.recipeIds);
}

/**
 * The exact count from the rollup the job triggers keep (migration job_counts): folded groups plus the deltas
 * not folded yet, read in one statement so they agree with one snapshot. `pending` is the number of deltas, so
 * the caller knows when to fold them.
 */
export function rollupCountSql(where: JobWhere): Sql {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (text: string, value: unknown) => {
    clauses.push(text);
    params.push(value);
  };
  if (where.statuses) add('status in (?)', where.statuses);
  if (where.jobTypeIds) add('job_type_id in (?)', where.jobTypeIds);
  // Error ids start at 1; the rollup's 0 ("no error") never matches an error filter.
  if (where.errorIds) add('error_id in (?)', where.errorIds);
  if (where.isSuperseded !== undefined) clauses.push(where.isSuperseded ? 'is_superseded' : 'not is_superseded');
  const w = clauses.length ? clauses.join(' and ') : 'true';
  return {
    text:
      `select coalesce(sum(n), 0) as count, (select count(*) from job_count_delta) as pending from (` +
      `select n from job_count_rollup where ${w} union all select n from job_count_delta where ${w}) as groups`,
    params: [...params, ...params],
  };
}

/**
 * The exact count from the job table, for filters the rollup cannot answer: a time range or ids, which bound
 * the rows to count through their own index.
 */
export function countSql(where: JobWhere): Sql {
  const w = whereClause(where);
  return { text: `select count(*) as count from job where ${w.text}`, params: w.params };
}
