import { describe, expect, it } from '@jest/globals';
import { RecipeDefinition, type RecipeDefinitionInput } from './recipe-definition.ts';
import { diffRecipeDefinitions } from './recipe-diff.ts';

const def = (d: RecipeDefinitionInput) => RecipeDefinition.parse(d);
const job = (name: string, version: string, revision = 1) => ({
  node_type: 'job' as const,
  job_type_name: name,
  job_type_version: version,
  job_type_revision: revision,
});

const input = {
  files: [{ name: 'foo', media_types: ['image/tiff'], required: true, multiple: true }],
  json: [{ name: 'bar', type: 'integer' as const, required: false }],
};

const previous = def({
  input,
  nodes: {
    node_a: {
      dependencies: [],
      input: { input_1: { type: 'recipe', input: 'foo' } },
      node_type: job('job-type-1', '1.0'),
    },
    node_b: {
      dependencies: [{ name: 'node_a' }],
      input: {
        input_1: { type: 'recipe', input: 'foo' },
        input_2: { type: 'dependency', node: 'node_a', output: 'output_1' },
      },
      node_type: job('job-type-2', '1.0'),
    },
  },
});

const seedNext = def({
  input,
  nodes: {
    node_a: previous.nodes.node_a!,
    node_b: { ...previous.nodes.node_b!, node_type: job('job-type-2', '2.0') },
    node_c: {
      dependencies: [{ name: 'node_b' }],
      input: {
        input_1: { type: 'recipe', input: 'bar' },
        input_2: { type: 'dependency', node: 'node_b', output: 'output_1' },
      },
      node_type: { node_type: 'recipe', recipe_type_name: 'recipe-type-1', recipe_type_revision: 5 },
    },
  },
});

