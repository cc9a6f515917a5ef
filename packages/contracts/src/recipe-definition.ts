/**
 * The v6 recipe definition (seed 003, "Recipe Definition JSON"): a recipe input interface and a graph of job,
 * sub-recipe and condition nodes, each naming an exact job type or recipe type revision. Field names follow
 * Scale's JSON exactly. Optional fields keep their absence (defaults are applied where they are read), so a
 * definition reads back as it was written.
 */
import { z } from 'zod';
import { JsonType } from './seed.ts';

/** Most nodes one recipe definition may hold (reliability.md "dag-limits"). */
export const MAX_RECIPE_NODES = 500;
/** Deepest nesting of sub-recipes below a recipe type. */
export const MAX_RECIPE_DEPTH = 5;

/** Node names become idempotency keys, log fields and JSON keys: keep them plain. */
export const NODE_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
/** Interface parameter names (recipe inputs, condition parameters). */
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const NodeName = z.string().regex(NODE_NAME, 'must be 1-100 letters, digits, _, . or -');
const ParamName = z
  .string()
  .max(100)
  .regex(PARAM_NAME, 'must start with a letter or _ and hold only letters, digits, _ and -');

/** A file parameter of an interface. */
export const InterfaceFile = z.strictObject({
  name: ParamName,
  media_types: z.array(z.string()).optional(),
  /** @default true */
  required: z.boolean().optional(),
  /** @default false */
  multiple: z.boolean().optional(),
  partial: z.boolean().optional(),
});
export type InterfaceFile = z.infer<typeof InterfaceFile>;

/** A JSON parameter of an interface. */
export const InterfaceJson = z.strictObject({
  name: ParamName,
  type: JsonType,
  /** @default true */
  required: z.boolean().optional(),
});
export type InterfaceJson = z.infer<typeof InterfaceJson>;

/** Scale's v6 Interface JSON (data.rst): the parameters a recipe (or a condition) takes. */
export const RecipeInterface = z
  .strictObject({
    files: z.array(InterfaceFile).optional(),
    json: z.array(InterfaceJson).optional(),
  })
  .superRefine((iface, ctx) => {
    const seen = new Set<string>();
    for (const [kind, params] of [
      ['files', iface.files ?? []],
      ['json', iface.json ?? []],
    ] as const) {
      params.forEach((param, index) => {
        if (seen.has(param.name)) {
          ctx.addIssue({ code: 'custom', path: [kind, index, 'name'], message: `duplicate parameter "${param.name}"` });
        }
        seen.add(param.name);
      });
    }
  });
export type RecipeInterface = z.infer<typeof RecipeInterface>;

export const FILTER_TYPES = [
  'array',
  'boolean',
  'integer',
  'number',
  'object',
  'string',
  'filename',
  'media-type',
  'data-type',
  'meta-data',
] as const;
export const FilterType = z.enum(FILTER_TYPES);
export type FilterType = z.infer<typeof FilterType>;

export const FILTER_CONDITIONS = [
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  'between',
  'in',
  'not in',
  'contains',
  'subset of',
  'superset of',
] as const;
export const FilterCondition = z.enum(FILTER_CONDITIONS);
export type FilterCondition = z.infer<typeof FilterCondition>;

/** One filter of a data filter (data.rst "Data Filter JSON"). */
export const DataFilterRule = z.strictObject({
  /** The interface parameter this filter tests. */
  name: ParamName,
  type: FilterType,
  condition: FilterCondition,
  values: z.array(z.unknown()).max(1000),
  /** Key paths into an object value or file meta-data; as many as `values`. */
  fields: z.array(z.array(z.string())).optional(),
  /** @default true */
  all_fields: z.boolean().optional(),
  /** @default false */
  all_files: z.boolean().optional(),
});
export type DataFilterRule = z.infer<typeof DataFilterRule>;

export const DataFilter = z.strictObject({
  /** An empty list accepts nothing (as Scale documents). */
  filters: z.array(DataFilterRule).max(100).optional(),
  /** All filters must pass (AND) or any one (OR). @default true */
  all: z.boolean().optional(),
});
export type DataFilter = z.infer<typeof DataFilter>;

export const RecipeConnection = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('recipe'), input: z.string().min(1) }),
  z.strictObject({ type: z.literal('dependency'), node: z.string().min(1), output: z.string().min(1) }),
]);
export type RecipeConnection = z.infer<typeof RecipeConnection>;

