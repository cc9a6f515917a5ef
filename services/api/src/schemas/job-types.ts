/** REST bodies and parameters of /v6/job-types/ (candidates for packages/contracts once another service needs them). */
import { SeedManifest } from '@scale/contracts';
import { z } from 'zod';
import { PageQuery } from '../http/pagination.ts';
import { orderParam, QueryBool, QueryInt, repeated } from '../http/query.ts';

const MountConfiguration = z.union([
  z.looseObject({ type: z.literal('host'), host_path: z.string().startsWith('/', 'must be an absolute path') }),
  z.looseObject({
    type: z.literal('volume'),
    driver: z.string().optional(),
    driver_opts: z.record(z.string(), z.string()).optional(),
  }),
  z.null(),
]);

/** v6 job type configuration (Scale's "version 6" configuration JSON). */
export const JobTypeConfigurationBody = z.strictObject({
  version: z.string().optional(),
  /** Lower runs first. @default 100 */
  priority: z.number().int().min(1).optional(),
  output_workspaces: z
    .strictObject({ default: z.string().optional(), outputs: z.record(z.string(), z.string()).optional() })
    .optional(),
  mounts: z.record(z.string(), MountConfiguration).optional(),
  /** Values of the manifest's settings; null leaves one unset. Secret ones are never returned. */
  settings: z.record(z.string(), z.string().nullable()).optional(),
});

export const CreateJobTypeBody = z.object({
  docker_image: z.string().min(1),
  manifest: SeedManifest,
  configuration: JobTypeConfigurationBody.optional(),
  icon_code: z.string().max(20).nullable().optional(),
  max_scheduled: z.number().int().positive().nullable().optional(),
  is_published: z.boolean().optional(),
});
export type CreateJobTypeBody = z.infer<typeof CreateJobTypeBody>;

export const JobTypeListQuery = z.object({
  ...PageQuery,
  keyword: repeated(z.string().min(1)),
  id: repeated(QueryInt),
  is_active: QueryBool.optional(),
  is_system: QueryBool.optional(),
  order: orderParam(['id', 'name', 'version', 'title', 'created', 'last_modified']),
});

export const JobTypeParams = z.object({ name: z.string().min(1), version: z.string().min(1) });
