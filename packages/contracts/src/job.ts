/** Job and execution states and error categories (reference: Scale's job/models.py). */
import { z } from 'zod';

export const JobStatus = z.enum(['PENDING', 'BLOCKED', 'QUEUED', 'RUNNING', 'FAILED', 'COMPLETED', 'CANCELED']);
export type JobStatus = z.infer<typeof JobStatus>;
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['FAILED', 'COMPLETED', 'CANCELED'];

export const ExecutionStatus = z.enum(['RUNNING', 'FAILED', 'COMPLETED', 'CANCELED']);
export type ExecutionStatus = z.infer<typeof ExecutionStatus>;

export const ErrorCategory = z.enum(['SYSTEM', 'ALGORITHM', 'DATA']);
export type ErrorCategory = z.infer<typeof ErrorCategory>;

export const NodeState = z.enum(['READY', 'PAUSED', 'DEGRADED', 'OFFLINE']);
export type NodeState = z.infer<typeof NodeState>;

/** Resources in Scale's units: cpus in cores, mem/disk in MiB, gpus as a count. */
export const Resources = z.strictObject({
  cpus: z.number().nonnegative(),
  mem: z.number().nonnegative(),
  disk: z.number().nonnegative(),
  gpus: z.number().nonnegative().default(0),
  /** Custom scalar resources by name (Seed manifests may ask for any; nodes advertise what they have). */
  custom: z.record(z.string(), z.number().nonnegative()).optional(),
});
export type Resources = z.infer<typeof Resources>;
