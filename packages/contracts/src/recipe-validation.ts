/**
 * Semantic checks of a recipe definition that the schema cannot express: the graph (unknown nodes, duplicate
 * dependencies, cycles), the referenced job and recipe type revisions, every input connection (source exists, is a
 * dependency, kinds and JSON types match, multiplicity, a required input is never fed from an optional value),
 * required inputs left unconnected, and condition data filters against their interface.
 *
 * Pure: the caller loads the referenced revisions and hands them over through a synchronous catalogue.
 */

import {
  acceptanceOf,
  type DataFilter,
  type DataFilterRule,
  type FilterCondition,
  type FilterType,
  MAX_RECIPE_DEPTH,
  type RecipeConnection,
  type RecipeDefinition,
  topologicalOrder,
} from './recipe-definition.ts';
import {
  interfaceParams,
  jsonTypeAccepts,
  manifestInterfaces,
  type NodeInterfaces,
  type Param,
} from './recipe-interfaces.ts';
import type { SeedManifest } from './seed.ts';

/** A validation error or warning in Scale's `{name, description}` shape, plus where it is in the definition. */
export interface DefinitionIssue {
  name: string;
  description: string;
  /** Path inside the definition ("nodes", "b", "input", "x"). */
  path: (string | number)[];
}

export interface DefinitionValidation {
  errors: DefinitionIssue[];
  warnings: DefinitionIssue[];
}

/** The revisions a definition names, looked up by the caller beforehand. */
export interface DefinitionCatalog {
  jobType(name: string, version: string, revision: number): SeedManifest | undefined;
  recipeType(name: string, revision: number): RecipeDefinition | undefined;
}

export interface DefinitionReferences {
  jobTypes: { name: string; version: string; revision: number }[];
  recipeTypes: { name: string; revision: number }[];
}

/** Every job type and recipe type revision a definition names directly. */
export function definitionReferences(definition: RecipeDefinition): DefinitionReferences {
  const refs: DefinitionReferences = { jobTypes: [], recipeTypes: [] };
  for (const node of Object.values(definition.nodes)) {
    const t = node.node_type;
    if (t.node_type === 'job') {
      refs.jobTypes.push({ name: t.job_type_name, version: t.job_type_version, revision: t.job_type_revision });
    } else if (t.node_type === 'recipe') {
      refs.recipeTypes.push({ name: t.recipe_type_name, revision: t.recipe_type_revision });
    }
  }
  return refs;
}

const FILE_FILTER_TYPES: ReadonlySet<FilterType> = new Set(['filename', 'media-type', 'data-type', 'meta-data']);
const CONDITIONS_BY_TYPE: Record<FilterType, readonly FilterCondition[]> = {
  string: ['==', '!=', 'in', 'not in', 'contains'],
  filename: ['==', '!=', 'in', 'not in', 'contains'],
  'media-type': ['==', '!=', 'in', 'not in', 'contains'],
  'data-type': ['==', '!=', 'in', 'not in', 'contains'],
  integer: ['<', '<=', '>', '>=', '==', '!=', 'between', 'in', 'not in'],
  number: ['<', '<=', '>', '>=', '==', '!=', 'between', 'in', 'not in'],
  boolean: ['==', '!='],
  array: ['==', '!=', 'in', 'not in', 'contains'],
  object: ['subset of', 'superset of'],
  'meta-data': ['subset of', 'superset of'],
};

/** Interfaces of every node whose type could be resolved. */
type Resolved = Map<string, NodeInterfaces>;

