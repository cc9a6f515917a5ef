/** REST bodies and parameters of /v6/job-types/ and /v6/job-type-names/ (contracts candidates once shared). */
import { RegisteredSeedManifest } from '@scale/contracts';
import { z } from 'zod';
import { PageQuery } from '../http/pagination.ts';
import { orderParam, QueryBool, QueryInt, QueryTimestamp, repeated } from '../http/query.ts';
import { idParam, MAX_INT } from './common.ts';

export const MountConfiguration = z.union([
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
  priority: z.number().int().min(1).max(MAX_INT).optional(),
  output_workspaces: z
    .strictObject({ default: z.string().optional(), outputs: z.record(z.string(), z.string()).optional() })
    .optional(),
  mounts: z.record(z.string(), MountConfiguration).optional(),
  /** Values of the manifest's settings; null leaves one unset. Secret ones are never returned. */
  settings: z.record(z.string(), z.string().nullable()).optional(),
  /**
   * Relaxations of the hardened container the agent runs (contracts ContainerOptions): the bridge network instead
   * of none, the image's USER instead of nobody, a writable root filesystem. Each defaults to false.
   */
  container: z
    .strictObject({
      network: z.boolean().optional(),
      image_user: z.boolean().optional(),
      writable_root: z.boolean().optional(),
    })
    .optional(),
});

const editable = {
  icon_code: z.string().max(20).nullable().optional(),
  max_scheduled: z.number().int().positive().max(MAX_INT).nullable().optional(),
  is_published: z.boolean().optional(),
  is_active: z.boolean().optional(),
  /** While paused, the scheduler leaves the type's queued jobs in the queue. */
  is_paused: z.boolean().optional(),
  /** A new revision moves the recipe types that use this job type to it (Scale's default). @default true */
  auto_update: z.boolean().optional(),
  configuration: JobTypeConfigurationBody.optional(),
};

/** POST /v6/job-types/: unknown fields are refused, so a misspelt one is not silently ignored. */
export const CreateJobTypeBody = z.strictObject({
  docker_image: z.string().min(1),
  manifest: RegisteredSeedManifest,
  ...editable,
});
export type CreateJobTypeBody = z.infer<typeof CreateJobTypeBody>;

/** POST /v6/job-types/validation/: what POST accepts, with the image optional. */
export const ValidateJobTypeBody = z.strictObject({
  ...CreateJobTypeBody.shape,
  docker_image: z.string().min(1).optional(),
});

/** PATCH /v6/job-types/<name>/<version>/: every field optional; a manifest must keep the name and version. */
export const PatchJobTypeBody = z.strictObject({
  docker_image: z.string().min(1).optional(),
  manifest: RegisteredSeedManifest.optional(),
  ...editable,
});
export type PatchJobTypeBody = z.infer<typeof PatchJobTypeBody>;

const listFilters = {
  keyword: repeated(z.string().min(1)),
  id: repeated(QueryInt),
  is_active: QueryBool.optional(),
  is_system: QueryBool.optional(),
};

export const JobTypeListQuery = z.object({
  ...PageQuery,
  ...listFilters,
  order: orderParam(['id', 'name', 'version', 'title', 'created', 'last_modified']),
});

export const JobTypeNamesQuery = z.object({ ...PageQuery, ...listFilters, order: orderParam(['name']) });

export const JobTypeVersionsQuery = z.object({ ...PageQuery, is_active: QueryBool.optional() });

export const PageOnlyQuery = z.object(PageQuery);

/** started defaults to 3 hours before now; RUNNING jobs are counted whatever the window. */
export const JobTypeStatusQuery = z.object({
  ...PageQuery,
  started: QueryTimestamp.optional(),
  ended: QueryTimestamp.optional(),
  is_active: QueryBool.optional(),
});

export const JobTypeNameParams = z.object({ name: z.string().min(1) });
export const JobTypeParams = z.object({ name: z.string().min(1), version: z.string().min(1) });
export const JobTypeRevisionParams = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  revision_num: idParam(MAX_INT),
});
