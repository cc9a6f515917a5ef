/**
 * /v6/recipe-types/: create, validate (with the diff against the current revision), list, details, edit and
 * revisions. Recipe types are catalogue data the API writes itself (ADR 0001).
 */
import { type DefinitionIssue, diffRecipeDefinitions, RecipeDefinition, type RecipeDiff } from '@scale/contracts';
import { NotFoundError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { issueFieldErrors } from '../http/validation.ts';
import {
  checkDefinition,
  definitionRelations,
  findRecipeType,
  findRecipeTypeRevision,
  listRecipeTypeRevisions,
  listRecipeTypes,
} from '../queries/recipe-types.ts';
import { createRecipeType, editRecipeType } from '../queries/save-recipe-type.ts';
import {
  CreateRecipeTypeBody,
  EditRecipeTypeBody,
  RecipeTypeListQuery,
  RecipeTypeParams,
  RecipeTypeRevisionParams,
  ValidateRecipeTypeBody,
} from '../schemas/recipe-types.ts';
import {
  recipeTypeDetailsV6,
  recipeTypeListItemV6,
  recipeTypeRevisionDetailsV6,
  recipeTypeRevisionListItemV6,
  recipeTypeValidationV6,
} from '../serializers/recipe-type.ts';
import type { RouteOptions } from './deps.ts';

export const recipeTypeRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/recipe-types/', { schema: { querystring: RecipeTypeListQuery } }, async (request) => {
    const q = request.query;
    const { count, rows } = await listRecipeTypes(
      deps.orm.em.fork(),
      {
        ...(q.keyword ? { keyword: q.keyword } : {}),
        ...(q.is_active === undefined ? {} : { isActive: q.is_active }),
        ...(q.is_system === undefined ? {} : { isSystem: q.is_system }),
        ...(q.order ? { order: q.order } : {}),
      },
      pageWindow(q),
    );
    return buildPage(request, q, count, rows.map(recipeTypeListItemV6));
  });

  app.post('/recipe-types/', { schema: { body: CreateRecipeTypeBody } }, async (request, reply) => {
    const em = deps.orm.em.fork();
    const recipeType = await createRecipeType(em, {
      title: request.body.title,
      description: request.body.description ?? null,
      definition: request.body.definition,
    });
    const relations = await definitionRelations(em, recipeType.definition);
    return reply
      .code(201)
      .header('Location', `/v6/recipe-types/${encodeURIComponent(recipeType.name)}/`)
      .send(recipeTypeDetailsV6(recipeType, relations));
  });

  app.post('/recipe-types/validation/', { schema: { body: ValidateRecipeTypeBody } }, async (request) => {
    const em = deps.orm.em.fork();
    const parsed = RecipeDefinition.safeParse(request.body.definition);
    if (!parsed.success) {
      const errors: DefinitionIssue[] = issueFieldErrors(parsed.error.issues).map((e) => ({
        name: 'INVALID_DEFINITION',
        description: `${e.field}: ${e.message}`,
        path: [],
      }));
      return recipeTypeValidationV6(errors, [], {});
    }
    const name = request.body.name;
    const { errors, warnings } = await checkDefinition(em, parsed.data, name);
    let diff: RecipeDiff | Record<string, never> = {};
    if (name) {
      const current = await findRecipeType(em, name);
      if (!current) {
        warnings.push({
          name: 'RECIPE_TYPE_NOT_FOUND',
          description: `Unable to find an existing recipe type with name: ${name}`,
          path: [],
        });
      } else {
        diff = diffRecipeDefinitions(current.definition, parsed.data);
        if (!diff.can_be_reprocessed) {
          warnings.push({
            name: 'REPROCESS_WARNING',
            description: 'Recipes of the current revision cannot be reprocessed with this definition.',
            path: [],
          });
        }
      }
    }
    return recipeTypeValidationV6(errors, warnings, diff);
  });

  app.get('/recipe-types/:name/', { schema: { params: RecipeTypeParams } }, async (request) => {
    const em = deps.orm.em.fork();
    const recipeType = await findRecipeType(em, request.params.name);
    if (!recipeType) throw new NotFoundError(`recipe type ${request.params.name} does not exist`);
    return recipeTypeDetailsV6(recipeType, await definitionRelations(em, recipeType.definition));
  });

  app.patch(
    '/recipe-types/:name/',
    { schema: { params: RecipeTypeParams, body: EditRecipeTypeBody } },
    async (request, reply) => {
      const body = request.body;
      const updated = await editRecipeType(deps.orm.em.fork(), request.params.name, {
        ...(body.title === undefined ? {} : { title: body.title }),
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(body.definition === undefined ? {} : { definition: body.definition }),
        ...(body.auto_update === undefined ? {} : { autoUpdate: body.auto_update }),
        ...(body.is_active === undefined ? {} : { isActive: body.is_active }),
      });
      if (!updated) throw new NotFoundError(`recipe type ${request.params.name} does not exist`);
      return reply.code(204).send();
    },
  );

  app.get(
    '/recipe-types/:name/revisions/',
    { schema: { params: RecipeTypeParams, querystring: RecipeTypeListQuery.pick({ page: true, page_size: true }) } },
    async (request) => {
      const em = deps.orm.em.fork();
      const recipeType = await findRecipeType(em, request.params.name);
      if (!recipeType) throw new NotFoundError(`recipe type ${request.params.name} does not exist`);
      const { count, rows } = await listRecipeTypeRevisions(em, recipeType.id, pageWindow(request.query));
      return buildPage(
        request,
        request.query,
        count,
        rows.map((r) => recipeTypeRevisionListItemV6(r, recipeType)),
      );
    },
  );

  app.get(
    '/recipe-types/:name/revisions/:revision_num/',
    { schema: { params: RecipeTypeRevisionParams } },
    async (request) => {
      const em = deps.orm.em.fork();
      const { name, revision_num } = request.params;
      const recipeType = await findRecipeType(em, name);
      const revision = recipeType ? await findRecipeTypeRevision(em, recipeType.id, revision_num) : null;
      if (!recipeType || !revision)
        throw new NotFoundError(`recipe type ${name} revision ${revision_num} does not exist`);
      return recipeTypeRevisionDetailsV6(revision, recipeType);
    },
  );
};
