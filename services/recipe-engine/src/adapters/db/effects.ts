/**
 * Carries out the reducer's local commands (conditions, sub-recipes, completion) in the advancing transaction,
 * and records the jobs the scheduler created for recipe nodes. Each write is idempotent: a node is inserted at
 * most once (recipe_node_unique, recipe_sub_node), a completion only once.
 */
import { Data, diffRecipeDefinitions, RecipeDefinition } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { ValidationError } from '@scale/runtime';
import { forcedForNewInput } from '../../domain/reprocess.ts';
import type { LocalCommand } from '../../domain/tree.ts';
import { recordInputFiles } from './recipes.ts';
import { supersedeInto } from './supersede.ts';
import type { OrphanJob } from './tree-loader.ts';

/** Applies the commands; returns how many changed something. */
export async function applyLocal(tx: EntityManager, commands: readonly LocalCommand[]): Promise<number> {
  let changed = 0;
  for (const command of commands) {
    switch (command.type) {
      case 'PROCESS_CONDITION':
        if (await processCondition(tx, command)) changed++;
        break;
      case 'CREATE_SUB_RECIPE':
        if (await createSubRecipe(tx, command)) changed++;
        break;
      case 'COMPLETE_RECIPE': {
        const rows = await tx.execute<{ id: string }[]>(
          `update recipe set is_completed = true, completed = now(), last_modified = now()
            where id = ? and not is_completed returning id`,
          [command.recipeId],
        );
        changed += rows.length;
        break;
      }
    }
  }
  return changed;
}

async function processCondition(
  tx: EntityManager,
  command: Extract<LocalCommand, { type: 'PROCESS_CONDITION' }>,
): Promise<boolean> {
  const [condition] = await tx.execute<{ id: string }[]>(
    `insert into recipe_condition (root_recipe_id, recipe_id, data, is_processed, is_accepted, processed)
     values (?, ?, ?, true, ?, now()) returning id`,
    [command.rootRecipeId, command.recipeId, JSON.stringify(command.data), command.accepted],
  );
  const node = await tx.execute<{ id: string }[]>(
    `insert into recipe_node (recipe_id, node_name, condition_id) values (?, ?, ?)
     on conflict (recipe_id, node_name) do nothing returning id`,
    [command.recipeId, command.node, condition!.id],
  );
  if (node.length) return true;
  await tx.execute('delete from recipe_condition where id = ?', [condition!.id]);
  return false;
}

async function createSubRecipe(
  tx: EntityManager,
  command: Extract<LocalCommand, { type: 'CREATE_SUB_RECIPE' }>,
): Promise<boolean> {
  const [row] = await tx.execute<{ id: string }[]>(
    `insert into recipe (recipe_type_id, recipe_type_rev_id, recipe_id, root_recipe_id, recipe_node_name, input,
                         configuration, superseded_recipe_id, root_superseded_recipe_id, forced_nodes)
     values (?, ?, ?, ?, ?, ?, ?, ?, (select coalesce(root_superseded_recipe_id, id) from recipe where id = ?), ?)
     on conflict (recipe_id, recipe_node_name) where recipe_id is not null do nothing
     returning id`,
    [
      command.recipeTypeId,
      command.revisionId,
      command.recipeId,
      command.rootRecipeId,
      command.node,
      JSON.stringify(command.input),
      command.priority === undefined && command.configuration === undefined
        ? null
        : JSON.stringify({
            ...command.configuration,
            ...(command.priority === undefined ? {} : { priority: command.priority }),
          }),
      command.supersedes?.recipeId ?? null,
      command.supersedes?.recipeId ?? null,
      command.supersedes ? JSON.stringify(command.supersedes.forcedNodes) : null,
    ],
  );
  if (!row) return false;
  const subId = Number(row.id);
  await tx.execute(
    `insert into recipe_node (recipe_id, node_name, sub_recipe_id) values (?, ?, ?)
     on conflict (recipe_id, node_name) do nothing`,
    [command.recipeId, command.node, subId],
  );
  // Its input comes from recipe inputs and upstream products the scheduler already checked; a file deleted since
  // then is left to fail the job that reads it rather than stall the recipe here.
  await recordInputFiles(tx, subId, command.input).catch((err: unknown) => {
    if (!(err instanceof ValidationError)) throw err;
  });
  if (command.supersedes) await reuseFromSupersededSubRecipe(tx, subId, command.supersedes.recipeId, command);
  return true;
}

/**
 * A sub-recipe re-run by a reprocess supersedes the one its parent's predecessor had, and reuses its unchanged,
 * unforced nodes when it gets the same input.
 */
async function reuseFromSupersededSubRecipe(
  tx: EntityManager,
  subId: number,
  oldId: number,
  command: Extract<LocalCommand, { type: 'CREATE_SUB_RECIPE' }>,
): Promise<void> {
  const [old] = await tx.execute<{ input: unknown; definition: unknown }[]>(
    `select r.input, rev.definition from recipe r join recipe_type_revision rev on rev.id = r.recipe_type_rev_id
      where r.id = ?`,
    [oldId],
  );
  const [current] = await tx.execute<{ definition: unknown }[]>(
    'select definition from recipe_type_revision where id = ?',
    [command.revisionId],
  );
  if (!old || !current) return;
  const oldInput = Data.safeParse(old.input);
  const forced = oldInput.success
    ? forcedForNewInput(command.supersedes!.forcedNodes, oldInput.data, command.input)
    : { all: true };
  const diff = diffRecipeDefinitions(
    RecipeDefinition.parse(old.definition),
    RecipeDefinition.parse(current.definition),
    forced,
  );
  await supersedeInto(tx, oldId, subId, diff);
}

/** Records the job of each node (inserted once, whoever gets there first). */
export async function recordJobNodes(em: EntityManager, jobs: readonly OrphanJob[]): Promise<number> {
  if (jobs.length === 0) return 0;
  const rows = await em.execute<{ id: string }[]>(
    `insert into recipe_node (recipe_id, node_name, job_id)
     select x.recipe_id, x.node, x.job_id from jsonb_to_recordset(?::jsonb) as x(recipe_id bigint, node text, job_id bigint)
     on conflict (recipe_id, node_name) do nothing returning id`,
    [JSON.stringify(jobs.map((j) => ({ recipe_id: j.recipeId, node: j.node, job_id: j.jobId })))],
  );
  return rows.length;
}
