/**
 * /v6/recipes/: create (through the recipe engine), list, details with the instance graph, input files and
 * reprocess; and POST /v6/recipe/, the v5-bodied create that seed 003 prints under /v6/.
 */
import { dataFromLegacy, type RecipeConfiguration } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { AppError, NotFoundError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idempotencyKey } from '../commands/create-job.ts';
import { createRecipe, type RecipeCommandDeps, reprocessRecipe } from '../commands/recipes.ts';
import { DEFAULT_JOB_ORDER } from '../domain/job-list-filters.ts';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { validationFailure } from '../http/validation.ts';
import { listFiles } from '../queries/files.ts';
import { listJobs } from '../queries/job-list.ts';
import { loadJobRelations } from '../queries/job-list-relations.ts';
import { listRecipes, loadRecipeDetails, recipeInputFileIds } from '../queries/recipes.ts';
import { workspaceIssues } from '../queries/save-job-type.ts';
import {
  CreateRecipeBody,
  QueueNewRecipeBody,
  type RecipeConfigurationBody,
  RecipeInputFilesQuery,
  RecipeListQuery,
  RecipeParams,
  ReprocessRecipeBody,
} from '../schemas/recipes.ts';
import { jobListItemV5 } from '../serializers/job-list.ts';
import { recipeDetailsV5, recipeDetailsV6, recipeListItemV6 } from '../serializers/recipe.ts';
import { scaleFileV6 } from '../serializers/scale-file.ts';
import type { RouteDeps, RouteOptions } from './deps.ts';
import { inputFilesPage } from './job-input-files.ts';

function commandDeps(deps: RouteDeps): RecipeCommandDeps {
  return { nc: deps.nc, subjects: deps.subjects, commandTimeoutMs: deps.commandTimeoutMs };
}

/** The engine answers after commit, so a fresh read sees the recipe. */
async function committedDetails(em: EntityManager, id: number) {
  const details = await loadRecipeDetails(em, id);
  if (!details) throw new AppError('INTERNAL', `recipe engine reported recipe ${id} but it cannot be read back`);
  return details;
}

/** The v5 recipe details of seeds 000/003: the v6 details plus its input files and its jobs in the v5 shape. */
export async function recipeV5Body(em: EntityManager, id: number, workspaceId?: number) {
  const details = await committedDetails(em, id);
  const fileIds = (await recipeInputFileIds(em, id)) ?? [];
  const files = fileIds.length ? await listFiles(em, { ids: fileIds }, { limit: 1000, offset: 0 }) : null;
  const jobNodes = [...details.nodes].flatMap(([name, n]) => (n.kind === 'job' ? [{ name, jobId: n.jobId }] : []));
  const jobs = jobNodes.length
    ? await listJobs(em, { jobIds: jobNodes.map((j) => j.jobId) }, DEFAULT_JOB_ORDER, { limit: 1000, offset: 0 })
    : { rows: [] };
  const relations = await loadJobRelations(em, jobs.rows);
  const byId = new Map(jobs.rows.map((row) => [row.id, row]));
  return recipeDetailsV5(
    details,
    files ? files.rows.map((f) => scaleFileV6(f, files)) : [],
    jobNodes.flatMap((j) => {
      const row = byId.get(j.jobId);
      return row ? [{ nodeName: j.name, body: jobListItemV5(row, relations) }] : [];
    }),
    workspaceId,
  );
}

/** The configuration as the engine stores it: only what was sent (zod leaves absent keys out already). */
function recipeConfiguration(body: RecipeConfigurationBody): RecipeConfiguration {
  const { version, priority, output_workspaces, mounts, settings } = body;
  return {
    ...(version === undefined ? {} : { version }),
    ...(priority === undefined ? {} : { priority }),
    ...(output_workspaces === undefined ? {} : { output_workspaces }),
    ...(mounts === undefined ? {} : { mounts }),
    ...(settings === undefined ? {} : { settings }),
  };
}