export function validateRecipeDefinition(
  definition: RecipeDefinition,
  catalog: DefinitionCatalog,
  options: { recipeTypeName?: string } = {},
): DefinitionValidation {
  const errors: DefinitionIssue[] = [];
  const warnings: DefinitionIssue[] = [];
  const error = (name: string, description: string, path: (string | number)[]) =>
    errors.push({ name, description, path });
  const nodes = definition.nodes;

  for (const [name, node] of Object.entries(nodes)) {
    const seen = new Set<string>();
    node.dependencies.forEach((dep, index) => {
      const path = ['nodes', name, 'dependencies', index, 'name'];
      const parent = nodes[dep.name];
      if (!parent) error('UNKNOWN_NODE', `Node ${name} depends on unknown node ${dep.name}`, path);
      else if (dep.name === name) error('CYCLIC_DEPENDENCY', `Node ${name} depends on itself`, path);
      if (seen.has(dep.name)) error('DUPLICATE_DEPENDENCY', `Node ${name} lists dependency ${dep.name} twice`, path);
      seen.add(dep.name);
      if (parent && !acceptanceOf(dep) && parent.node_type.node_type !== 'condition') {
        error('INVALID_ACCEPTANCE', `Node ${name} has acceptance false on ${dep.name}, which is not a condition`, [
          'nodes',
          name,
          'dependencies',
          index,
          'acceptance',
        ]);
      }
    });
  }
  const sorted = topologicalOrder(nodes);
  // A self-dependency ([a, a]) was reported above with its exact place.
  if (sorted.cycle && sorted.cycle.length > 2) {
    error('CYCLIC_DEPENDENCY', `Recipe graph has a cycle: ${sorted.cycle.join(' -> ')}`, [
      'nodes',
      sorted.cycle[0]!,
      'dependencies',
    ]);
  }

  const recipeInputs = interfaceParams(definition.input);
  const resolved: Resolved = new Map();
  for (const [name, node] of Object.entries(nodes)) {
    const t = node.node_type;
    const path = ['nodes', name, 'node_type'];
    if (t.node_type === 'job') {
      const manifest = catalog.jobType(t.job_type_name, t.job_type_version, t.job_type_revision);
      if (manifest) resolved.set(name, manifestInterfaces(manifest));
      else {
        error(
          'JOB_TYPE_DOES_NOT_EXIST',
          `Job type ${t.job_type_name} ${t.job_type_version} revision ${t.job_type_revision} does not exist`,
          path,
        );
      }
    } else if (t.node_type === 'recipe') {
      const sub = catalog.recipeType(t.recipe_type_name, t.recipe_type_revision);
      if (!sub) {
        error(
          'RECIPE_TYPE_DOES_NOT_EXIST',
          `Recipe type ${t.recipe_type_name} revision ${t.recipe_type_revision} does not exist`,
          path,
        );
        continue;
      }
      const recursion = subRecipeRecursion(t.recipe_type_name, sub, catalog, options.recipeTypeName);
      if (recursion) error('RECIPE_TYPE_RECURSION', recursion, path);
      resolved.set(name, { inputs: interfaceParams(sub.input), outputs: new Map() });
    } else {
      const params = interfaceParams(t.interface);
      resolved.set(name, { inputs: params, outputs: params });
      validateFilter(t.data_filter, params, ['nodes', name, 'node_type', 'data_filter'], errors, warnings);
    }
  }

  for (const [name, node] of Object.entries(nodes)) {
    const target = resolved.get(name);
    const dependencyNames = new Set(node.dependencies.map((d) => d.name));
    for (const [inputName, connection] of Object.entries(node.input)) {
      const path = ['nodes', name, 'input', inputName];
      const targetParam = target?.inputs.get(inputName);
      if (target && !targetParam) {
        error('UNKNOWN_INPUT', `Node ${name} has no input named ${inputName}`, path);
      }
      const source = connectionSource(connection, name, dependencyNames, nodes, resolved, recipeInputs, path, error);
      if (source && targetParam) checkCompatible(source, targetParam, name, inputName, path, errors, warnings);
    }
    for (const param of target?.inputs.values() ?? []) {
      if (param.required && !(param.name in node.input)) {
        error('MISSING_INPUT', `Required input ${param.name} of node ${name} is not connected`, [
          'nodes',
          name,
          'input',
        ]);
      }
    }
  }
  return { errors, warnings };
}

/** The parameter a connection reads from, or undefined (after reporting why) when it cannot be resolved. */
function connectionSource(
  connection: RecipeConnection,
  nodeName: string,
  dependencyNames: ReadonlySet<string>,
  nodes: RecipeDefinition['nodes'],
  resolved: Resolved,
  recipeInputs: ReadonlyMap<string, Param>,
  path: (string | number)[],
  error: (name: string, description: string, path: (string | number)[]) => void,
): Param | undefined {
  if (connection.type === 'recipe') {
    const param = recipeInputs.get(connection.input);
    if (!param) error('UNKNOWN_RECIPE_INPUT', `Recipe has no input named ${connection.input}`, [...path, 'input']);
    return param;
  }
  const parent = nodes[connection.node];
  if (!parent) {
    error('UNKNOWN_NODE', `Node ${nodeName} takes input from unknown node ${connection.node}`, [...path, 'node']);
    return undefined;
  }
  if (!dependencyNames.has(connection.node)) {
    error('MISSING_DEPENDENCY', `Node ${nodeName} takes input from ${connection.node} but does not depend on it`, [
      ...path,
      'node',
    ]);
  }
  if (parent.node_type.node_type === 'recipe') {
    error('UNKNOWN_OUTPUT', `Recipe node ${connection.node} produces no outputs`, [...path, 'output']);
    return undefined;
  }
  const outputs = resolved.get(connection.node)?.outputs;
  if (!outputs) return undefined;
  const param = outputs.get(connection.output);
  if (!param) {
    error('UNKNOWN_OUTPUT', `Node ${connection.node} has no output named ${connection.output}`, [...path, 'output']);
  }
  return param;
}

