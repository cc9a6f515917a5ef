/**
 * Reprocessing (scale.md 4.5): a new recipe supersedes the old one. Nodes the diff leaves alone are copied into
 * the new recipe (pointing at the same job, condition or sub-recipe), so finished work is reused; the others are
 * created afresh and the old work they replace is superseded.
 */
import { canonical, type Data, type ForcedNodes, type RecipeDiff } from '@scale/contracts';

export interface OldNode {
  name: string;
  kind: 'job' | 'condition' | 'recipe';
  /** For a sub-recipe node: whether the sub-recipe completed. */
  isCompleted?: boolean;
}

/**
 * The old nodes to copy: those the diff neither deletes nor reprocesses. A sub-recipe that has not completed is
 * run again rather than shared: its own progress belongs to the superseded tree, which the engine stops advancing.
 */
export function nodesToCopy(diff: RecipeDiff, oldNodes: readonly OldNode[]): string[] {
  const keep = new Set<string>();
  for (const old of oldNodes) {
    const node = diff.nodes[old.name];
    if (!node || node.status === 'DELETED' || node.reprocess_new_node) continue;
    if (old.kind === 'recipe' && !old.isCompleted) continue;
    keep.add(old.name);
  }
  // A node is only reused when everything it depends on is reused too, so copied work always had the same inputs.
  let changed = true;
  while (changed) {
    changed = false;
    for (const name of keep) {
      if (diff.nodes[name]!.dependencies.some((d) => !keep.has(d.name))) {
        keep.delete(name);
        changed = true;
      }
    }
  }
  return [...keep].sort();
}

/**
 * What to force inside a sub-recipe node that is run again by a reprocess: its own `sub_recipes` entry, and
 * everything when the request names none (or forced all nodes).
 */
export function subRecipeForcedNodes(forced: ForcedNodes | null, node: string): ForcedNodes {
  if (!forced || forced.all) return { all: true };
  return forced.sub_recipes?.[node] ?? { all: true };
}

/**
 * A new sub-recipe can only reuse work of the one it replaces when it gets the same input; otherwise every node
 * inside it runs again.
 */
export function forcedForNewInput(forced: ForcedNodes, oldInput: Data, newInput: Data): ForcedNodes {
  return canonical(oldInput) === canonical(newInput) ? forced : { all: true };
}

/** Why the reprocess request cannot be carried out, or undefined. */
export function reprocessProblem(diff: RecipeDiff, revisionChanged: boolean): string | undefined {
  if (!diff.can_be_reprocessed) {
    return `the recipe cannot be reprocessed: ${diff.reasons.map((r) => r.description).join('; ')}`;
  }
  const anything = Object.values(diff.nodes).some((n) => n.reprocess_new_node || n.status === 'DELETED');
  if (!anything && !revisionChanged) {
    return 'nothing to reprocess: the definition is unchanged and no node is forced';
  }
  return undefined;
}
