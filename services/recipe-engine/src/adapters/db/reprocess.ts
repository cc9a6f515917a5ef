/**
 * The recipes.reprocess command's transaction: a new top-level recipe of the requested (or latest) revision
 * supersedes the old one, reusing what the diff leaves alone. The engine then advances the new recipe, which
 * creates the replacement jobs and has the scheduler supersede the replaced ones.
 */
import {
  diffRecipeDefinitions,
  type FieldError,
  RecipeDefinition,
  type ReprocessRecipeRequest,
} from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { NotFoundError, requestFingerprint, ValidationError } from '@scale/runtime';
import { reprocessProblem } from '../../domain/reprocess.ts';
import { recipeOfKey } from './recipes.ts';
import { supersedeInto } from './supersede.ts';

interface OldRecipeRow {
  id: string;
  recipe_type_id: number;
  recipe_type_rev_id: number;
  recipe_id: string | null;
  is_superseded: boolean;
  root_superseded_recipe_id: string | null;
  current_revision: number;
  definition: unknown;
}

export async function reprocessRecipe(tx: EntityManager, request: ReprocessRecipeRequest): Promise<number> {
  // Only a keyed request needs its fingerprint.
  const fingerprint = request.idempotencyKey ? requestFingerprint('recipes-reprocess', request) : null;
  if (request.idempotencyKey) {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`recipes-reprocess:${request.idempotencyKey}`]);
    const previous = await recipeOfKey(tx, request.idempotencyKey, fingerprint!);
    if (previous !== undefined) return previous;
  }
  // The row lock makes two concurrent reprocesses of one recipe run one after the other: the second finds it superseded.
  const [old] = await tx.execute<OldRecipeRow[]>(
    `select r.id, r.recipe_type_id, r.recipe_type_rev_id, r.recipe_id, r.is_superseded, r.root_superseded_recipe_id,
            t.revision_num as current_revision, rev.definition
       from recipe r
       join recipe_type t on t.id = r.recipe_type_id
       join recipe_type_revision rev on rev.id = r.recipe_type_rev_id
      where r.id = ?
      for update of r`,
    [request.recipeId],
  );
  if (!old) throw NotFoundError.of('recipe', request.recipeId);
  if (old.recipe_id !== null) {
    throw ValidationError.field('recipeId', 'a sub-recipe is reprocessed through its top-level recipe');
  }
  if (old.is_superseded) throw ValidationError.field('recipeId', 'Cannot reprocess a superseded recipe');
  const revisionNum = request.revisionNum ?? old.current_revision;
  const [target] = await tx.execute<{ id: number; definition: unknown }[]>(
    'select id, definition from recipe_type_revision where recipe_type_id = ? and revision_num = ?',
    [old.recipe_type_id, revisionNum],
  );
  if (!target) throw ValidationError.field('revisionNum', `the recipe type has no revision ${revisionNum}`);
  const definition = RecipeDefinition.parse(target.definition);
  const problems = forcedNodeProblems(request.forcedNodes, definition);
  if (problems.length) throw new ValidationError(`${problems[0]!.field}: ${problems[0]!.message}`, problems);

  const diff = diffRecipeDefinitions(RecipeDefinition.parse(old.definition), definition, request.forcedNodes);
  const problem = reprocessProblem(diff, target.id !== old.recipe_type_rev_id);
  if (problem) throw ValidationError.field(diff.can_be_reprocessed ? 'forcedNodes' : 'revisionNum', problem);

  const [row] = await tx.execute<{ id: string }[]>(
    `insert into recipe (recipe_type_id, recipe_type_rev_id, batch_id, input, input_file_size, configuration,
                         source_started, source_ended, source_sensor_class, source_sensor, source_collection,
                         source_task, superseded_recipe_id, root_superseded_recipe_id, forced_nodes, create_key,
                         create_request_hash)
     select recipe_type_id, ?, batch_id, input, input_file_size, configuration,
            source_started, source_ended, source_sensor_class, source_sensor, source_collection,
            source_task, id, coalesce(root_superseded_recipe_id, id), ?, ?, ?
       from recipe where id = ?
     returning id`,
    [target.id, JSON.stringify(request.forcedNodes), request.idempotencyKey ?? null, fingerprint, old.id],
  );
  const newId = Number(row!.id);
  await tx.execute(
    `insert into recipe_input_file (recipe_id, input_file_id, recipe_input)
     select ?, input_file_id, recipe_input from recipe_input_file where recipe_id = ?`,
    [newId, old.id],
  );
  await supersedeInto(tx, Number(old.id), newId, diff);
  return newId;
}

/** Forced nodes must name nodes of the revision being run; sub_recipes only recipe nodes. */
function forcedNodeProblems(forced: ReprocessRecipeRequest['forcedNodes'], definition: RecipeDefinition): FieldError[] {
  const problems: FieldError[] = [];
  (forced.nodes ?? []).forEach((name, index) => {
    if (!definition.nodes[name]) {
      problems.push({ field: `forcedNodes.nodes.${index}`, message: `the recipe has no node named ${name}` });
    }
  });
  for (const name of Object.keys(forced.sub_recipes ?? {})) {
    const node = definition.nodes[name];
    if (!node)
      problems.push({ field: `forcedNodes.sub_recipes.${name}`, message: `the recipe has no node named ${name}` });
    else if (node.node_type.node_type !== 'recipe') {
      problems.push({ field: `forcedNodes.sub_recipes.${name}`, message: `node ${name} is not a sub-recipe` });
    }
  }
  return problems;
}
