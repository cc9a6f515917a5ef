/**
 * Recipe commands. api → recipe engine: `recipes.create`, `recipes.reprocess` (answered after commit).
 * recipe engine → scheduler: `scheduler.recipe-jobs` moves jobs a recipe created (PENDING/BLOCKED) along; the jobs
 * themselves are created with `scheduler.queue-jobs` (messages.ts) carrying their recipe node.
 */
import { z } from 'zod';
import { Data } from './data.ts';
import { ForcedNodes } from './recipe-diff.ts';

const Id = z.number().int().positive();

/**
 * A recipe's configuration (Scale's Recipe Configuration JSON). Only `priority` is applied today: it overrides
 * the job types' priority for every job of the recipe. Mounts, settings and output workspaces come from the job
 * types' own configurations.
 */
/**
 * What a recipe's configuration sets for every job inside it (Scale: merged over each job type's configuration):
 * output workspaces, mounts and setting values. A job carries it as its own `configuration`.
 */
export const JobConfigurationOverride = z.strictObject({
  output_workspaces: z
    .strictObject({ default: z.string().optional(), outputs: z.record(z.string(), z.string()).optional() })
    .optional(),
  mounts: z.record(z.string(), z.unknown()).optional(),
  settings: z.record(z.string(), z.string().nullable()).optional(),
});
export type JobConfigurationOverride = z.infer<typeof JobConfigurationOverride>;

export const RecipeConfiguration = JobConfigurationOverride.extend({
  version: z.string().optional(),
  /** Lower runs first. */
  priority: z.number().int().min(1).optional(),
});
export type RecipeConfiguration = z.infer<typeof RecipeConfiguration>;

export const CreateRecipeRequest = z.strictObject({
  recipeTypeId: Id,
  input: Data,
  configuration: RecipeConfiguration.optional(),
  /** A retried request with the same key returns the recipe the first one created. */
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type CreateRecipeRequest = z.infer<typeof CreateRecipeRequest>;
export const CreateRecipeResult = z.strictObject({ recipeId: Id });
export type CreateRecipeResult = z.infer<typeof CreateRecipeResult>;

export const ReprocessRecipeRequest = z.strictObject({
  recipeId: Id,
  forcedNodes: ForcedNodes,
  /** Revision of the recipe type to run; the latest when unset. */
  revisionNum: Id.optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type ReprocessRecipeRequest = z.infer<typeof ReprocessRecipeRequest>;
export const ReprocessRecipeResult = z.strictObject({
  /** The new recipe, which supersedes the old one. */
  recipeId: Id,
});
export type ReprocessRecipeResult = z.infer<typeof ReprocessRecipeResult>;

/** Where a job sits in a recipe; a recipe node gets at most one job (unique in the job table). */
export const RecipeJobLink = z.strictObject({
  recipeId: Id,
  rootRecipeId: Id,
  nodeName: z.string().min(1).max(100),
});
export type RecipeJobLink = z.infer<typeof RecipeJobLink>;

/**
 * recipe engine → scheduler: move recipe jobs along. Every transition is guarded (a job that is no longer in the
 * starting state is left alone and not reported), so a duplicate or stale request is harmless.
 */
export const RecipeJobsRequest = z.strictObject({
  /** PENDING or BLOCKED jobs that were never queued → QUEUED with this input (their inputs are ready). */
  queue: z
    .array(z.strictObject({ jobId: Id, input: Data }))
    .max(10_000)
    .default([]),
  /** PENDING, never queued → BLOCKED (an upstream node failed or was canceled). */
  block: z.array(Id).max(10_000).default([]),
  /** BLOCKED, never queued → PENDING (the upstream failure was requeued). */
  unblock: z.array(Id).max(10_000).default([]),
  /** Jobs of a reprocessed recipe that are replaced: marked superseded, canceled unless they completed. */
  supersede: z.array(Id).max(10_000).default([]),
});
export type RecipeJobsRequest = z.infer<typeof RecipeJobsRequest>;
export type RecipeJobsRequestInput = z.input<typeof RecipeJobsRequest>;
export const RecipeJobsResult = z.strictObject({
  queued: z.array(Id),
  blocked: z.array(Id),
  unblocked: z.array(Id),
  superseded: z.array(Id),
});
export type RecipeJobsResult = z.infer<typeof RecipeJobsResult>;
