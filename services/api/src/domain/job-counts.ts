/** Job counts per status as Scale's job type status bodies show them (`job_counts`, v5 `job_counts_6h/12h/24h`). */
import { type ErrorCategory, JobStatus } from '@scale/contracts';

export interface JobCount {
  status: JobStatus;
  /** The error category; only FAILED counts are split by it (Scale: "only used by a FAILED status"). */
  category: ErrorCategory | null;
  count: number;
  /** When a job of this group last changed status. */
  mostRecent: Date;
}

const STATUS_ORDER = JobStatus.options;
const CATEGORY_ORDER: (ErrorCategory | null)[] = [null, 'SYSTEM', 'ALGORITHM', 'DATA'];

/** A stable order: statuses in their lifecycle order, FAILED groups by category. */
export function sortJobCounts(counts: readonly JobCount[]): JobCount[] {
  return [...counts].sort(
    (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
      CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category),
  );
}

const HOUR_MS = 3_600_000;

/** The v5 details windows, each "the past N hours" before `now`. */
export const COUNT_WINDOWS = [
  { field: 'job_counts_6h', hours: 6 },
  { field: 'job_counts_12h', hours: 12 },
  { field: 'job_counts_24h', hours: 24 },
] as const;

export function windowStart(now: Date, hours: number): Date {
  return new Date(now.getTime() - hours * HOUR_MS);
}

/** Scale's default window of the status endpoints: the past 3 hours. */
export const DEFAULT_STATUS_WINDOW_HOURS = 3;
