/**
 * Recipe bodies: the v6 list item and details (Scale's recipe docs), the recipe instance graph (seed 003
 * "Recipe Instance JSON", field for field) and the v5 details that /queue/new-recipe/ and /v6/recipe/ answer
 * (seeds 000 and 003).
 */
import { legacyFromData, type RecipeDefinition } from '@scale/contracts';
import type { JobType, Recipe, RecipeType } from '@scale/db';
import type { InstanceNode, RecipeCounts, RecipeDetails, RecipeRelations } from '../queries/recipes.ts';
import { iso } from './common.ts';

function countsV6(c: RecipeCounts) {
  return {
    jobs_total: c.jobsTotal,
    jobs_pending: c.jobsPending,
    jobs_blocked: c.jobsBlocked,
    jobs_queued: c.jobsQueued,
    jobs_running: c.jobsRunning,
    jobs_failed: c.jobsFailed,
    jobs_completed: c.jobsCompleted,
    jobs_canceled: c.jobsCanceled,
    sub_recipes_total: c.subRecipesTotal,
    sub_recipes_completed: c.subRecipesCompleted,
  };
}

function recipeTypeSummary(rt: RecipeType) {
  return { id: rt.id, name: rt.name, title: rt.title, description: rt.description, revision_num: rt.revisionNum };
}

function revisionSummary(recipe: Recipe, rel: RecipeRelations) {
  return {
    id: recipe.recipeTypeRevId,
    recipe_type: { id: recipe.recipeTypeId },
    revision_num: rel.revisions.get(recipe.recipeTypeRevId)?.revisionNum ?? null,
  };
}

/** Scale's RecipeBaseSerializerV6, for the parent and the supersede chain; no trigger events exist, so no event. */
function recipeRefV6(id: number | null | undefined, rel: RecipeRelations) {
  if (id == null) return null;
  const recipe = rel.neighbours.get(id);
  if (!recipe) return { id, recipe_type: null, recipe_type_rev: null, event: null };
  const type = rel.recipeTypes.get(recipe.recipeTypeId);
  return {
    id,
    recipe_type: type ? recipeTypeSummary(type) : null,
    recipe_type_rev: revisionSummary(recipe, rel),
    event: null,
  };
}

function source(recipe: Recipe) {
  return {
    source_started: iso(recipe.sourceStarted),
    source_ended: iso(recipe.sourceEnded),
    source_sensor_class: recipe.sourceSensorClass,
    source_sensor: recipe.sourceSensor,
    source_collection: recipe.sourceCollection,
    source_task: recipe.sourceTask,
  };
}

const batchRef = (id: number | null | undefined) => (id == null ? null : { id });

export function recipeListItemV6(recipe: Recipe, rel: RecipeRelations) {
  return {
    id: recipe.id,
    recipe_type: recipeTypeSummary(rel.recipeTypes.get(recipe.recipeTypeId)!),
    recipe_type_rev: revisionSummary(recipe, rel),
    event: null,
    recipe: recipeRefV6(recipe.recipeId, rel),
    batch: batchRef(recipe.batchId),
    is_superseded: recipe.isSuperseded,
    superseded_recipe: recipeRefV6(recipe.supersededRecipeId, rel),
    input_file_size: recipe.inputFileSize,
    ...source(recipe),
    ...countsV6(rel.counts.get(recipe.id)!),
    is_completed: recipe.isCompleted,
    created: iso(recipe.created),
    completed: iso(recipe.completed),
    superseded: iso(recipe.superseded),
    last_modified: iso(recipe.lastModified),
  };
}

/** The recipe instance JSON: every node that exists so far, as seed 003 prints it. */
export function recipeInstanceV6(definition: RecipeDefinition, nodes: ReadonlyMap<string, InstanceNode>) {
  const result: Record<string, unknown> = {};
  for (const [name, node] of Object.entries(definition.nodes)) {
    const state = nodes.get(name);
    if (!state) continue;
    const t = node.node_type;
    let nodeType: Record<string, unknown>;
    if (t.node_type === 'job' && state.kind === 'job') {
      nodeType = {
        node_type: 'job',
        job_type_name: t.job_type_name,
        job_type_version: t.job_type_version,
        job_type_revision: t.job_type_revision,
        job_id: state.jobId,
        status: state.status,
      };
    } else if (t.node_type === 'recipe' && state.kind === 'recipe') {
      nodeType = {
        node_type: 'recipe',
        recipe_type_name: t.recipe_type_name,
        recipe_type_revision: t.recipe_type_revision,
        recipe_id: state.recipe.id,
        is_completed: state.recipe.isCompleted,
        ...countsV6(state.counts),
      };
    } else if (t.node_type === 'condition' && state.kind === 'condition') {
      nodeType = {
        node_type: 'condition',
        condition_id: state.conditionId,
        is_processed: state.isProcessed,
        is_accepted: state.isAccepted,
      };
    } else {
      continue;
    }
    result[name] = { dependencies: node.dependencies.map((d) => ({ name: d.name })), node_type: nodeType };
  }
  return { nodes: result };
}

