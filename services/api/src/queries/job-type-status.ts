/**
 * Job counts per job type for the status endpoints (v6 and v5): by status over a window, running, pending, and
 * SYSTEM failures. Grouped in SQL on indexed columns: job_type_status_change (job_type_id, last_status_change),
 * job_status_modified (status, ...), job_failed_by_error (error_id, ...) WHERE status = 'FAILED'.
 */
import type { ErrorCategory, JobStatus } from '@scale/contracts';
import { type EntityManager, ErrorRow, JobType } from '@scale/db';
import { COUNT_WINDOWS, type JobCount, sortJobCounts, windowStart } from '../domain/job-counts.ts';

interface Window {
  limit: number;
  offset: number;
}

interface CountRow {
  job_type_id: number;
  status: JobStatus;
  category: ErrorCategory | null;
  count: string | number;
  most_recent: Date | string;
}

const toCount = (r: Pick<CountRow, 'status' | 'category' | 'count' | 'most_recent'>): JobCount => ({
  status: r.status,
  category: r.category,
  count: Number(r.count),
  mostRecent: new Date(r.most_recent),
});

// FAILED groups split by the error's category; other statuses are one group whatever error they carried before.
const CATEGORY = `case when j.status = 'FAILED' then e.category end`;

export interface JobTypeStatus {
  jobType: JobType;
  counts: JobCount[];
}

/**
 * One page of job types (Scale's order: last modified first) with their job counts: RUNNING jobs always, every
 * other status when the job's last status change falls in [started, ended].
 */
export async function jobTypeStatusPage(
  em: EntityManager,
  filters: { started: Date; ended?: Date | undefined; isActive?: boolean | undefined },
  window: Window,
): Promise<{ count: number; rows: JobTypeStatus[] }> {
  const [jobTypes, count] = await em.findAndCount(
    JobType,
    filters.isActive === undefined ? {} : { isActive: filters.isActive },
    { orderBy: [{ lastModified: 'asc' }, { id: 'asc' }], ...window },
  );
  if (!jobTypes.length) return { count, rows: [] };
  const params: unknown[] = [jobTypes.map((jt) => jt.id), filters.started];
  if (filters.ended) params.push(filters.ended);
  const rows = await em.execute<CountRow[]>(
    `select j.job_type_id, j.status, ${CATEGORY} as category, count(*) as count,
            max(j.last_status_change) as most_recent
       from job j left join error e on e.id = j.error_id
      where j.job_type_id in (?)
        and (j.status = 'RUNNING'
             or (j.last_status_change >= ?${filters.ended ? ' and j.last_status_change <= ?' : ''}))
      group by j.job_type_id, j.status, ${CATEGORY}`,
    params,
  );
  return {
    count,
    rows: jobTypes.map((jobType) => ({
      jobType,
      counts: sortJobCounts(rows.filter((r) => Number(r.job_type_id) === jobType.id).map(toCount)),
    })),
  };
}

export type WindowedCounts = Record<(typeof COUNT_WINDOWS)[number]['field'], JobCount[]>;

/** One job type's counts over the past 6, 12 and 24 hours (v5 details), in one pass over the last 24 hours. */
export async function jobTypeWindowedCounts(em: EntityManager, jobTypeId: number, now: Date): Promise<WindowedCounts> {
  const [h6, h12, h24] = COUNT_WINDOWS.map((w) => windowStart(now, w.hours)) as [Date, Date, Date];
  const rows = await em.execute<
    ({ status: JobStatus; category: ErrorCategory | null } & Record<'c6' | 'c12' | 'c24', string | number> &
      Record<'m6' | 'm12' | 'm24', Date | string | null>)[]
  >(
    `select j.status, ${CATEGORY} as category,
            count(*) filter (where j.last_status_change >= ?) as c6,
            max(j.last_status_change) filter (where j.last_status_change >= ?) as m6,
            count(*) filter (where j.last_status_change >= ?) as c12,
            max(j.last_status_change) filter (where j.last_status_change >= ?) as m12,
            count(*) as c24, max(j.last_status_change) as m24
       from job j left join error e on e.id = j.error_id
      where j.job_type_id = ? and j.last_status_change >= ?
      group by j.status, ${CATEGORY}`,
    [h6, h6, h12, h12, jobTypeId, h24],
  );
  const pick = (c: 'c6' | 'c12' | 'c24', m: 'm6' | 'm12' | 'm24') =>
    sortJobCounts(
      rows
        .filter((r) => Number(r[c]) > 0)
        .map((r) => toCount({ status: r.status, category: r.category, count: r[c], most_recent: r[m] as Date })),
    );
  return {
    job_counts_6h: pick('c6', 'm6'),
    job_counts_12h: pick('c12', 'm12'),
    job_counts_24h: pick('c24', 'm24'),
  };
}

