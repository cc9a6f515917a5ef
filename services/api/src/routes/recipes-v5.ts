/** v5 POST /queue/new-recipe/ (also under /v5/): recipe_data 1.0 converted to v6 Data, then the v6 create path. */
import { dataFromLegacy } from '@scale/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idempotencyKey } from '../commands/create-job.ts';
import { createRecipe } from '../commands/recipes.ts';
import { QueueNewRecipeBody } from '../schemas/recipes.ts';
import type { RouteOptions } from './deps.ts';
import { recipeV5Body } from './recipes.ts';

export const recipeV5Routes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.post('/queue/new-recipe/', { schema: { body: QueueNewRecipeBody } }, async (request, reply) => {
    const body = request.body;
    const key = idempotencyKey(request.headers);
    const id = await createRecipe(
      { nc: deps.nc, subjects: deps.subjects, commandTimeoutMs: deps.commandTimeoutMs },
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
    const response = await recipeV5Body(deps.orm.em.fork(), id, body.recipe_data.workspace_id);
    return reply.code(201).header('Location', `${app.prefix}/recipes/${id}/`).send(response);
  });
};
