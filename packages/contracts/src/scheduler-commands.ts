/**
 * Commands the scheduler answers (request/reply on subjects.command('scheduler', verb)), each answered after commit.
 * Verbs: queue-jobs (messages.ts), cancel-jobs, requeue-jobs, update-node, update-scheduler.
 */
import { z } from 'zod';
import { ErrorCategory, JobStatus } from './job.ts';

const Id = z.number().int().positive();
const Timestamp = z.iso.datetime({ offset: true });

/**
 * Which jobs a bulk command applies to: every given criterion must hold; lists are ORs within themselves.
 * `started`/`ended` bound the job's last_modified (Scale's v6 semantics), already resolved to absolute times.
 */
export const JobFilter = z.strictObject({
  started: Timestamp.optional(),
  ended: Timestamp.optional(),
  statuses: z.array(JobStatus).optional(),
  jobIds: z.array(Id).optional(),
  jobTypeIds: z.array(Id).optional(),
  jobTypeNames: z.array(z.string().min(1)).optional(),
  batchIds: z.array(Id).optional(),
  recipeIds: z.array(Id).optional(),
  errorCategories: z.array(ErrorCategory).optional(),
  errorIds: z.array(Id).optional(),
  isSuperseded: z.boolean().optional(),
});
export type JobFilter = z.infer<typeof JobFilter>;

export const CancelJobsRequest = z.strictObject({ filter: JobFilter });
export type CancelJobsRequest = z.infer<typeof CancelJobsRequest>;
export const CancelJobsResult = z.strictObject({
  /** Jobs that moved to CANCELED (already final ones are left alone). */
  canceled: z.number().int().nonnegative(),
  /** Of those, how many had a live execution that was told to stop. */
  killed: z.number().int().nonnegative(),
});
export type CancelJobsResult = z.infer<typeof CancelJobsResult>;

export const RequeueJobsRequest = z.strictObject({
  filter: JobFilter,
  /** New priority for the requeued jobs; lower runs first. Unset keeps each job's priority. */
  priority: z.number().int().optional(),
});
export type RequeueJobsRequest = z.infer<typeof RequeueJobsRequest>;
export const RequeueJobsResult = z.strictObject({
  requeued: z.number().int().nonnegative(),
  /** Ids of the requeued jobs when there are at most MAX_RETURNED_IDS of them (v5 answers with the jobs). */
  jobIds: z.array(Id).optional(),
});
export type RequeueJobsResult = z.infer<typeof RequeueJobsResult>;
export const MAX_RETURNED_IDS = 1000;

export const UpdateNodeRequest = z.strictObject({
  nodeId: Id,
  isPaused: z.boolean().optional(),
  pauseReason: z.string().max(1000).nullable().optional(),
  isActive: z.boolean().optional(),
});
export type UpdateNodeRequest = z.infer<typeof UpdateNodeRequest>;
export const UpdateNodeResult = z.strictObject({ nodeId: Id });
export type UpdateNodeResult = z.infer<typeof UpdateNodeResult>;

export const QueueMode = z.enum(['FIFO', 'LIFO']);
export type QueueMode = z.infer<typeof QueueMode>;
export const UpdateSchedulerRequest = z.strictObject({
  isPaused: z.boolean().optional(),
  queueMode: QueueMode.optional(),
});
export type UpdateSchedulerRequest = z.infer<typeof UpdateSchedulerRequest>;
export const UpdateSchedulerResult = z.strictObject({ isPaused: z.boolean(), queueMode: QueueMode });
export type UpdateSchedulerResult = z.infer<typeof UpdateSchedulerResult>;
