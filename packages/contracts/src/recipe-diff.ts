/**
 * The difference between two recipe definitions (seed 003, "Recipe Diff JSON"), and the forced nodes of a
 * reprocess request (Scale's "Recipe Forced Nodes JSON"). A node is reprocessed (`reprocess_new_node`) when it is
 * new, changed, downstream of a changed node (PARENT_CHANGED makes it changed) or forced (forcing flows
 * downstream); the other nodes are copied into the new recipe with their results.
 */
import { z } from 'zod';
import {
  acceptanceOf,
  type RecipeDefinition,
  type RecipeNodeDefinition,
  topologicalOrder,
} from './recipe-definition.ts';
import { interfaceParams, jsonTypeAccepts, type Param } from './recipe-interfaces.ts';

/** Which nodes to reprocess even when unchanged; `sub_recipes` recurses into sub-recipe nodes. */
export interface ForcedNodes {
  all: boolean;
  nodes?: string[] | undefined;
  sub_recipes?: Record<string, ForcedNodes> | undefined;
}
export const ForcedNodes: z.ZodType<ForcedNodes> = z.lazy(() =>
  z.strictObject({
    all: z.boolean(),
    nodes: z.array(z.string().min(1)).max(1000).optional(),
    sub_recipes: z.record(z.string().min(1), ForcedNodes).optional(),
  }),
);

export const NODE_DIFF_STATUSES = ['DELETED', 'UNCHANGED', 'CHANGED', 'NEW'] as const;
export type NodeDiffStatus = (typeof NODE_DIFF_STATUSES)[number];

export interface DiffItem {
  name: string;
  description: string;
}

export type DiffNodeType =
  | {
      node_type: 'job';
      job_type_name: string;
      job_type_version: string;
      job_type_revision: number;
      prev_job_type_name?: string;
      prev_job_type_version?: string;
      prev_job_type_revision?: number;
    }
  | {
      node_type: 'recipe';
      recipe_type_name: string;
      recipe_type_revision: number;
      prev_recipe_type_name?: string;
      prev_recipe_type_revision?: number;
    }
  | { node_type: 'condition' };

export interface NodeDiff {
  status: NodeDiffStatus;
  changes: DiffItem[];
  reprocess_new_node: boolean;
  force_reprocess: boolean;
  dependencies: { name: string }[];
  /** Present when the node's type changed (job, recipe or condition before). */
  prev_node_type?: 'job' | 'recipe' | 'condition';
  node_type: DiffNodeType;
}

export interface RecipeDiff {
  can_be_reprocessed: boolean;
  reasons: DiffItem[];
  nodes: Record<string, NodeDiff>;
}

/** Compares the previous definition with the newer one; `forced` marks nodes to reprocess regardless. */
export function diffRecipeDefinitions(
  prev: RecipeDefinition,
  next: RecipeDefinition,
  forced: ForcedNodes = { all: false },
): RecipeDiff {
  const reasons = inputInterfaceReasons(prev, next);
  const canBeReprocessed = reasons.length === 0;
  const nodes: Record<string, NodeDiff> = {};
  const order = topologicalOrder(next.nodes).order ?? Object.keys(next.nodes).sort();
  const forcedNames = new Set(forced.all ? order : (forced.nodes ?? []));

  for (const name of order) {
    const node = next.nodes[name]!;
    const before = prev.nodes[name];
    const diff: NodeDiff = {
      status: 'NEW',
      changes: [],
      reprocess_new_node: false,
      // Forcing flows downstream: a node whose parent is reprocessed by force is reprocessed too.
      force_reprocess: forcedNames.has(name) || node.dependencies.some((d) => nodes[d.name]?.force_reprocess === true),
      dependencies: node.dependencies.map((d) => ({ name: d.name })),
      node_type: diffNodeType(node, before),
    };
    if (before) {
      if (before.node_type.node_type !== node.node_type.node_type) {
        diff.prev_node_type = before.node_type.node_type;
        diff.changes.push({
          name: 'NODE_TYPE_CHANGE',
          description: `Node type changed from ${before.node_type.node_type} to ${node.node_type.node_type}`,
        });
      } else {
        diff.changes.push(...nodeTypeChanges(before, node));
      }
      diff.changes.push(...dependencyChanges(before, node, nodes), ...connectionChanges(before, node));
      diff.status = diff.changes.length ? 'CHANGED' : 'UNCHANGED';
    }
    diff.reprocess_new_node =
      canBeReprocessed && (diff.status === 'NEW' || diff.status === 'CHANGED' || diff.force_reprocess);
    nodes[name] = diff;
  }
  for (const name of Object.keys(prev.nodes).sort()) {
    if (name in next.nodes) continue;
    const node = prev.nodes[name]!;
    nodes[name] = {
      status: 'DELETED',
      changes: [],
      reprocess_new_node: false,
      force_reprocess: false,
      dependencies: node.dependencies.map((d) => ({ name: d.name })),
      node_type: diffNodeType(node, undefined),
    };
  }
  return { can_be_reprocessed: canBeReprocessed, reasons, nodes };
}

