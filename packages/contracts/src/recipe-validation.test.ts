import { describe, expect, it } from '@jest/globals';
import { RecipeDefinition, type RecipeDefinitionInput, topologicalOrder } from './recipe-definition.ts';
import { type DefinitionCatalog, validateRecipeDefinition } from './recipe-validation.ts';
import { SeedManifest } from './seed.ts';

const producer = SeedManifest.parse({
  seedVersion: '1.0.0',
  job: {
    name: 'producer',
    jobVersion: '1.0.0',
    packageVersion: '1.0.0',
    timeout: 10,
    interface: {
      inputs: { json: [{ name: 'N', type: 'integer' }] },
      outputs: {
        json: [
          { name: 'count', type: 'integer' },
          { name: 'maybe', type: 'string', required: false },
          { name: 'label', type: 'string' },
        ],
        files: [{ name: 'many', pattern: '*.txt', multiple: true, mediaType: 'text/plain' }],
      },
    },
  },
});
const consumer = SeedManifest.parse({
  seedVersion: '1.0.0',
  job: {
    name: 'consumer',
    jobVersion: '1.0.0',
    packageVersion: '1.0.0',
    timeout: 10,
    interface: {
      inputs: {
        json: [
          { name: 'X', type: 'number' },
          { name: 'OPT', type: 'string', required: false },
        ],
        files: [{ name: 'ONE', mediaTypes: ['image/png'], required: false }],
      },
    },
  },
});

const sub = RecipeDefinition.parse({ input: { json: [{ name: 'v', type: 'integer' }] }, nodes: {} });
const nested = RecipeDefinition.parse({
  input: {},
  nodes: {
    s: {
      dependencies: [],
      input: {},
      node_type: { node_type: 'recipe', recipe_type_name: 'top', recipe_type_revision: 1 },
    },
  },
});

const catalog: DefinitionCatalog = {
  jobType: (name, version, revision) =>
    version === '1.0.0' && revision === 1 ? ({ producer, consumer } as Record<string, SeedManifest>)[name] : undefined,
  recipeType: (name, revision) =>
    revision === 1 ? ({ sub, nested } as Record<string, RecipeDefinition>)[name] : undefined,
};

const job = (name: string) => ({
  node_type: 'job' as const,
  job_type_name: name,
  job_type_version: '1.0.0',
  job_type_revision: 1,
});

/** A valid two-node chain; each case below breaks one thing. */
function base(): RecipeDefinitionInput {
  return {
    input: { json: [{ name: 'n', type: 'integer' }], files: [{ name: 'pics', multiple: true, required: false }] },
    nodes: {
      a: { dependencies: [], input: { N: { type: 'recipe', input: 'n' } }, node_type: job('producer') },
      b: {
        dependencies: [{ name: 'a' }],
        input: { X: { type: 'dependency', node: 'a', output: 'count' } },
        node_type: job('consumer'),
      },
    },
  };
}

type Mutate = (d: RecipeDefinitionInput & { nodes: Record<string, RecipeDefinitionInput['nodes'][string]> }) => void;

const check = (mutate: Mutate, name = 'top') => {
  const d = structuredClone(base()) as Parameters<Mutate>[0];
  mutate(d);
  return validateRecipeDefinition(RecipeDefinition.parse(d), catalog, { recipeTypeName: name });
};

