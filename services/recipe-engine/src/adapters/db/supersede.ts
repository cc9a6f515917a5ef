/**
 * The Postgres side of superseding (scale.md 4.5): the new recipe gets copies of the nodes the diff leaves alone
 * (same job, condition or sub-recipe, `is_original` false), and the old recipe with every sub-recipe the new one
 * does not reuse is marked superseded. Their jobs are superseded by the scheduler afterwards (the tree loader
 * finds them), so this stays one local transaction.
 */
import type { RecipeDiff } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { nodesToCopy, type OldNode } from '../../domain/reprocess.ts';

export async function supersedeInto(
  tx: EntityManager,
  oldId: number,
  newId: number,
  diff: RecipeDiff,
): Promise<string[]> {
  const rows = await tx.execute<
    { node_name: string; job_id: string | null; sub_recipe_id: string | null; is_completed: boolean | null }[]
  >(
    `select n.node_name, n.job_id, n.sub_recipe_id, s.is_completed
       from recipe_node n left join recipe s on s.id = n.sub_recipe_id
      where n.recipe_id = ?`,
    [oldId],
  );
  const old: OldNode[] = rows.map((r) => ({
    name: r.node_name,
    kind: r.job_id !== null ? 'job' : r.sub_recipe_id !== null ? 'recipe' : 'condition',
    isCompleted: r.is_completed === true,
  }));
  const copied = nodesToCopy(diff, old);
  if (copied.length) {
    await tx.execute(
      `insert into recipe_node (recipe_id, node_name, is_original, job_id, sub_recipe_id, condition_id)
       select ?, node_name, false, job_id, sub_recipe_id, condition_id
         from recipe_node where recipe_id = ? and node_name in (?)
       on conflict (recipe_id, node_name) do nothing`,
      [newId, oldId, copied],
    );
  }
  // Sub-recipes the new recipe reuses stay live, with everything below them.
  await tx.execute(
    `with recursive kept(id) as (
       select sub_recipe_id from recipe_node where recipe_id = ? and sub_recipe_id is not null
       union
       select r.id from recipe r join kept on r.recipe_id = kept.id
     ), old(id) as (
       select ?::bigint
       union
       select r.id from recipe r join old on r.recipe_id = old.id where r.id not in (select id from kept)
     )
     update recipe set is_superseded = true, superseded = now(), last_modified = now()
      where id in (select id from old) and not is_superseded`,
    [newId, oldId],
  );
  return copied;
}