/**
 * A recipe of the previous revision must be able to feed the newer one: every newer parameter that is required
 * must have been required before, with the same kind and an accepted JSON type, and no single-file parameter may
 * receive what was a multi-file one.
 */
function inputInterfaceReasons(prev: RecipeDefinition, next: RecipeDefinition): DiffItem[] {
  const before = interfaceParams(prev.input);
  const problems: string[] = [];
  for (const param of interfaceParams(next.input).values()) {
    const old = before.get(param.name);
    if (!old) {
      if (param.required) problems.push(`new required input ${param.name}`);
      continue;
    }
    const problem = paramChange(old, param);
    if (problem) problems.push(problem);
  }
  return problems.map((p) => ({ name: 'INPUT_CHANGE', description: `Input interface has changed: ${p}` }));
}

function paramChange(old: Param, param: Param): string | undefined {
  if (old.kind !== param.kind) return `input ${param.name} changed from ${old.kind} to ${param.kind}`;
  if (param.kind === 'json' && !jsonTypeAccepts(param.type!, old.type!)) {
    return `input ${param.name} changed type from ${old.type} to ${param.type}`;
  }
  if (param.kind === 'files' && old.multiple && !param.multiple) return `input ${param.name} takes a single file now`;
  if (param.required && !old.required) return `input ${param.name} became required`;
  return undefined;
}

function diffNodeType(node: RecipeNodeDefinition, before: RecipeNodeDefinition | undefined): DiffNodeType {
  const t = node.node_type;
  const b = before?.node_type;
  if (t.node_type === 'job') {
    const result: DiffNodeType = {
      node_type: 'job',
      job_type_name: t.job_type_name,
      job_type_version: t.job_type_version,
      job_type_revision: t.job_type_revision,
    };
    if (b?.node_type === 'job') {
      if (b.job_type_name !== t.job_type_name) result.prev_job_type_name = b.job_type_name;
      if (b.job_type_version !== t.job_type_version) result.prev_job_type_version = b.job_type_version;
      if (b.job_type_revision !== t.job_type_revision) result.prev_job_type_revision = b.job_type_revision;
    }
    return result;
  }
  if (t.node_type === 'recipe') {
    const result: DiffNodeType = {
      node_type: 'recipe',
      recipe_type_name: t.recipe_type_name,
      recipe_type_revision: t.recipe_type_revision,
    };
    if (b?.node_type === 'recipe') {
      if (b.recipe_type_name !== t.recipe_type_name) result.prev_recipe_type_name = b.recipe_type_name;
      if (b.recipe_type_revision !== t.recipe_type_revision) result.prev_recipe_type_revision = b.recipe_type_revision;
    }
    return result;
  }
  return { node_type: 'condition' };
}

