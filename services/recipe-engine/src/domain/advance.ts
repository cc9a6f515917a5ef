/**
 * The recipe engine's reducer: `advance(tree, event) → {tree, commands}` (STYLE.md 2.2). Level-triggered: the
 * commands depend only on the state, so the same state always gives the same commands, an event only brings the
 * state up to date (a duplicate, late or out-of-order one changes nothing), and any replica or the sweep can
 * advance any tree at any time. Carrying a command out twice is harmless (every effect is guarded or unique).
 *
 * Walking each recipe's nodes in dependency order (scale.md 4.2):
 * - a node is created once all its parents exist (a condition's children once it was processed and only on
 *   the side its acceptance names; the rest of that branch is skipped);
 * - a job is created QUEUED when its inputs are ready, PENDING while they are not, BLOCKED when an upstream node
 *   failed or was canceled; a PENDING job is queued with its inputs wired from the recipe input and its parents'
 *   outputs once every parent is done; failures block descendants, requeueing unblocks them;
 * - conditions are evaluated and sub-recipes started when their parents are done;
 * - a recipe completes when every node it will ever have has finished.
 */
import { acceptanceOf, type JobStatusEvent, type RecipeDependency, topologicalOrder } from '@scale/contracts';
import { evaluateFilter } from './data-filter.ts';
import { subRecipeForcedNodes } from './reprocess.ts';
import {
  type Command,
  emptyData,
  jobTypeKey,
  type NodeState,
  type RecipeState,
  type RecipeTree,
  recipeTypeKey,
} from './tree.ts';
import { wireInput } from './wiring.ts';

export interface Advanced {
  tree: RecipeTree;
  commands: Command[];
}

export function advance(tree: RecipeTree, event?: JobStatusEvent): Advanced {
  const next = event ? applyEvent(tree, event) : tree;
  return { tree: next, commands: plan(next) };
}

/** How far along a status is, to tell a newer event from a late one with the same execution number. */
const PROGRESS: Record<JobStatusEvent['status'], number> = {
  PENDING: 0,
  BLOCKED: 0,
  QUEUED: 1,
  RUNNING: 2,
  FAILED: 3,
  COMPLETED: 3,
  CANCELED: 3,
};

/**
 * The tree with the event's job status applied to every node that runs the job, when the event is newer than
 * what the tree holds: a later execution, or further along in the same one. Anything else is a duplicate or late.
 */
export function applyEvent(tree: RecipeTree, event: JobStatusEvent): RecipeTree {
  let changed = false;
  const recipes: RecipeTree['recipes'] = {};
  for (const [id, recipe] of Object.entries(tree.recipes)) {
    let nodes = recipe.nodes;
    for (const [name, state] of Object.entries(recipe.nodes)) {
      if (state.kind !== 'job' || state.jobId !== event.jobId) continue;
      const newer =
        event.exeNum > state.numExes ||
        (event.exeNum === state.numExes && PROGRESS[event.status] > PROGRESS[state.status]);
      if (!newer) continue;
      nodes = { ...nodes, [name]: { ...state, status: event.status, numExes: event.exeNum } };
      changed = true;
    }
    recipes[Number(id)] = nodes === recipe.nodes ? recipe : { ...recipe, nodes };
  }
  return changed ? { ...tree, recipes } : tree;
}

/** Every command the tree needs now, recipe by recipe (ids ascending, so the order is stable). */
export function plan(tree: RecipeTree): Command[] {
  const commands: Command[] = [];
  const ids = Object.keys(tree.recipes)
    .map(Number)
    .sort((a, b) => a - b);
  for (const id of ids) {
    const recipe = tree.recipes[id]!;
    if (recipe.isSuperseded || recipe.isCompleted) continue;
    commands.push(...planRecipe(tree, recipe));
  }
  if (tree.staleJobIds.length) commands.push({ type: 'SUPERSEDE_JOBS', jobIds: [...tree.staleJobIds] });
  return commands;
}

const FAILED: ReadonlySet<string> = new Set(['FAILED', 'CANCELED']);

/** A sub-recipe that holds blocked, failed or canceled jobs blocks the nodes after it (Scale's rule). */
export function subRecipeBlocked(tree: RecipeTree, recipeId: number, seen = new Set<number>()): boolean {
  const sub = tree.recipes[recipeId];
  if (!sub || sub.isCompleted || seen.has(recipeId)) return false;
  seen.add(recipeId);
  return Object.values(sub.nodes).some(
    (state) =>
      (state.kind === 'job' && !state.isSuperseded && (FAILED.has(state.status) || state.status === 'BLOCKED')) ||
      (state.kind === 'recipe' && subRecipeBlocked(tree, state.recipeId, seen)),
  );
}

