/**
 * Bodies that change jobs in bulk or one at a time: v6 POST /v6/jobs/cancel/ and /v6/jobs/requeue/ (seed 004),
 * v5 POST /queue/requeue-jobs/ (seed 000) and v5 PATCH /jobs/{id}/ (seed 001).
 *
 * Unknown fields are rejected (Scale ignores them): a misspelt filter (`job_id` for `job_ids`) would otherwise be
 * dropped and widen a cancel to every job.
 */
import { ErrorCategory, JobStatus } from '@scale/contracts';
import { z } from 'zod';
import { parseTimestamp } from '../domain/timestamps.ts';
import { choice } from '../http/query.ts';
import { MAX_INT } from './common.ts';

/** A date-time or a duration; whether it parses does not depend on the clock, so any instant will do here. */
const BodyTimestamp = z
  .string()
  .refine((v) => parseTimestamp(v, new Date(0)) !== null, 'Must be an ISO-8601 date-time or duration.');

/** Scale parses id lists with int(), so "11" is accepted as well as 11 (seed 004 prints error_ids as strings). */
const Id = z.preprocess(
  (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
);

const Status = choice(JobStatus.options);

/** Seed 004 sends one status; a list is accepted too, as the scheduler's filter takes several. */
const StatusOrList = z.union([Status, z.array(Status)]);

const filterFields = {
  started: BodyTimestamp.optional(),
  ended: BodyTimestamp.optional(),
  status: StatusOrList.optional(),
  job_ids: z.array(Id).optional(),
  job_type_ids: z.array(Id).optional(),
  job_type_names: z.array(z.string().min(1)).optional(),
  batch_ids: z.array(Id).optional(),
  recipe_ids: z.array(Id).optional(),
  error_categories: z.array(choice(ErrorCategory.options)).optional(),
  error_ids: z.array(Id).optional(),
  is_superseded: z.boolean().optional(),
};

const Priority = z.number().int().min(1).max(MAX_INT);

export const CancelJobsBody = z.strictObject(filterFields);
export type CancelJobsBody = z.infer<typeof CancelJobsBody>;

export const RequeueJobsBody = z.strictObject({ ...filterFields, priority: Priority.optional() });
export type RequeueJobsBody = z.infer<typeof RequeueJobsBody>;

/** Seed 000's fields (plus error_categories, which Scale's v5 view also read). */
export const RequeueJobsV5Body = z.strictObject({
  started: filterFields.started,
  ended: filterFields.ended,
  status: filterFields.status,
  job_ids: filterFields.job_ids,
  job_type_ids: filterFields.job_type_ids,
  job_type_names: filterFields.job_type_names,
  job_type_categories: z.array(z.string().min(1)).optional(),
  error_categories: filterFields.error_categories,
  priority: Priority.optional(),
});
export type RequeueJobsV5Body = z.infer<typeof RequeueJobsV5Body>;

/** Seed 001: "The only status change currently allowed is: CANCELED"; no other field is tolerated. */
export const PatchJobV5Body = z.strictObject({
  status: z.string().refine((v) => v === 'CANCELED', 'Invalid or read-only status. Allowed values: CANCELED'),
});
