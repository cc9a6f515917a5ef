/**
 * Recipes are owned by the recipe engine: the API asks it to create or reprocess one (recipes.create,
 * recipes.reprocess), waits for its answer after commit, and reads the committed recipe back from Postgres.
 * Field errors of the engine's answer are renamed to this API's fields.
 */
import {
  CreateRecipeRequest,
  CreateRecipeResult,
  type Data,
  type FieldError,
  type ForcedNodes,
  type RecipeConfiguration,
  ReprocessRecipeRequest,
  ReprocessRecipeResult,
  type Subjects,
} from '@scale/contracts';
import { AppError, type NatsConnection, requestCommand } from '@scale/runtime';

export interface RecipeCommandDeps {
  nc: NatsConnection;
  subjects: Subjects;
  commandTimeoutMs: number;
}

/** Renames the engine's fields (`recipeTypeId`, `input.json.x`) into the caller's (`recipe_type_id`, ...). */
async function renamed<T>(call: Promise<T>, rename: (field: string) => string): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof AppError && err.details?.length) {
      const details: FieldError[] = err.details.map((d) => ({ field: rename(d.field), message: d.message }));
      throw new AppError(err.code, err.message, { cause: err, details });
    }
    throw err;
  }
}

export function createRecipe(
  deps: RecipeCommandDeps,
  request: { recipeTypeId: number; input: Data; configuration?: RecipeConfiguration; idempotencyKey?: string },
  rename: (field: string) => string,
): Promise<number> {
  const call = requestCommand(
    deps.nc,
    deps.subjects.command('recipes', 'create'),
    CreateRecipeRequest.parse(request),
    CreateRecipeResult,
    { timeoutMs: deps.commandTimeoutMs, idempotent: request.idempotencyKey !== undefined },
  );
  return renamed(call, rename).then((r) => r.recipeId);
}

const REPROCESS_FIELDS: [RegExp, string][] = [
  [/^forcedNodes/, 'forced_nodes'],
  [/^revisionNum/, 'revision_num'],
  [/^recipeId$/, '(root)'],
];

export function reprocessRecipe(
  deps: RecipeCommandDeps,
  request: { recipeId: number; forcedNodes: ForcedNodes; revisionNum?: number; idempotencyKey?: string },
): Promise<number> {
  const call = requestCommand(
    deps.nc,
    deps.subjects.command('recipes', 'reprocess'),
    ReprocessRecipeRequest.parse(request),
    ReprocessRecipeResult,
    { timeoutMs: deps.commandTimeoutMs, idempotent: request.idempotencyKey !== undefined },
  );
  const rename = (field: string) => {
    for (const [pattern, name] of REPROCESS_FIELDS) if (pattern.test(field)) return field.replace(pattern, name);
    return field;
  };
  return renamed(call, rename).then((r) => r.recipeId);
}