function planRecipe(tree: RecipeTree, recipe: RecipeState): Command[] {
  const { definition, nodes } = recipe;
  const order = topologicalOrder(definition.nodes).order ?? [];
  const skipped = new Set<string>();
  const blocked = new Set<string>();
  const commands: Command[] = [];

  const isDone = (state: NodeState | undefined): boolean => {
    if (!state) return false;
    // A completion known only from an event has no output yet: the children wait for the row that holds it.
    if (state.kind === 'job') return state.status === 'COMPLETED' && state.output !== null;
    if (state.kind === 'condition') return true;
    return tree.recipes[state.recipeId]?.isCompleted === true;
  };
  /** The dependency does not stand in the way: its parent exists and, for a condition, took this side. */
  const admits = (dep: RecipeDependency): boolean => {
    const parent = nodes[dep.name];
    if (!parent) return false;
    return parent.kind !== 'condition' || parent.isAccepted === acceptanceOf(dep);
  };

  for (const name of order) {
    const node = definition.nodes[name]!;
    const state = nodes[name];
    const deps = node.dependencies;
    const parentBlocked = deps.some((d) => blocked.has(d.name));

    // A branch a condition did not take, and everything below it, is never created.
    if (deps.some((d) => skipped.has(d.name) || (nodes[d.name]?.kind === 'condition' && !admits(d)))) {
      skipped.add(name);
      continue;
    }
    if (state?.kind === 'job') {
      const waiting = state.numExes === 0 && (state.status === 'PENDING' || state.status === 'BLOCKED');
      if (FAILED.has(state.status) || (waiting && parentBlocked)) blocked.add(name);
    } else if (state?.kind === 'recipe') {
      if (subRecipeBlocked(tree, state.recipeId)) blocked.add(name);
    } else if (!state && parentBlocked) {
      blocked.add(name);
    }

    const creatable = deps.every(admits);
    const ready = creatable && deps.every((d) => isDone(nodes[d.name]));
    const base = { recipeId: recipe.id, node: name };

    if (!state) {
      if (!creatable) continue;
      const type = node.node_type;
      if (type.node_type === 'job') {
        const jobType = tree.jobTypes[jobTypeKey(type.job_type_name, type.job_type_version)];
        if (!jobType) continue;
        const status = parentBlocked ? 'BLOCKED' : ready ? 'QUEUED' : 'PENDING';
        const previous = recipe.previousNodes[name]?.jobId;
        commands.push({
          type: 'CREATE_JOB',
          ...base,
          rootRecipeId: recipe.rootId,
          jobTypeId: jobType.id,
          revisionNum: type.job_type_revision,
          status,
          input: status === 'QUEUED' ? wireInput(node, recipe.input, nodes) : emptyData(),
          ...(recipe.priority === undefined ? {} : { priority: recipe.priority }),
          ...(recipe.overrides === undefined ? {} : { configuration: recipe.overrides }),
          ...(previous === undefined ? {} : { supersededJobId: previous }),
        });
      } else if (type.node_type === 'condition' && ready) {
        const data = wireInput(node, recipe.input, nodes);
        commands.push({
          type: 'PROCESS_CONDITION',
          ...base,
          rootRecipeId: recipe.rootId,
          data,
          accepted: evaluateFilter(type.data_filter, data, tree.files),
        });
      } else if (type.node_type === 'recipe' && ready) {
        const ref = tree.recipeTypes[recipeTypeKey(type.recipe_type_name, type.recipe_type_revision)];
        if (!ref) continue;
        const previous = recipe.previousNodes[name]?.subRecipeId;
        commands.push({
          type: 'CREATE_SUB_RECIPE',
          ...base,
          rootRecipeId: recipe.rootId,
          recipeTypeId: ref.recipeTypeId,
          revisionId: ref.revisionId,
          input: wireInput(node, recipe.input, nodes),
          ...(recipe.priority === undefined ? {} : { priority: recipe.priority }),
          ...(recipe.overrides === undefined ? {} : { configuration: recipe.overrides }),
          ...(previous === undefined
            ? {}
            : { supersedes: { recipeId: previous, forcedNodes: subRecipeForcedNodes(recipe.forcedNodes, name) } }),
        });
      }
      continue;
    }

    if (state.kind !== 'job' || state.isSuperseded || state.numExes !== 0) continue;
    if (state.status !== 'PENDING' && state.status !== 'BLOCKED') continue;
    if (!parentBlocked && ready) {
      commands.push({ type: 'QUEUE_JOB', ...base, jobId: state.jobId, input: wireInput(node, recipe.input, nodes) });
    } else if (parentBlocked && state.status === 'PENDING') {
      commands.push({ type: 'BLOCK_JOB', ...base, jobId: state.jobId });
    } else if (!parentBlocked && state.status === 'BLOCKED') {
      commands.push({ type: 'UNBLOCK_JOB', ...base, jobId: state.jobId });
    }
  }

  // Old jobs still to supersede keep a reprocessed recipe open, so the sweep keeps retrying them.
  const finished = order.every((name) => skipped.has(name) || isDone(nodes[name]));
  const stale = recipe.id === tree.rootId && tree.staleJobIds.length > 0;
  if (finished && !stale) commands.push({ type: 'COMPLETE_RECIPE', recipeId: recipe.id });
  return commands;
}