function checkCompatible(
  source: Param,
  target: Param,
  nodeName: string,
  inputName: string,
  path: (string | number)[],
  errors: DefinitionIssue[],
  warnings: DefinitionIssue[],
): void {
  const what = `input ${inputName} of node ${nodeName}`;
  if (source.kind !== target.kind) {
    errors.push({
      name: 'MISMATCHED_TYPE',
      description: `Cannot connect ${source.kind === 'files' ? 'a file' : 'a JSON'} value to ${target.kind === 'files' ? 'file' : 'JSON'} ${what}`,
      path,
    });
    return;
  }
  if (source.kind === 'json' && !jsonTypeAccepts(target.type!, source.type!)) {
    errors.push({
      name: 'MISMATCHED_TYPE',
      description: `Cannot connect a ${source.type} value to ${target.type} ${what}`,
      path,
    });
  }
  if (source.kind === 'files' && source.multiple && !target.multiple) {
    errors.push({ name: 'MULTIPLE_FILES', description: `Cannot pass multiple files to single-file ${what}`, path });
  }
  if (target.required && !source.required) {
    errors.push({
      name: 'OPTIONAL_TO_REQUIRED',
      description: `Cannot feed required ${what} from an optional value`,
      path,
    });
  }
  if (
    source.kind === 'files' &&
    source.mediaTypes.length > 0 &&
    target.mediaTypes.length > 0 &&
    !source.mediaTypes.some((m) => target.mediaTypes.includes(m))
  ) {
    warnings.push({
      name: 'MISMATCHED_MEDIA_TYPE',
      description: `Media types ${source.mediaTypes.join(', ')} are not accepted by ${what} (${target.mediaTypes.join(', ')})`,
      path,
    });
  }
}

/** Why nesting this sub-recipe would recurse or go too deep, or undefined. */
function subRecipeRecursion(
  name: string,
  definition: RecipeDefinition,
  catalog: DefinitionCatalog,
  self: string | undefined,
): string | undefined {
  const walk = (current: string, def: RecipeDefinition, chain: string[]): string | undefined => {
    if (current === self || chain.includes(current)) {
      return `Recipe type ${[...chain, current].join(' -> ')} contains itself`;
    }
    if (chain.length >= MAX_RECIPE_DEPTH) {
      return `Sub-recipes nest deeper than ${MAX_RECIPE_DEPTH} levels: ${[...chain, current].join(' -> ')}`;
    }
    for (const ref of definitionReferences(def).recipeTypes) {
      // Any revision of a recipe type on the chain recurses, even one the catalogue does not hold.
      const sub = catalog.recipeType(ref.name, ref.revision) ?? { input: {}, nodes: {} };
      const problem = walk(ref.name, sub, [...chain, current]);
      if (problem) return problem;
    }
    return undefined;
  };
  return walk(name, definition, self ? [self] : []);
}

function validateFilter(
  filter: DataFilter,
  params: ReadonlyMap<string, Param>,
  path: (string | number)[],
  errors: DefinitionIssue[],
  warnings: DefinitionIssue[],
): void {
  const rules = filter.filters ?? [];
  if (rules.length === 0) {
    warnings.push({ name: 'EMPTY_FILTER', description: 'A data filter without filters accepts no data', path });
  }
  rules.forEach((rule, index) => {
    const problem = filterProblem(rule, params.get(rule.name));
    if (problem) errors.push({ name: 'INVALID_FILTER', description: problem, path: [...path, 'filters', index] });
  });
}

function filterProblem(rule: DataFilterRule, param: Param | undefined): string | undefined {
  if (!param) return `Filter on ${rule.name}, which is not a parameter of the condition's interface`;
  const isFileFilter = FILE_FILTER_TYPES.has(rule.type);
  if (param.kind === 'files' && !isFileFilter) {
    return `Parameter ${rule.name} takes files: its filter type must be filename, media-type, data-type or meta-data`;
  }
  if (param.kind === 'json') {
    const numeric = (t: string) => t === 'integer' || t === 'number';
    if (isFileFilter) return `Parameter ${rule.name} is JSON: filter type ${rule.type} applies to files only`;
    if (rule.type !== param.type && !(numeric(rule.type) && numeric(param.type!))) {
      return `Filter type ${rule.type} does not match the ${param.type} parameter ${rule.name}`;
    }
  }
  const withFields = rule.fields !== undefined;
  if (withFields && rule.type !== 'object' && rule.type !== 'meta-data') {
    return `fields apply to object and meta-data filters only`;
  }
  if (withFields && rule.fields!.length !== rule.values.length) {
    return `fields (${rule.fields!.length}) and values (${rule.values.length}) must be as many`;
  }
  // With fields, the condition compares each field's value, so every comparison makes sense.
  if (!withFields && !CONDITIONS_BY_TYPE[rule.type].includes(rule.condition)) {
    return `Condition "${rule.condition}" does not apply to ${rule.type} filters (use ${CONDITIONS_BY_TYPE[rule.type].join(', ')})`;
  }
  if (rule.values.length === 0) return `A filter needs at least one value`;
  if (!withFields && rule.condition === 'between') {
    if (rule.values.length < 2 || !rule.values.slice(0, 2).every((v) => typeof v === 'number')) {
      return `"between" needs two numbers: the lower and upper bound`;
    }
  }
  return undefined;
}
