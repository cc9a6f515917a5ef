/**
 * One page of jobs and the exact count, read with SQL (docs/queries.md has the indexes and plans).
 * Names and categories are resolved to ids first, in tiny queries on job_type and error, so the job query
 * filters on indexed id columns with values the planner can estimate.
 */
import type { JobStatus } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import type { JobListFilters, JobOrderField } from '../domain/job-list-filters.ts';
import type { OrderTerm } from '../domain/list-order.ts';
import { countSql, type JobWhere, pageSql, rollupCanCount, rollupCountSql } from './job-list-sql.ts';

/** Deltas the count rollup may hold before a list request folds them (a few ms for a thousand rows). */
export const COMPACT_AFTER_DELTAS = 1000;

export interface JobListRow {
  id: number;
  jobTypeId: number;
  jobTypeRevId: number;
  status: JobStatus;
  priority: number;
  maxTries: number;
  numExes: number;
  inputFileSize: number;
  errorId: number | null;
  nodeId: number | null;
  isSuperseded: boolean;
  recipeId: number | null;
  batchId: number | null;
  supersededJobId: number | null;
  superseded: Date | null;
  created: Date;
  queued: Date | null;
  started: Date | null;
  ended: Date | null;
  lastStatusChange: Date;
  lastModified: Date;
}

type Raw = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v == null ? null : Number(v));
const dateOrNull = (v: unknown): Date | null => (v == null ? null : new Date(v as string | Date));

function toRow(r: Raw): JobListRow {
  return {
    id: num(r.id),
    jobTypeId: num(r.job_type_id),
    jobTypeRevId: num(r.job_type_rev_id),
    status: r.status as JobStatus,
    priority: num(r.priority),
    maxTries: num(r.max_tries),
    numExes: num(r.num_exes),
    inputFileSize: num(r.input_file_size),
    errorId: numOrNull(r.error_id),
    nodeId: numOrNull(r.node_id),
    isSuperseded: Boolean(r.is_superseded),
    recipeId: numOrNull(r.recipe_id),
    batchId: numOrNull(r.batch_id),
    supersededJobId: numOrNull(r.superseded_job_id),
    superseded: dateOrNull(r.superseded),
    created: new Date(r.created as string | Date),
    queued: dateOrNull(r.queued),
    started: dateOrNull(r.started),
    ended: dateOrNull(r.ended),
    lastStatusChange: new Date(r.last_status_change as string | Date),
    lastModified: new Date(r.last_modified as string | Date),
  };
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** Both conditions must hold (parameters AND together): the ids in both lists. */
function intersect(current: number[] | undefined, next: number[]): number[] {
  return current ? current.filter((id) => next.includes(id)) : next;
}

async function ids(em: EntityManager, sql: string, params: unknown[]): Promise<number[]> {
  const rows = await em.execute<{ id: unknown }[]>(sql, params);
  return rows.map((r) => Number(r.id));
}

/** The filters on job columns only, or null when some filter can match nothing (an unknown name, say). */
export async function resolveJobWhere(em: EntityManager, filters: JobListFilters): Promise<JobWhere | null> {
  let jobTypeIds = filters.jobTypeIds && unique(filters.jobTypeIds);
  if (filters.jobTypeNames) {
    const named = await ids(em, 'select id from job_type where name in (?)', [unique(filters.jobTypeNames)]);
    jobTypeIds = intersect(jobTypeIds, named);
  }
  if (filters.jobTypeCategories) {
    // The category rule of domain/job-list-filters.ts (jobTypeCategory): the manifest's first tag.
    const categorized = await ids(em, `select id from job_type where manifest->'job'->'tags'->>0 in (?)`, [
      unique(filters.jobTypeCategories),
    ]);
    jobTypeIds = intersect(jobTypeIds, categorized);
  }
  let errorIds = filters.errorIds && unique(filters.errorIds);
  if (filters.errorCategories) {
    const categorized = await ids(em, 'select id from error where category in (?)', [unique(filters.errorCategories)]);
    errorIds = intersect(errorIds, categorized);
  }
  const where: JobWhere = {
    ...(filters.started ? { started: filters.started } : {}),
    ...(filters.ended ? { ended: filters.ended } : {}),
    ...(filters.timeField ? { timeField: filters.timeField } : {}),
    ...(filters.statuses ? { statuses: unique(filters.statuses) } : {}),
    ...(filters.jobIds ? { jobIds: unique(filters.jobIds) } : {}),
    ...(jobTypeIds ? { jobTypeIds } : {}),
    ...(filters.batchIds ? { batchIds: unique(filters.batchIds) } : {}),
    ...(filters.recipeIds ? { recipeIds: unique(filters.recipeIds) } : {}),
    ...(errorIds ? { errorIds } : {}),
    ...(filters.isSuperseded === undefined ? {} : { isSuperseded: filters.isSuperseded }),
  };
  const lists = [where.statuses, where.jobIds, where.jobTypeIds, where.batchIds, where.recipeIds, where.errorIds];
  return lists.some((list) => list?.length === 0) ? null : where;
}

export async function listJobs(
  em: EntityManager,
  filters: JobListFilters,
  order: readonly OrderTerm<JobOrderField>[],
  window: { limit: number; offset: number },
): Promise<{ count: number; rows: JobListRow[] }> {
  const where = await resolveJobWhere(em, filters);
  if (!where) return { count: 0, rows: [] };
  const page = pageSql(where, order, window);
  const fromRollup = rollupCanCount(where);
  const count = fromRollup ? rollupCountSql(where) : countSql(where);
  // Two pool connections: the page and the count take the time of the slower one, not the sum.
  const [rows, counted] = await Promise.all([
    em.execute<Raw[]>(page.text, page.params),
    em.execute<{ count: unknown; pending?: unknown }[]>(count.text, count.params),
  ]);
  // Readers fold the deltas, so no other process has to run for the rollup to stay small; the function takes
  // a try-lock, so concurrent requests never wait for each other here.
  if (fromRollup && Number(counted[0]?.pending ?? 0) > COMPACT_AFTER_DELTAS) {
    await em.execute('select job_count_compact()');
  }
  return { count: Number(counted[0]?.count ?? 0), rows: rows.map(toRow) };
}