function nodeTypeChanges(before: RecipeNodeDefinition, node: RecipeNodeDefinition): DiffItem[] {
  const changes: DiffItem[] = [];
  const t = node.node_type;
  const b = before.node_type;
  if (t.node_type === 'job' && b.node_type === 'job') {
    if (t.job_type_name !== b.job_type_name) {
      changes.push({
        name: 'JOB_TYPE_CHANGE',
        description: `Job type changed from ${b.job_type_name} to ${t.job_type_name}`,
      });
    }
    if (t.job_type_version !== b.job_type_version) {
      changes.push({
        name: 'JOB_TYPE_VERSION_CHANGE',
        description: `Job type version changed from ${b.job_type_version} to ${t.job_type_version}`,
      });
    }
    if (t.job_type_revision !== b.job_type_revision) {
      changes.push({
        name: 'JOB_TYPE_REVISION_CHANGE',
        description: `Job type revision changed from ${b.job_type_revision} to ${t.job_type_revision}`,
      });
    }
  } else if (t.node_type === 'recipe' && b.node_type === 'recipe') {
    if (t.recipe_type_name !== b.recipe_type_name) {
      changes.push({
        name: 'RECIPE_TYPE_CHANGE',
        description: `Recipe type changed from ${b.recipe_type_name} to ${t.recipe_type_name}`,
      });
    }
    if (t.recipe_type_revision !== b.recipe_type_revision) {
      changes.push({
        name: 'RECIPE_TYPE_REVISION_CHANGE',
        description: `Recipe type revision changed from ${b.recipe_type_revision} to ${t.recipe_type_revision}`,
      });
    }
  } else if (t.node_type === 'condition' && b.node_type === 'condition') {
    if (canonical(t.data_filter) !== canonical(b.data_filter)) {
      changes.push({ name: 'FILTER_CHANGE', description: 'Data filter changed' });
    }
    if (canonical(t.interface) !== canonical(b.interface)) {
      changes.push({ name: 'FILTER_CHANGE', description: 'Condition interface changed' });
    }
  }
  return changes;
}

function dependencyChanges(
  before: RecipeNodeDefinition,
  node: RecipeNodeDefinition,
  diffs: Readonly<Record<string, NodeDiff>>,
): DiffItem[] {
  const changes: DiffItem[] = [];
  const previous = new Map(before.dependencies.map((d) => [d.name, d]));
  for (const dep of node.dependencies) {
    const old = previous.get(dep.name);
    if (!old) {
      changes.push({ name: 'PARENT_NEW', description: `New parent node ${dep.name} added` });
      continue;
    }
    if (acceptanceOf(old) !== acceptanceOf(dep)) {
      changes.push({
        name: 'PARENT_ACCEPTANCE_CHANGED',
        description: `Acceptance of parent node ${dep.name} changed from ${acceptanceOf(old)} to ${acceptanceOf(dep)}`,
      });
    }
    const status = diffs[dep.name]?.status;
    if (status === 'CHANGED' || status === 'NEW') {
      changes.push({ name: 'PARENT_CHANGED', description: `Parent node ${dep.name} changed` });
    }
  }
  const names = new Set(node.dependencies.map((d) => d.name));
  for (const dep of before.dependencies) {
    if (!names.has(dep.name)) {
      changes.push({ name: 'PARENT_REMOVED', description: `Previous parent node ${dep.name} removed` });
    }
  }
  return changes;
}

function connectionChanges(before: RecipeNodeDefinition, node: RecipeNodeDefinition): DiffItem[] {
  const changes: DiffItem[] = [];
  for (const [name, connection] of Object.entries(node.input)) {
    const old = before.input[name];
    if (!old) changes.push({ name: 'INPUT_NEW', description: `New input ${name} added` });
    else if (canonical(old) !== canonical(connection)) {
      changes.push({ name: 'INPUT_CHANGE', description: `Input ${name} changed` });
    }
  }
  for (const name of Object.keys(before.input)) {
    if (!(name in node.input)) changes.push({ name: 'INPUT_REMOVED', description: `Previous input ${name} removed` });
  }
  return changes;
}

/** JSON with sorted keys, so equal values compare equal whatever order their keys came in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/**
 * The forced nodes of a sub-recipe node: its own entry in `sub_recipes`, or everything when the whole recipe is
 * forced. Undefined when the sub-recipe is not forced beyond what its diff says.
 */
export function forcedNodesOfSubRecipe(forced: ForcedNodes, node: string): ForcedNodes | undefined {
  if (forced.all) return { all: true };
  return forced.sub_recipes?.[node];
}
