/** REST bodies and parameters of /v6/recipes/, /v6/recipe/ and /queue/new-recipe/. */
import { Data, ForcedNodes, LegacyJobData } from '@scale/contracts';
import { z } from 'zod';
import { PageQuery } from '../http/pagination.ts';
import { listParam, orderList, QueryBool, QueryInt, QueryTimestamp, repeated } from '../http/query.ts';
import { RECIPE_ORDER_FIELDS } from '../queries/recipes.ts';
import { idParam, MAX_INT } from './common.ts';
import { TimeField } from './files.ts';
import { JobTypeConfigurationBody, MountConfiguration } from './job-types.ts';

/**
 * Scale's recipe configuration, for every job of the recipe and of its sub-recipes: `priority` replaces the job
 * types' priority; output workspaces, mounts and settings are laid over each job type's configuration, entry by
 * entry. Shapes as in the job type configuration.
 */
export const RecipeConfigurationBody = z.strictObject({
  version: z.string().optional(),
  priority: z.number().int().min(1).max(MAX_INT).optional(),
  output_workspaces: JobTypeConfigurationBody.shape.output_workspaces,
  mounts: z.record(z.string(), MountConfiguration).optional(),
  settings: JobTypeConfigurationBody.shape.settings,
});
export type RecipeConfigurationBody = z.infer<typeof RecipeConfigurationBody>;

export const CreateRecipeBody = z.strictObject({
  recipe_type_id: z.number().int().positive().max(MAX_INT),
  input: Data,
  configuration: RecipeConfigurationBody.optional(),
});

/** v5 recipe_data 1.0 (seeds 000 and 003): job_data with the workspace for the outputs. */
export const LegacyRecipeData = LegacyJobData.extend({ workspace_id: z.number().int().positive().optional() });

export const QueueNewRecipeBody = z.strictObject({
  recipe_type_id: z.number().int().positive().max(MAX_INT),
  recipe_data: LegacyRecipeData,
});

export const RecipeListQuery = z.object({
  ...PageQuery,
  started: QueryTimestamp.optional(),
  ended: QueryTimestamp.optional(),
  source_started: QueryTimestamp.optional(),
  source_ended: QueryTimestamp.optional(),
  source_sensor_class: listParam(z.string().min(1), 'Source sensor class; repeatable (OR).'),
  source_sensor: listParam(z.string().min(1), 'Source sensor; repeatable (OR).'),
  source_collection: listParam(z.string().min(1), 'Source collection; repeatable (OR).'),
  source_task: listParam(z.string().min(1), 'Source task; repeatable (OR).'),
  recipe_id: listParam(QueryInt, 'Recipe id; repeatable (OR).'),
  recipe_type_id: listParam(QueryInt, 'Recipe type id; repeatable (OR).'),
  recipe_type_name: listParam(z.string().min(1), 'Recipe type name; repeatable (OR).'),
  batch_id: listParam(QueryInt, 'Batch id; repeatable (OR).'),
  root_recipe_id: listParam(QueryInt, 'Top-level recipe of sub-recipes; repeatable (OR).'),
  is_superseded: QueryBool.optional(),
  is_completed: QueryBool.optional(),
  order: orderList(RECIPE_ORDER_FIELDS),
});

export const RecipeParams = z.object({ id: idParam() });

export const RecipeInputFilesQuery = z.object({
  ...PageQuery,
  started: QueryTimestamp.optional(),
  ended: QueryTimestamp.optional(),
  time_field: TimeField.optional(),
  file_name: repeated(z.string().min(1)),
  recipe_input: repeated(z.string().min(1)),
});

export const ReprocessRecipeBody = z.strictObject({
  forced_nodes: ForcedNodes,
  /** The recipe type revision to run; the latest when absent. */
  revision_num: z.number().int().positive().max(MAX_INT).optional(),
});