describe('recipe definition validation', () => {
  it('recipe definition validation - accepts a valid chain', () => {
    expect(check(() => undefined)).toEqual({ errors: [], warnings: [] });
  });

  const cases: [string, Mutate, string, (string | number)[]][] = [
    [
      'unknown dependency',
      (d) => d.nodes.b!.dependencies.push({ name: 'zz' }),
      'UNKNOWN_NODE',
      ['nodes', 'b', 'dependencies', 1, 'name'],
    ],
    [
      'duplicate dependency',
      (d) => d.nodes.b!.dependencies.push({ name: 'a' }),
      'DUPLICATE_DEPENDENCY',
      ['nodes', 'b', 'dependencies', 1, 'name'],
    ],
    [
      'self dependency',
      (d) => d.nodes.a!.dependencies.push({ name: 'a' }),
      'CYCLIC_DEPENDENCY',
      ['nodes', 'a', 'dependencies', 0, 'name'],
    ],
    ['cycle', (d) => d.nodes.a!.dependencies.push({ name: 'b' }), 'CYCLIC_DEPENDENCY', ['nodes', 'a', 'dependencies']],
    [
      'unknown job type',
      (d) => {
        d.nodes.a!.node_type = { ...job('producer'), job_type_revision: 9 };
      },
      'JOB_TYPE_DOES_NOT_EXIST',
      ['nodes', 'a', 'node_type'],
    ],
    [
      'unknown recipe type',
      (d) => {
        d.nodes.a!.node_type = { node_type: 'recipe', recipe_type_name: 'nope', recipe_type_revision: 1 };
      },
      'RECIPE_TYPE_DOES_NOT_EXIST',
      ['nodes', 'a', 'node_type'],
    ],
    [
      'a recipe type containing itself',
      (d) => {
        d.nodes.a!.node_type = { node_type: 'recipe', recipe_type_name: 'nested', recipe_type_revision: 1 };
        d.nodes.a!.input = {};
      },
      'RECIPE_TYPE_RECURSION',
      ['nodes', 'a', 'node_type'],
    ],
    [
      'unknown recipe input',
      (d) => {
        d.nodes.a!.input.N = { type: 'recipe', input: 'nope' };
      },
      'UNKNOWN_RECIPE_INPUT',
      ['nodes', 'a', 'input', 'N', 'input'],
    ],
    [
      'unknown node input',
      (d) => {
        d.nodes.b!.input.NOPE = { type: 'recipe', input: 'n' };
      },
      'UNKNOWN_INPUT',
      ['nodes', 'b', 'input', 'NOPE'],
    ],
    [
      'unknown output',
      (d) => {
        d.nodes.b!.input.X = { type: 'dependency', node: 'a', output: 'nope' };
      },
      'UNKNOWN_OUTPUT',
      ['nodes', 'b', 'input', 'X', 'output'],
    ],
    [
      'connection to a node that is not a dependency',
      (d) => {
        d.nodes.b!.dependencies = [];
      },
      'MISSING_DEPENDENCY',
      ['nodes', 'b', 'input', 'X', 'node'],
    ],
    [
      'connection to an unknown node',
      (d) => {
        d.nodes.b!.input.X = { type: 'dependency', node: 'ghost', output: 'count' };
      },
      'UNKNOWN_NODE',
      ['nodes', 'b', 'input', 'X', 'node'],
    ],
    [
      'required input not connected',
      (d) => {
        d.nodes.b!.input = {};
      },
      'MISSING_INPUT',
      ['nodes', 'b', 'input'],
    ],
    [
      'json type mismatch',
      (d) => {
        d.nodes.b!.input.X = { type: 'dependency', node: 'a', output: 'label' };
      },
      'MISMATCHED_TYPE',
      ['nodes', 'b', 'input', 'X'],
    ],
    [
      'files into json',
      (d) => {
        d.nodes.b!.input.X = { type: 'recipe', input: 'pics' };
      },
      'MISMATCHED_TYPE',
      ['nodes', 'b', 'input', 'X'],
    ],
    [
      'optional output into a required input',
      (d) => {
        d.nodes.a!.input.N = { type: 'dependency', node: 'b', output: 'x' };
        d.nodes.b!.input.OPT = { type: 'dependency', node: 'a', output: 'maybe' };
        d.nodes.b!.input.X = { type: 'dependency', node: 'a', output: 'maybe' };
      },
      'OPTIONAL_TO_REQUIRED',
      ['nodes', 'b', 'input', 'X'],
    ],
    [
      'several files into one',
      (d) => {
        d.nodes.b!.input.ONE = { type: 'dependency', node: 'a', output: 'many' };
      },
      'MULTIPLE_FILES',
      ['nodes', 'b', 'input', 'ONE'],
    ],
    [
      'acceptance false on a job',
      (d) => {
        d.nodes.b!.dependencies[0]!.acceptance = false;
      },
      'INVALID_ACCEPTANCE',
      ['nodes', 'b', 'dependencies', 0, 'acceptance'],
    ],
    [
      'output of a sub-recipe',
      (d) => {
        d.nodes.s = {
          dependencies: [],
          input: { v: { type: 'recipe', input: 'n' } },
          node_type: { node_type: 'recipe', recipe_type_name: 'sub', recipe_type_revision: 1 },
        };
        d.nodes.b!.dependencies.push({ name: 's' });
        d.nodes.b!.input.OPT = { type: 'dependency', node: 's', output: 'x' };
      },
      'UNKNOWN_OUTPUT',
      ['nodes', 'b', 'input', 'OPT', 'output'],
    ],
  ];

  it.each(cases)('recipe definition validation - rejects %s', (_what, mutate, name, path) => {
    const { errors } = check(mutate);
    expect(errors.map((e) => ({ name: e.name, path: e.path }))).toContainEqual({ name, path });
    for (const e of errors) expect(e.description.length).toBeGreaterThan(10);
  });

  it('recipe definition validation - checks condition filters against the condition interface', () => {
    const cond =
      (filters: unknown[]): Mutate =>
      (d) => {
        d.nodes.c = {
          dependencies: [{ name: 'a' }],
          input: { count: { type: 'dependency', node: 'a', output: 'count' } },
          node_type: {
            node_type: 'condition',
            interface: { json: [{ name: 'count', type: 'integer' }], files: [{ name: 'f', required: false }] },
            data_filter: { filters: filters as never },
          },
        };
        d.nodes.b!.dependencies.push({ name: 'c', acceptance: false });
      };
    expect(check(cond([{ name: 'count', type: 'integer', condition: '>', values: [3] }])).errors).toEqual([]);
    const bad: [unknown, RegExp][] = [
      [{ name: 'nope', type: 'integer', condition: '>', values: [3] }, /not a parameter/],
      [{ name: 'count', type: 'string', condition: '==', values: ['x'] }, /does not match/],
      [{ name: 'count', type: 'integer', condition: 'contains', values: [3] }, /does not apply/],
      [{ name: 'count', type: 'integer', condition: 'between', values: [3] }, /two numbers/],
      [{ name: 'count', type: 'integer', condition: '>', values: [] }, /at least one value/],
      [{ name: 'f', type: 'integer', condition: '>', values: [1] }, /takes files/],
      [{ name: 'count', type: 'media-type', condition: '==', values: ['x'] }, /files only/],
      [{ name: 'count', type: 'integer', condition: '>', values: [1], fields: [['a']] }, /object and meta-data/],
    ];
    for (const [filter, message] of bad) {
      const { errors } = check(cond([filter]));
      expect({ filter, errors: errors.map((e) => e.name) }).toEqual({ filter, errors: ['INVALID_FILTER'] });
      expect(errors[0]!.description).toMatch(message);
      expect(errors[0]!.path).toEqual(['nodes', 'c', 'node_type', 'data_filter', 'filters', 0]);
    }
    expect(check(cond([])).warnings.map((w) => w.name)).toEqual(['EMPTY_FILTER']);
  });

  it('recipe definition validation - warns when file media types cannot match', () => {
    const { errors, warnings } = check((d) => {
      d.nodes.b!.input.ONE = { type: 'dependency', node: 'a', output: 'many' };
    });
    expect(errors.map((e) => e.name)).toEqual(['MULTIPLE_FILES']);
    expect(warnings.map((w) => w.name)).toEqual(['MISMATCHED_MEDIA_TYPE']);
  });

  it('recipe definition validation - the schema rejects bad names, unknown fields and node types', () => {
    const bad = [
      { input: {}, nodes: { 'a b': { dependencies: [], input: {}, node_type: job('x') } } },
      { input: {}, nodes: { a: { dependencies: [], input: {}, node_type: { node_type: 'batch' } } } },
      { input: {}, nodes: { a: { dependencies: [], input: {}, node_type: job('x'), extra: 1 } } },
      {
        input: {
          json: [
            { name: 'x', type: 'integer' },
            { name: 'x', type: 'string' },
          ],
        },
        nodes: {},
      },
      { nodes: {} },
    ];
    for (const d of bad) expect(RecipeDefinition.safeParse(d).success).toBe(false);
  });
});

describe('topological order', () => {
  it('topological order - parents first, ties by name, cycles named', () => {
    const deps = (...names: string[]) => ({ dependencies: names.map((name) => ({ name })) });
    expect(topologicalOrder({ d: deps('b', 'c'), c: deps('a'), b: deps('a'), a: deps() })).toEqual({
      order: ['a', 'b', 'c', 'd'],
    });
    expect(topologicalOrder({ a: deps('c'), b: deps('a'), c: deps('b'), z: deps() })).toEqual({
      cycle: ['a', 'b', 'c', 'a'],
    });
  });
});
