/** Bodies and parameters of the v5 job type endpoints (seed 002), served at /job-types/ and /v5/job-types/. */
import { z } from 'zod';
import { PageQuery } from '../http/pagination.ts';
import { orderParam, QueryBool, QueryTimestamp, repeated } from '../http/query.ts';
import { idParam, MAX_INT } from './common.ts';

export const JobTypeV5ListQuery = z.object({
  ...PageQuery,
  started: QueryTimestamp.optional(),
  ended: QueryTimestamp.optional(),
  name: repeated(z.string().min(1)),
  category: repeated(z.string().min(1)),
  is_active: QueryBool.optional(),
  order: orderParam([
    'id',
    'name',
    'version',
    'title',
    'is_active',
    'is_paused',
    'created',
    'archived',
    'paused',
    'last_modified',
  ]),
});

export const JobTypeV5Params = z.object({ id: idParam(MAX_INT) });

/** started defaults to 3 hours before now; RUNNING jobs are counted whatever the window. */
export const JobTypeStatusV5Query = z.object({
  ...PageQuery,
  started: QueryTimestamp.optional(),
  ended: QueryTimestamp.optional(),
});

/** v5 error mapping: exit code (as a string key) → error name. */
export const ErrorMappingsBody = z.strictObject({
  version: z.literal('1.0').optional(),
  exit_codes: z.record(z.string(), z.string().min(1)),
});

/** "The fields below are currently allowed. Additional fields are not tolerated." (seed 002) */
export const PatchJobTypeV5Body = z
  .strictObject({
    error_mappings: ErrorMappingsBody.optional(),
    is_paused: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'No fields were specified.');
export type PatchJobTypeV5Body = z.infer<typeof PatchJobTypeV5Body>;