export function recipeDetailsV6(details: RecipeDetails) {
  const { recipe, relations } = details;
  return {
    id: recipe.id,
    recipe_type: recipeTypeSummary(relations.recipeTypes.get(recipe.recipeTypeId)!),
    recipe_type_rev: revisionSummary(recipe, relations),
    event: null,
    recipe: recipeRefV6(recipe.recipeId, relations),
    batch: batchRef(recipe.batchId),
    is_superseded: recipe.isSuperseded,
    superseded_recipe: recipeRefV6(recipe.supersededRecipeId, relations),
    superseded_by_recipe: recipeRefV6(relations.supersededBy.get(recipe.id), relations),
    input: recipe.input,
    input_file_size: recipe.inputFileSize,
    ...source(recipe),
    ...countsV6(relations.counts.get(recipe.id)!),
    is_completed: recipe.isCompleted,
    created: iso(recipe.created),
    completed: iso(recipe.completed),
    superseded: iso(recipe.superseded),
    last_modified: iso(recipe.lastModified),
    details: recipeInstanceV6(details.definition, details.nodes),
    job_types: details.jobTypes.map((jt: JobType) => ({
      id: jt.id,
      name: jt.name,
      version: jt.version,
      title: jt.title,
      description: jt.description,
      icon_code: jt.iconCode,
    })),
    sub_recipe_types: details.subRecipeTypes.map(recipeTypeSummary),
  };
}

/** A v6 definition in the v5 recipe definition shape (version 1.0: input_data and jobs with their connections). */
export function legacyDefinition(definition: RecipeDefinition) {
  const inputData = [
    ...(definition.input.files ?? []).map((f) => ({
      name: f.name,
      type: f.multiple ? 'files' : 'file',
      media_types: f.media_types ?? [],
      required: f.required ?? true,
    })),
    ...(definition.input.json ?? []).map((j) => ({ name: j.name, type: 'property', required: j.required ?? true })),
  ];
  const jobs = Object.entries(definition.nodes).flatMap(([name, node]) => {
    const t = node.node_type;
    if (t.node_type !== 'job') return [];
    const connections = Object.entries(node.input);
    return [
      {
        name,
        job_type: { name: t.job_type_name, version: t.job_type_version },
        recipe_inputs: connections.flatMap(([input, c]) =>
          c.type === 'recipe' ? [{ job_input: input, recipe_input: c.input }] : [],
        ),
        dependencies: node.dependencies.map((d) => ({
          name: d.name,
          connections: connections.flatMap(([input, c]) =>
            c.type === 'dependency' && c.node === d.name ? [{ output: c.output, input }] : [],
          ),
        })),
      },
    ];
  });
  return { version: '1.0', input_data: inputData, jobs };
}

export interface V5Job {
  nodeName: string;
  body: unknown;
}

/** The v5 recipe details of seeds 000/003 (POST /queue/new-recipe/, POST /v6/recipe/). */
export function recipeDetailsV5(details: RecipeDetails, inputFiles: unknown[], jobs: V5Job[], workspaceId?: number) {
  const { recipe, relations, definition } = details;
  const type = relations.recipeTypes.get(recipe.recipeTypeId)!;
  return {
    id: recipe.id,
    recipe_type: {
      id: type.id,
      name: type.name,
      version: String(relations.revisions.get(recipe.recipeTypeRevId)?.revisionNum ?? type.revisionNum),
      description: type.description,
      is_active: type.isActive,
      definition: legacyDefinition(definition),
      created: iso(type.created),
      last_modified: iso(type.lastModified),
      archived: iso(type.deprecated),
    },
    event: null,
    created: iso(recipe.created),
    completed: iso(recipe.completed),
    last_modified: iso(recipe.lastModified),
    data: {
      version: '1.0',
      input_data: legacyFromData(recipe.input),
      ...(workspaceId === undefined ? {} : { workspace_id: workspaceId }),
    },
    input_files: inputFiles,
    jobs: jobs.map((j) => ({ job_name: j.nodeName, job: j.body })),
  };
}
