/** REST bodies and parameters of /v6/recipe-types/. */
import { RecipeDefinition } from '@scale/contracts';
import { z } from 'zod';
import { PageQuery } from '../http/pagination.ts';
import { listParam, orderList, QueryBool } from '../http/query.ts';
import { RECIPE_TYPE_ORDER_FIELDS } from '../queries/recipe-types.ts';

const Title = z.string().trim().min(1).max(50);
const Description = z.string().max(10_000).nullable();

/** POST /v6/recipe-types/: the name is derived from the title, as Scale does. */
export const CreateRecipeTypeBody = z.strictObject({
  title: Title,
  description: Description.optional(),
  definition: RecipeDefinition,
});

/** PATCH /v6/recipe-types/<name>/: every field optional. */
export const EditRecipeTypeBody = z.strictObject({
  title: Title.optional(),
  description: Description.optional(),
  definition: RecipeDefinition.optional(),
  /** Move the recipe types that contain this one to its new revision. @default true */
  auto_update: z.boolean().optional(),
  is_active: z.boolean().optional(),
});

/**
 * POST /v6/recipe-types/validation/: the definition is checked by the endpoint itself, so a broken one is an
 * answer (`is_valid: false`), not a 400.
 */
export const ValidateRecipeTypeBody = z.strictObject({
  name: z.string().min(1).max(50).optional(),
  definition: z.custom<unknown>((v) => v !== undefined, 'This field is required.'),
});

export const RecipeTypeListQuery = z.object({
  ...PageQuery,
  keyword: listParam(z.string().min(1), 'Matches name, title or description; repeatable (OR).'),
  is_active: QueryBool.optional(),
  is_system: QueryBool.optional(),
  order: orderList(RECIPE_TYPE_ORDER_FIELDS),
});

export const RecipeTypeParams = z.object({ name: z.string().min(1).max(50) });
export const RecipeTypeRevisionParams = z.object({
  name: z.string().min(1).max(50),
  revision_num: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().positive().max(2_147_483_647)),
});