export interface JobTypeInStatus {
  jobType: JobType;
  count: number;
  /** When the job of this type that has been in the status longest entered it. */
  longest: Date;
}

/** Job types with jobs in one status (RUNNING or PENDING), the one waiting longest first. */
export async function jobTypesInStatus(
  em: EntityManager,
  status: 'RUNNING' | 'PENDING',
  window: Window,
): Promise<{ count: number; rows: JobTypeInStatus[] }> {
  const [total] = await em.execute<{ n: string | number }[]>(
    'select count(distinct job_type_id) as n from job where status = ?',
    [status],
  );
  const rows = await em.execute<{ job_type_id: number; count: string | number; longest: Date | string }[]>(
    `select job_type_id, count(*) as count, min(last_status_change) as longest
       from job where status = ?
      group by job_type_id
      order by longest, job_type_id
      limit ? offset ?`,
    [status, window.limit, window.offset],
  );
  const jobTypes = await jobTypesById(
    em,
    rows.map((r) => Number(r.job_type_id)),
  );
  return {
    count: Number(total?.n ?? 0),
    rows: rows.map((r) => ({
      jobType: jobTypes.get(Number(r.job_type_id)) as JobType,
      count: Number(r.count),
      longest: new Date(r.longest),
    })),
  };
}

export interface SystemFailure {
  jobType: JobType;
  error: ErrorRow;
  count: number;
  firstError: Date;
  lastError: Date;
}

/** Failed jobs whose error is a SYSTEM one, per job type and error, the most recent failure first. */
export async function systemFailures(
  em: EntityManager,
  window: Window,
): Promise<{ count: number; rows: SystemFailure[] }> {
  // Resolving the SYSTEM error ids first lets the job query read the partial index on failed jobs by error.
  const systemErrors = await em.find(ErrorRow, { category: 'SYSTEM' });
  if (!systemErrors.length) return { count: 0, rows: [] };
  const errorIds = systemErrors.map((e) => e.id);
  const [total] = await em.execute<{ n: string | number }[]>(
    `select count(*) as n from (select distinct job_type_id, error_id from job
                                 where status = 'FAILED' and error_id in (?)) pairs`,
    [errorIds],
  );
  const rows = await em.execute<
    { job_type_id: number; error_id: number; count: string | number; first_error: Date; last_error: Date }[]
  >(
    `select job_type_id, error_id, count(*) as count,
            min(last_status_change) as first_error, max(last_status_change) as last_error
       from job where status = 'FAILED' and error_id in (?)
      group by job_type_id, error_id
      order by last_error desc, job_type_id, error_id
      limit ? offset ?`,
    [errorIds, window.limit, window.offset],
  );
  const jobTypes = await jobTypesById(
    em,
    rows.map((r) => Number(r.job_type_id)),
  );
  const errors = new Map(systemErrors.map((e) => [e.id, e]));
  return {
    count: Number(total?.n ?? 0),
    rows: rows.map((r) => ({
      jobType: jobTypes.get(Number(r.job_type_id)) as JobType,
      error: errors.get(Number(r.error_id)) as ErrorRow,
      count: Number(r.count),
      firstError: new Date(r.first_error),
      lastError: new Date(r.last_error),
    })),
  };
}

async function jobTypesById(em: EntityManager, ids: number[]): Promise<Map<number, JobType>> {
  const rows = ids.length ? await em.find(JobType, { id: { $in: ids } }) : [];
  return new Map(rows.map((r) => [r.id, r]));
}
