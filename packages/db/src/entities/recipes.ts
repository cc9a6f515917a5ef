/**
 * Recipe types and recipes (migration Migration20261123120000_recipes). Writers: the API writes recipe types and
 * their revisions and links; the recipe engine writes recipes, their nodes, conditions and input files.
 */
import { defineEntity, p } from '@mikro-orm/core';
import type { Data, ForcedNodes, RecipeConfiguration, RecipeDefinition } from '@scale/contracts';

export const RecipeTypeSchema = defineEntity({
  name: 'RecipeType',
  tableName: 'recipe_type',
  properties: {
    id: p.integer().primary(),
    name: p.string(),
    title: p.string().nullable(),
    description: p.text().nullable(),
    isSystem: p.boolean().default(false),
    isActive: p.boolean().default(true),
    revisionNum: p.integer().default(1),
    definition: p.json<RecipeDefinition>(),
    created: p.datetime().onCreate(() => new Date()),
    deprecated: p.datetime().nullable(),
    lastModified: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class RecipeType extends RecipeTypeSchema.class {}
RecipeTypeSchema.setClass(RecipeType);

export const RecipeTypeRevisionSchema = defineEntity({
  name: 'RecipeTypeRevision',
  tableName: 'recipe_type_revision',
  properties: {
    id: p.integer().primary(),
    recipeTypeId: p.integer(),
    revisionNum: p.integer(),
    definition: p.json<RecipeDefinition>(),
    created: p.datetime().onCreate(() => new Date()),
  },
});
export class RecipeTypeRevision extends RecipeTypeRevisionSchema.class {}
RecipeTypeRevisionSchema.setClass(RecipeTypeRevision);

export const RecipeSchema = defineEntity({
  name: 'Recipe',
  tableName: 'recipe',
  properties: {
    id: p.bigint('number').primary(),
    recipeTypeId: p.integer(),
    recipeTypeRevId: p.integer(),
    /** The parent recipe of a sub-recipe. */
    recipeId: p.bigint('number').nullable(),
    /** The top-level recipe of a sub-recipe; null for a top-level recipe. */
    rootRecipeId: p.bigint('number').nullable(),
    /** The parent's node this sub-recipe runs for. */
    recipeNodeName: p.string().nullable(),
    batchId: p.bigint('number').nullable(),
    isSuperseded: p.boolean().default(false),
    supersededRecipeId: p.bigint('number').nullable(),
    rootSupersededRecipeId: p.bigint('number').nullable(),
    /** Nodes forced to reprocess when this recipe superseded another. */
    forcedNodes: p.json<ForcedNodes>().nullable(),
    input: p.json<Data>(),
    /** MiB. */
    inputFileSize: p.double().default(0),
    configuration: p.json<RecipeConfiguration>().nullable(),
    sourceStarted: p.datetime().nullable(),
    sourceEnded: p.datetime().nullable(),
    sourceSensorClass: p.text().nullable(),
    sourceSensor: p.text().nullable(),
    sourceCollection: p.text().nullable(),
    sourceTask: p.text().nullable(),
    isCompleted: p.boolean().default(false),
    completed: p.datetime().nullable(),
    superseded: p.datetime().nullable(),
    createKey: p.string().nullable(),
    engineLeaseOwner: p.string().nullable(),
    engineLeaseUntil: p.datetime().nullable(),
    engineDirty: p.boolean().default(false),
    lastAdvanced: p.datetime().nullable(),
    created: p.datetime().onCreate(() => new Date()),
    lastModified: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Recipe extends RecipeSchema.class {}
RecipeSchema.setClass(Recipe);

export const RecipeConditionSchema = defineEntity({
  name: 'RecipeCondition',
  tableName: 'recipe_condition',
  properties: {
    id: p.bigint('number').primary(),
    rootRecipeId: p.bigint('number'),
    recipeId: p.bigint('number'),
    batchId: p.bigint('number').nullable(),
    /** The data the filter was applied to. */
    data: p.json<Data>(),
    isProcessed: p.boolean().default(false),
    isAccepted: p.boolean().default(false),
    processed: p.datetime().nullable(),
    created: p.datetime().onCreate(() => new Date()),
    lastModified: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class RecipeCondition extends RecipeConditionSchema.class {}
RecipeConditionSchema.setClass(RecipeCondition);

export const RecipeNodeSchema = defineEntity({
  name: 'RecipeNode',
  tableName: 'recipe_node',
  properties: {
    id: p.bigint('number').primary(),
    recipeId: p.bigint('number'),
    nodeName: p.string(),
    /** False when a reprocess copied the node (and its job, sub-recipe or condition) from the superseded recipe. */
    isOriginal: p.boolean().default(true),
    jobId: p.bigint('number').nullable(),
    subRecipeId: p.bigint('number').nullable(),
    conditionId: p.bigint('number').nullable(),
    created: p.datetime().onCreate(() => new Date()),
  },
});
export class RecipeNode extends RecipeNodeSchema.class {}
RecipeNodeSchema.setClass(RecipeNode);

export const RecipeInputFileSchema = defineEntity({
  name: 'RecipeInputFile',
  tableName: 'recipe_input_file',
  properties: {
    id: p.bigint('number').primary(),
    recipeId: p.bigint('number'),
    inputFileId: p.bigint('number'),
    recipeInput: p.string(),
    created: p.datetime().onCreate(() => new Date()),
  },
});
export class RecipeInputFile extends RecipeInputFileSchema.class {}
RecipeInputFileSchema.setClass(RecipeInputFile);

export const RECIPE_ENTITIES = [
  RecipeTypeSchema,
  RecipeTypeRevisionSchema,
  RecipeSchema,
  RecipeConditionSchema,
  RecipeNodeSchema,
  RecipeInputFileSchema,
];
