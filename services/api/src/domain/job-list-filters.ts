/**
 * What the job lists (v6 /v6/jobs/, v5 /jobs/, /jobs/updates/, /jobs/executions/) filter and order on.
 * Values of one parameter are ORed, parameters are ANDed, as in Scale.
 */
import type { ErrorCategory, JobStatus, SeedManifest } from '@scale/contracts';
import type { OrderTerm } from './list-order.ts';

/** Each has an index `(field, id)`, see docs/queries.md; `id` is also the tie-breaker of every order. */
export const JOB_ORDER_FIELDS = [
  'id',
  'created',
  'queued',
  'started',
  'ended',
  'last_status_change',
  'last_modified',
] as const;
export type JobOrderField = (typeof JOB_ORDER_FIELDS)[number];

/** The column started/ended apply to. */
export type JobTimeField = 'last_modified' | 'last_status_change';

export interface JobListFilters {
  /** Time range, both ends inclusive, on last_modified (Scale: "jobs updated after / before") by default. */
  started?: Date;
  ended?: Date;
  /**
   * The updates feed (seed 001: "jobs ... that changed status in the given time range") ranges over
   * last_status_change, the column it is ordered by, so polling it with a recent `started` reads only the
   * recent end of one index.
   */
  timeField?: JobTimeField;
  statuses?: JobStatus[];
  jobIds?: number[];
  jobTypeIds?: number[];
  jobTypeNames?: string[];
  jobTypeCategories?: string[];
  batchIds?: number[];
  recipeIds?: number[];
  errorIds?: number[];
  errorCategories?: ErrorCategory[];
  isSuperseded?: boolean;
}

/** Scale's default orders: lists by last_modified, the updates feed by last_status_change, oldest first. */
export const DEFAULT_JOB_ORDER: OrderTerm<JobOrderField>[] = [{ field: 'last_modified', descending: false }];
export const DEFAULT_UPDATES_ORDER: OrderTerm<JobOrderField>[] = [{ field: 'last_status_change', descending: false }];

/** The message for `ended` when the range is empty, or null when it is fine. */
export function timeRangeError(started: Date | undefined, ended: Date | undefined): string | null {
  if (started && ended && started.getTime() > ended.getTime()) return 'Must not be before started.';
  return null;
}

/**
 * The v5 job type `category`: Seed manifests have no category, so a job type's first tag plays that part
 * (`job_type_category` filters on the same rule). Null when the manifest has no tags.
 */
export function jobTypeCategory(manifest: Pick<SeedManifest, 'job'>): string | null {
  return manifest.job.tags?.[0] ?? null;
}