export const RecipeDependency = z.strictObject({
  name: z.string().min(1),
  /** On a condition: run this node if the condition accepted (true) or rejected (false) its data. @default true */
  acceptance: z.boolean().optional(),
});
export type RecipeDependency = z.infer<typeof RecipeDependency>;

export const JobNodeType = z.strictObject({
  node_type: z.literal('job'),
  job_type_name: z.string().min(1).max(255),
  job_type_version: z.string().min(1).max(50),
  job_type_revision: z.number().int().positive(),
});
export type JobNodeType = z.infer<typeof JobNodeType>;

export const RecipeNodeType = z.strictObject({
  node_type: z.literal('recipe'),
  recipe_type_name: z.string().min(1).max(50),
  recipe_type_revision: z.number().int().positive(),
});
export type RecipeNodeType = z.infer<typeof RecipeNodeType>;

export const ConditionNodeType = z.strictObject({
  node_type: z.literal('condition'),
  interface: RecipeInterface,
  data_filter: DataFilter,
});
export type ConditionNodeType = z.infer<typeof ConditionNodeType>;

export const NodeType = z.discriminatedUnion('node_type', [JobNodeType, RecipeNodeType, ConditionNodeType]);
export type NodeType = z.infer<typeof NodeType>;

export const RecipeNodeDefinition = z.strictObject({
  dependencies: z.array(RecipeDependency).max(MAX_RECIPE_NODES),
  /** Node input name → where its value comes from. */
  input: z.record(z.string().min(1), RecipeConnection),
  node_type: NodeType,
});
export type RecipeNodeDefinition = z.infer<typeof RecipeNodeDefinition>;

export const RecipeDefinition = z
  .strictObject({
    version: z.string().optional(),
    input: RecipeInterface,
    nodes: z.record(NodeName, RecipeNodeDefinition),
  })
  .superRefine((definition, ctx) => {
    if (Object.keys(definition.nodes).length > MAX_RECIPE_NODES) {
      ctx.addIssue({ code: 'custom', path: ['nodes'], message: `at most ${MAX_RECIPE_NODES} nodes are allowed` });
    }
  });
export type RecipeDefinition = z.infer<typeof RecipeDefinition>;
/** What a client sends. */
export type RecipeDefinitionInput = z.input<typeof RecipeDefinition>;

/** A dependency's acceptance with Scale's default applied. */
export function acceptanceOf(dependency: RecipeDependency): boolean {
  return dependency.acceptance ?? true;
}

/**
 * Node names in an order where every node comes after its dependencies (Kahn's algorithm, ties broken by name
 * so the order is stable). Returns the nodes of a cycle instead when the graph has one; unknown dependency
 * names are ignored here (the validator reports them).
 */
export function topologicalOrder(
  nodes: Readonly<Record<string, { dependencies: readonly { name: string }[] }>>,
): { order: string[]; cycle?: undefined } | { order?: undefined; cycle: string[] } {
  const names = Object.keys(nodes).sort();
  const indegree = new Map(names.map((n) => [n, 0]));
  const children = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const name of names) {
    for (const parent of new Set(nodes[name]!.dependencies.map((d) => d.name))) {
      if (!indegree.has(parent)) continue;
      indegree.set(name, indegree.get(name)! + 1);
      children.get(parent)!.push(name);
    }
  }
  const ready = names.filter((n) => indegree.get(n) === 0);
  const order: string[] = [];
  while (ready.length) {
    ready.sort();
    const name = ready.shift()!;
    order.push(name);
    for (const child of children.get(name)!) {
      const left = indegree.get(child)! - 1;
      indegree.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  if (order.length === names.length) return { order };
  return { cycle: findCycle(nodes, new Set(names.filter((n) => indegree.get(n)! > 0))) };
}

/** One cycle among the nodes left over by Kahn's algorithm, as a closed path (a, b, a). */
function findCycle(
  nodes: Readonly<Record<string, { dependencies: readonly { name: string }[] }>>,
  remaining: Set<string>,
): string[] {
  const start = [...remaining].sort()[0]!;
  const path: string[] = [];
  const onPath = new Map<string, number>();
  let current = start;
  // Every remaining node has a remaining parent, so walking parents must revisit a node.
  while (!onPath.has(current)) {
    onPath.set(current, path.length);
    path.push(current);
    current = nodes[current]!.dependencies.map((d) => d.name).find((p) => remaining.has(p))!;
  }
  return [...path.slice(onPath.get(current)!), current].reverse();
}