export const recipeRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.post('/recipes/', { schema: { body: CreateRecipeBody } }, async (request, reply) => {
    const body = request.body;
    const key = idempotencyKey(request.headers);
    const configuration = body.configuration ? recipeConfiguration(body.configuration) : undefined;
    const workspaces = configuration ? await workspaceIssues(deps.orm.em.fork(), configuration) : [];
    if (workspaces.length) throw validationFailure('request body', workspaces);
    const id = await createRecipe(
      commandDeps(deps),
      {
        recipeTypeId: body.recipe_type_id,
        input: body.input,
        ...(configuration ? { configuration } : {}),
        ...(key ? { idempotencyKey: key } : {}),
      },
      (field) => (field === 'recipeTypeId' ? 'recipe_type_id' : field),
    );
    const details = await committedDetails(deps.orm.em.fork(), id);
    return reply.code(201).header('Location', `/v6/recipes/${id}/`).send(recipeDetailsV6(details));
  });

  app.post('/recipe/', { schema: { body: QueueNewRecipeBody } }, async (request, reply) => {
    const body = request.body;
    const key = idempotencyKey(request.headers);
    const id = await createRecipe(
      commandDeps(deps),
      {
        recipeTypeId: body.recipe_type_id,
        input: dataFromLegacy(body.recipe_data),
        ...(key ? { idempotencyKey: key } : {}),
      },
      (field) =>
        field === 'recipeTypeId'
          ? 'recipe_type_id'
          : field.replace(/^input\.(files|json)\./, 'recipe_data.input_data.'),
    );
    const body5 = await recipeV5Body(deps.orm.em.fork(), id, body.recipe_data.workspace_id);
    return reply.code(201).header('Location', `/v6/recipes/${id}/`).send(body5);
  });

  app.get('/recipes/', { schema: { querystring: RecipeListQuery } }, async (request) => {
    const q = request.query;
    const { count, rows, relations } = await listRecipes(
      deps.orm.em.fork(),
      {
        ...(q.started ? { started: q.started } : {}),
        ...(q.ended ? { ended: q.ended } : {}),
        ...(q.source_started ? { sourceStarted: q.source_started } : {}),
        ...(q.source_ended ? { sourceEnded: q.source_ended } : {}),
        ...(q.source_sensor_class ? { sourceSensorClass: q.source_sensor_class } : {}),
        ...(q.source_sensor ? { sourceSensor: q.source_sensor } : {}),
        ...(q.source_collection ? { sourceCollection: q.source_collection } : {}),
        ...(q.source_task ? { sourceTask: q.source_task } : {}),
        ...(q.recipe_id ? { recipeId: q.recipe_id } : {}),
        ...(q.recipe_type_id ? { recipeTypeId: q.recipe_type_id } : {}),
        ...(q.recipe_type_name ? { recipeTypeName: q.recipe_type_name } : {}),
        ...(q.batch_id ? { batchId: q.batch_id } : {}),
        ...(q.root_recipe_id ? { rootRecipeId: q.root_recipe_id } : {}),
        ...(q.is_superseded === undefined ? {} : { isSuperseded: q.is_superseded }),
        ...(q.is_completed === undefined ? {} : { isCompleted: q.is_completed }),
        ...(q.order ? { order: q.order } : {}),
      },
      pageWindow(q),
    );
    return buildPage(
      request,
      q,
      count,
      rows.map((r) => recipeListItemV6(r, relations)),
    );
  });

  app.get('/recipes/:id/', { schema: { params: RecipeParams } }, async (request) => {
    const details = await loadRecipeDetails(deps.orm.em.fork(), request.params.id);
    if (!details) throw NotFoundError.of('recipe', request.params.id);
    return recipeDetailsV6(details);
  });

  app.get(
    '/recipes/:id/input_files/',
    { schema: { params: RecipeParams, querystring: RecipeInputFilesQuery } },
    async (request) => {
      const q = request.query;
      const em = deps.orm.em.fork();
      const ids = await recipeInputFileIds(em, request.params.id, q.recipe_input);
      if (!ids) throw NotFoundError.of('recipe', request.params.id);
      return inputFilesPage(request, em, ids, q);
    },
  );

  app.post(
    '/recipes/:id/reprocess/',
    { schema: { params: RecipeParams, body: ReprocessRecipeBody } },
    async (request, reply) => {
      const key = idempotencyKey(request.headers);
      const id = await reprocessRecipe(commandDeps(deps), {
        recipeId: request.params.id,
        forcedNodes: request.body.forced_nodes,
        ...(request.body.revision_num === undefined ? {} : { revisionNum: request.body.revision_num }),
        ...(key ? { idempotencyKey: key } : {}),
      });
      // Scale answers 202 with no body; the new recipe's address is given so a client can follow it.
      return reply.code(202).header('Location', `/v6/recipes/${id}/`).send();
    },
  );
};
