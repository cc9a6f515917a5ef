/** REST bodies and parameters of the job endpoints (v6 and v5). */
import { Data, LegacyJobData } from '@scale/contracts';
import { z } from 'zod';
import { idParam, MAX_INT } from './common.ts';

const JobTypeId = z.number().int().positive().max(MAX_INT);

export const CreateJobBody = z.object({
  job_type_id: JobTypeId,
  input: Data,
  /** Accepted for compatibility; per-job configuration is not applied yet. */
  configuration: z.unknown().optional(),
  /** Overrides the job type's priority; lower runs first. */
  priority: z.number().int().min(1).max(MAX_INT).optional(),
});

export const QueueNewJobBody = z.object({
  job_type_id: JobTypeId,
  job_data: LegacyJobData,
});

export const JobParams = z.object({ id: idParam() });