describe('recipe diff', () => {
  it('recipe diff - reproduces the seed 003 example field for field', () => {
    expect(diffRecipeDefinitions(previous, seedNext)).toEqual({
      can_be_reprocessed: true,
      reasons: [],
      nodes: {
        node_a: {
          status: 'UNCHANGED',
          changes: [],
          reprocess_new_node: false,
          force_reprocess: false,
          dependencies: [],
          node_type: { node_type: 'job', job_type_name: 'job-type-1', job_type_version: '1.0', job_type_revision: 1 },
        },
        node_b: {
          status: 'CHANGED',
          changes: [{ name: 'JOB_TYPE_VERSION_CHANGE', description: 'Job type version changed from 1.0 to 2.0' }],
          reprocess_new_node: true,
          force_reprocess: false,
          dependencies: [{ name: 'node_a' }],
          node_type: {
            node_type: 'job',
            job_type_name: 'job-type-2',
            job_type_version: '2.0',
            prev_job_type_version: '1.0',
            job_type_revision: 1,
          },
        },
        node_c: {
          status: 'NEW',
          changes: [],
          reprocess_new_node: true,
          force_reprocess: false,
          dependencies: [{ name: 'node_b' }],
          node_type: { node_type: 'recipe', recipe_type_name: 'recipe-type-1', recipe_type_revision: 5 },
        },
      },
    });
  });

  it('recipe diff - a changed parent changes its children, deleted nodes are listed', () => {
    const next = def({
      input,
      nodes: { node_a: { ...previous.nodes.node_a!, node_type: job('job-type-1', '1.0', 2) } },
    });
    const withChild = def({
      input,
      nodes: { ...next.nodes, node_b: previous.nodes.node_b! },
    });
    const diff = diffRecipeDefinitions(previous, withChild);
    expect(diff.nodes.node_a!.changes.map((c) => c.name)).toEqual(['JOB_TYPE_REVISION_CHANGE']);
    expect(diff.nodes.node_a!.node_type).toMatchObject({ prev_job_type_revision: 1, job_type_revision: 2 });
    expect(diff.nodes.node_b).toMatchObject({
      status: 'CHANGED',
      changes: [{ name: 'PARENT_CHANGED', description: 'Parent node node_a changed' }],
      reprocess_new_node: true,
    });
    const deleted = diffRecipeDefinitions(previous, next);
    expect(deleted.nodes.node_b).toMatchObject({ status: 'DELETED', reprocess_new_node: false, changes: [] });
  });

  it('recipe diff - forcing a node reprocesses it and everything downstream, not upstream', () => {
    const diff = diffRecipeDefinitions(previous, previous, { all: false, nodes: ['node_a'] });
    expect(diff.nodes.node_a).toMatchObject({ status: 'UNCHANGED', force_reprocess: true, reprocess_new_node: true });
    expect(diff.nodes.node_b).toMatchObject({ status: 'UNCHANGED', force_reprocess: true, reprocess_new_node: true });
    const onlyB = diffRecipeDefinitions(previous, previous, { all: false, nodes: ['node_b'] });
    expect(onlyB.nodes.node_a).toMatchObject({ force_reprocess: false, reprocess_new_node: false });
    expect(onlyB.nodes.node_b).toMatchObject({ force_reprocess: true, reprocess_new_node: true });
    const all = diffRecipeDefinitions(previous, previous, { all: true });
    expect(Object.values(all.nodes).every((n) => n.reprocess_new_node)).toBe(true);
  });

  it('recipe diff - connection, dependency and node type changes are named', () => {
    const next = def({
      input,
      nodes: {
        node_a: {
          dependencies: [],
          input: { input_1: { type: 'recipe', input: 'bar' }, extra: { type: 'recipe', input: 'foo' } },
          node_type: job('job-type-1', '1.0'),
        },
        node_b: {
          dependencies: [],
          input: {},
          node_type: { node_type: 'condition', interface: {}, data_filter: { filters: [] } },
        },
      },
    });
    const diff = diffRecipeDefinitions(previous, next);
    expect(diff.nodes.node_a!.changes.map((c) => c.name)).toEqual(['INPUT_CHANGE', 'INPUT_NEW']);
    expect(diff.nodes.node_b!.prev_node_type).toBe('job');
    expect(diff.nodes.node_b!.node_type).toEqual({ node_type: 'condition' });
    expect(diff.nodes.node_b!.changes.map((c) => c.name)).toEqual([
      'NODE_TYPE_CHANGE',
      'PARENT_REMOVED',
      'INPUT_REMOVED',
      'INPUT_REMOVED',
    ]);
  });

  it('recipe diff - a condition whose filter or acceptance changed is CHANGED', () => {
    const cond = (values: number[]) => ({
      node_type: 'condition' as const,
      interface: { json: [{ name: 'n', type: 'integer' as const }] },
      data_filter: { filters: [{ name: 'n', type: 'integer' as const, condition: '>' as const, values }] },
    });
    const a = def({
      input: {},
      nodes: {
        c: { dependencies: [], input: {}, node_type: cond([1]) },
        d: { dependencies: [{ name: 'c', acceptance: true }], input: {}, node_type: job('x', '1') },
      },
    });
    const b = def({
      input: {},
      nodes: {
        c: { dependencies: [], input: {}, node_type: cond([2]) },
        d: { dependencies: [{ name: 'c', acceptance: false }], input: {}, node_type: job('x', '1') },
      },
    });
    const diff = diffRecipeDefinitions(a, b);
    expect(diff.nodes.c!.changes).toEqual([{ name: 'FILTER_CHANGE', description: 'Data filter changed' }]);
    expect(diff.nodes.d!.changes.map((c) => c.name)).toEqual(['PARENT_ACCEPTANCE_CHANGED', 'PARENT_CHANGED']);
  });

  it('recipe diff - an input interface the old recipes cannot feed blocks reprocessing', () => {
    const cases: [RecipeDefinitionInput['input'], boolean][] = [
      [
        {
          ...input,
          json: [
            { name: 'bar', type: 'integer', required: false },
            { name: 'baz', type: 'string' },
          ],
        },
        false,
      ],
      [
        {
          ...input,
          json: [
            { name: 'bar', type: 'integer', required: false },
            { name: 'baz', type: 'string', required: false },
          ],
        },
        true,
      ],
      [{ ...input, json: [{ name: 'bar', type: 'string', required: false }] }, false],
      [{ ...input, json: [{ name: 'bar', type: 'number', required: false }] }, true],
      [{ ...input, json: [{ name: 'bar', type: 'integer', required: true }] }, false],
      [{ files: [{ name: 'foo', multiple: false }], json: input.json }, false],
      [{ files: [], json: [] }, true],
    ];
    for (const [iface, expected] of cases) {
      const diff = diffRecipeDefinitions(previous, def({ input: iface, nodes: previous.nodes }), { all: true });
      expect({ iface, can: diff.can_be_reprocessed }).toEqual({ iface, can: expected });
      if (!expected) {
        expect(diff.reasons[0]!.name).toBe('INPUT_CHANGE');
        expect(Object.values(diff.nodes).some((n) => n.reprocess_new_node)).toBe(false);
      }
    }
  });
});
