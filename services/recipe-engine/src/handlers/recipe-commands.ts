/**
 * recipes.create and recipes.reprocess: answered once the new recipe is committed. Its first advance (which asks
 * the scheduler for the first jobs) runs after the answer, so a slow scheduler never fails a recipe that exists;
 * should that advance fail, the sweep takes it up.
 */
import type {
  CreateRecipeRequest,
  CreateRecipeResult,
  ReprocessRecipeRequest,
  ReprocessRecipeResult,
} from '@scale/contracts';
import type { Orm } from '@scale/db';
import type { Logger } from '@scale/runtime';
import { createRecipe } from '../adapters/db/recipes.ts';
import { reprocessRecipe } from '../adapters/db/reprocess.ts';
import type { TreeRunner } from '../runner.ts';

function advanceSoon(runner: TreeRunner, log: Logger, recipeId: number): void {
  runner
    .advance(recipeId)
    .catch((err: unknown) => log.warn({ err, recipeId }, 'first advance failed, the sweep retries'));
}

export function createRecipeHandler(orm: Orm, runner: TreeRunner, log: Logger) {
  return async (request: CreateRecipeRequest): Promise<CreateRecipeResult> => {
    const recipeId = await orm.em.fork().transactional((tx) => createRecipe(tx, request));
    advanceSoon(runner, log, recipeId);
    return { recipeId };
  };
}

export function reprocessRecipeHandler(orm: Orm, runner: TreeRunner, log: Logger) {
  return async (request: ReprocessRecipeRequest): Promise<ReprocessRecipeResult> => {
    const recipeId = await orm.em.fork().transactional((tx) => reprocessRecipe(tx, request));
    log.info({ recipeId, supersedes: request.recipeId }, 'recipe reprocessed');
    advanceSoon(runner, log, recipeId);
    return { recipeId };
  };
}
