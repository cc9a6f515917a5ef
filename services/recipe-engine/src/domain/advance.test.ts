import { describe, expect, it } from '@jest/globals';
import type { JobStatusEvent } from '@scale/contracts';
import {
  definition,
  diamond,
  fromNode,
  fromRecipe,
  job,
  jobType,
  json,
  recipe,
  subRecipe,
  tree,
} from '../../test/fixtures/trees.ts';
import { advance, applyEvent } from './advance.ts';
import type { Command, NodeState, RecipeTree } from './tree.ts';

/** One line per command: what, where, and the data that matters. */
function summary(command: Command): string {
  switch (command.type) {
    case 'CREATE_JOB': {
      const extra = command.supersededJobId ? ` supersedes ${command.supersededJobId}` : '';
      return `CREATE_JOB ${command.recipeId}/${command.node} ${command.status} ${JSON.stringify(command.input.json)}${extra}`;
    }
    case 'QUEUE_JOB':
      return `QUEUE_JOB ${command.recipeId}/${command.node} ${JSON.stringify(command.input.json)}`;
    case 'BLOCK_JOB':
    case 'UNBLOCK_JOB':
      return `${command.type} ${command.recipeId}/${command.node}`;
    case 'PROCESS_CONDITION':
      return `PROCESS_CONDITION ${command.recipeId}/${command.node} ${command.accepted ? 'accepted' : 'rejected'} ${JSON.stringify(command.data.json)}`;
    case 'CREATE_SUB_RECIPE': {
      const extra = command.supersedes ? ` supersedes ${command.supersedes.recipeId}` : '';
      return `CREATE_SUB_RECIPE ${command.recipeId}/${command.node} ${JSON.stringify(command.input.json)}${extra}`;
    }
    case 'COMPLETE_RECIPE':
      return `COMPLETE_RECIPE ${command.recipeId}`;
    case 'SUPERSEDE_JOBS':
      return `SUPERSEDE_JOBS ${command.jobIds.join(',')}`;
  }
}

const plan = (t: RecipeTree, event?: JobStatusEvent) => advance(t, event).commands.map(summary);
const diamondAt = (nodes: Record<string, NodeState>) => tree(recipe(1, diamond(), nodes));

describe('advance - diamond a → (b, c) → d', () => {
  const cases: [string, Record<string, NodeState>, string[]][] = [
    ['a new recipe queues its first node with the recipe input', {}, ['CREATE_JOB 1/a QUEUED {"X":5}']],
    [
      'children of a created node are created PENDING',
      { a: job('QUEUED') },
      ['CREATE_JOB 1/b PENDING {}', 'CREATE_JOB 1/c PENDING {}'],
    ],
    ['a join waits until both parents exist', { a: job('RUNNING'), b: job('PENDING') }, ['CREATE_JOB 1/c PENDING {}']],
    [
      'a completed parent queues its children with its output wired in',
      { a: job('COMPLETED', { Y: 6 }), b: job('PENDING'), c: job('PENDING'), d: job('PENDING') },
      ['QUEUE_JOB 1/b {"X":6}', 'QUEUE_JOB 1/c {"X":6}'],
    ],
    [
      'a join is queued once both parents completed, each output on its own input',
      {
        a: job('COMPLETED', { Y: 6 }),
        b: job('COMPLETED', { Y: 7 }),
        c: job('COMPLETED', { Y: 8 }),
        d: job('PENDING'),
      },
      ['QUEUE_JOB 1/d {"L":7,"R":8}'],
    ],
    [
      'one parent done is not enough for the join',
      { a: job('COMPLETED', { Y: 6 }), b: job('COMPLETED', { Y: 7 }), c: job('RUNNING'), d: job('PENDING') },
      [],
    ],
    [
      'a recipe whose nodes all completed completes',
      { a: job('COMPLETED'), b: job('COMPLETED'), c: job('COMPLETED'), d: job('COMPLETED') },
      ['COMPLETE_RECIPE 1'],
    ],
    [
      'a failed node blocks every descendant',
      { a: job('FAILED'), b: job('PENDING'), c: job('PENDING'), d: job('PENDING') },
      ['BLOCK_JOB 1/b', 'BLOCK_JOB 1/c', 'BLOCK_JOB 1/d'],
    ],
    [
      'a canceled node blocks too',
      { a: job('CANCELED'), b: job('PENDING') },
      ['BLOCK_JOB 1/b', 'CREATE_JOB 1/c BLOCKED {}'],
    ],
    [
      'blocked descendants stay blocked without new commands',
      { a: job('FAILED'), b: job('BLOCKED'), c: job('BLOCKED'), d: job('BLOCKED') },
      [],
    ],
    [
      'requeueing the failed node unblocks its descendants',
      { a: job('QUEUED', undefined, { numExes: 2 }), b: job('BLOCKED'), c: job('BLOCKED'), d: job('BLOCKED') },
      ['UNBLOCK_JOB 1/b', 'UNBLOCK_JOB 1/c', 'UNBLOCK_JOB 1/d'],
    ],
    [
      'a requeued node that completes queues its blocked children directly',
      { a: job('COMPLETED', { Y: 1 }, { numExes: 2 }), b: job('BLOCKED'), c: job('BLOCKED'), d: job('BLOCKED') },
      ['QUEUE_JOB 1/b {"X":1}', 'QUEUE_JOB 1/c {"X":1}', 'UNBLOCK_JOB 1/d'],
    ],
    [
      'a failed branch blocks the join but not the other branch',
      { a: job('COMPLETED', { Y: 6 }), b: job('FAILED'), c: job('RUNNING'), d: job('PENDING') },
      ['BLOCK_JOB 1/d'],
    ],
    [
      'a failed recipe never completes',
      { a: job('COMPLETED'), b: job('COMPLETED'), c: job('FAILED'), d: job('BLOCKED') },
      [],
    ],
  ];
  it.each(cases)('advance - %s', (_name, nodes, expected) => {
    expect(plan(diamondAt(nodes))).toEqual(expected);
  });

  it('advance - a superseded or completed recipe gets no commands', () => {
    expect(plan(tree(recipe(1, diamond(), {}, { isSuperseded: true })))).toEqual([]);
    expect(plan(tree(recipe(1, diamond(), {}, { isCompleted: true })))).toEqual([]);
  });
});

describe('advance - events', () => {
  const a = job('RUNNING');
  const running = diamondAt({ a, b: job('PENDING'), c: job('PENDING') });
  const event = (status: JobStatusEvent['status'], exeNum = 1): JobStatusEvent => ({
    jobId: (a as { jobId: number }).jobId,
    status,
    exeNum,
    errorCategory: status === 'FAILED' ? 'ALGORITHM' : null,
    at: '2026-11-23T12:00:00.000Z',
  });

  it('advance - a failure event blocks the descendants, applying it twice changes nothing', () => {
    const once = advance(running, event('FAILED'));
    expect(once.commands.map(summary)).toEqual(['BLOCK_JOB 1/b', 'BLOCK_JOB 1/c', 'CREATE_JOB 1/d BLOCKED {}']);
    const twice = advance(once.tree, event('FAILED'));
    expect(twice.tree).toBe(once.tree);
    expect(twice.commands).toEqual(once.commands);
  });

  it('advance - late and out-of-order events are ignored', () => {
    const failed = applyEvent(running, event('FAILED'));
    for (const late of [event('RUNNING'), event('QUEUED'), event('PENDING', 0)]) {
      expect(applyEvent(failed, late)).toBe(failed);
    }
    // A later execution wins over the earlier one's end.
    const requeued = applyEvent(failed, event('QUEUED', 2));
    expect(requeued.recipes[1]!.nodes.a).toMatchObject({ status: 'QUEUED', numExes: 2 });
    expect(applyEvent(requeued, event('FAILED', 1))).toBe(requeued);
  });

  it('advance - an event about another job changes nothing', () => {
    const other = { ...event('COMPLETED'), jobId: 9_999 };
    expect(advance(running, other).tree).toBe(running);
  });

  it('advance - a completion known only from the event waits for the row that holds the output', () => {
    const { commands } = advance(running, event('COMPLETED'));
    expect(commands.map(summary)).toEqual(['CREATE_JOB 1/d PENDING {}']);
  });
});

describe('advance - conditions', () => {
  const def = (acceptanceOfRejected = false) =>
    definition(
      { json: [{ name: 'n', type: 'integer' }] },
      {
        a: { dependencies: [], input: { X: fromRecipe('n') }, node_type: jobType() },
        gate: {
          dependencies: [{ name: 'a' }],
          input: { Y: fromNode('a', 'Y') },
          node_type: {
            node_type: 'condition',
            interface: { json: [{ name: 'Y', type: 'integer' }] },
            data_filter: { filters: [{ name: 'Y', type: 'integer', condition: '>', values: [5] }] },
          },
        },
        big: {
          dependencies: [{ name: 'gate', acceptance: true }],
          input: { X: fromNode('gate', 'Y') },
          node_type: jobType(),
        },
        small: {
          dependencies: [{ name: 'gate', acceptance: acceptanceOfRejected }],
          input: { X: fromRecipe('n') },
          node_type: jobType(),
        },
        after: { dependencies: [{ name: 'small' }], input: { X: fromNode('small', 'Y') }, node_type: jobType() },
      },
    );
  const gate = (accepted: boolean): NodeState => ({
    kind: 'condition',
    conditionId: 1,
    isAccepted: accepted,
    data: json({ Y: 9 }),
  });

  it('advance - a condition waits for its parents, then is evaluated on their outputs', () => {
    expect(plan(tree(recipe(1, def(), { a: job('RUNNING') })))).toEqual([]);
    expect(plan(tree(recipe(1, def(), { a: job('COMPLETED', { Y: 9 }) })))).toEqual([
      'PROCESS_CONDITION 1/gate accepted {"Y":9}',
    ]);
    expect(plan(tree(recipe(1, def(), { a: job('COMPLETED', { Y: 2 }) })))).toEqual([
      'PROCESS_CONDITION 1/gate rejected {"Y":2}',
    ]);
  });

  it('advance - an accepted condition runs its acceptance branch and skips the other one', () => {
    const nodes = { a: job('COMPLETED', { Y: 9 }), gate: gate(true) };
    expect(plan(tree(recipe(1, def(), nodes)))).toEqual(['CREATE_JOB 1/big QUEUED {"X":9}']);
    const done = { ...nodes, big: job('COMPLETED') };
    expect(plan(tree(recipe(1, def(), done)))).toEqual(['COMPLETE_RECIPE 1']);
  });

  it('advance - a rejected condition runs the acceptance false branch and its descendants', () => {
    const nodes = { a: job('COMPLETED', { Y: 2 }), gate: gate(false) };
    expect(plan(tree(recipe(1, def(), nodes)))).toEqual(['CREATE_JOB 1/small QUEUED {"X":5}']);
    const next = { ...nodes, small: job('QUEUED') };
    expect(plan(tree(recipe(1, def(), next)))).toEqual(['CREATE_JOB 1/after PENDING {}']);
    const done = { ...next, small: job('COMPLETED', { Y: 1 }), after: job('COMPLETED') };
    expect(plan(tree(recipe(1, def(), done)))).toEqual(['COMPLETE_RECIPE 1']);
  });
});

describe('advance - sub-recipes', () => {
  const inner = definition(
    { json: [{ name: 'v', type: 'integer' }] },
    { s: { dependencies: [], input: { X: fromRecipe('v') }, node_type: jobType() } },
  );
  const outer = definition(
    { json: [{ name: 'n', type: 'integer' }] },
    {
      a: { dependencies: [], input: { X: fromRecipe('n') }, node_type: jobType() },
      sub: { dependencies: [{ name: 'a' }], input: { v: fromNode('a', 'Y') }, node_type: subRecipe('inner') },
      z: { dependencies: [{ name: 'sub' }], input: { X: fromRecipe('n') }, node_type: jobType() },
    },
  );
  const recipeTypes = { 'inner@1': { recipeTypeId: 3, revisionId: 30, definition: inner } };
  const withSub = (subNodes: Record<string, NodeState>, extra = {}) =>
    tree(
      recipe(1, outer, { a: job('COMPLETED', { Y: 4 }), sub: { kind: 'recipe', recipeId: 2 }, z: job('PENDING') }),
      [recipe(2, inner, subNodes, { parentId: 1, rootId: 1, input: json({ v: 4 }), ...extra })],
      { recipeTypes },
    );

  it('advance - a sub-recipe starts when its parents are done, with its input wired', () => {
    const t = tree(recipe(1, outer, { a: job('COMPLETED', { Y: 4 }) }), [], { recipeTypes });
    expect(plan(t)).toEqual(['CREATE_SUB_RECIPE 1/sub {"v":4}']);
  });

  it('advance - a sub-recipe runs as its own recipe; nodes after it wait for it to complete', () => {
    const created = tree(recipe(1, outer, { a: job('COMPLETED', { Y: 4 }), sub: { kind: 'recipe', recipeId: 2 } }), [
      recipe(2, inner, {}, { parentId: 1, rootId: 1, input: json({ v: 4 }) }),
    ]);
    expect(plan(created)).toEqual(['CREATE_JOB 1/z PENDING {}', 'CREATE_JOB 2/s QUEUED {"X":4}']);
    expect(plan(withSub({ s: job('RUNNING') }))).toEqual([]);
    expect(plan(withSub({ s: job('COMPLETED') }))).toEqual(['COMPLETE_RECIPE 2']);
    expect(plan(withSub({ s: job('COMPLETED') }, { isCompleted: true }))).toEqual(['QUEUE_JOB 1/z {"X":5}']);
  });

  it('advance - a failure inside a sub-recipe blocks the nodes after it', () => {
    const t = withSub({ s: job('FAILED') });
    expect(plan(t)).toEqual(['BLOCK_JOB 1/z']);
  });
});

describe('advance - reprocessing', () => {
  it('advance - new nodes chain to the jobs they replace, and the old jobs are superseded first', () => {
    const previousNodes = { b: { jobId: 41 }, c: { jobId: 42 } };
    const t = tree(
      recipe(1, diamond(), { a: job('COMPLETED', { Y: 6 }) }, { supersededRecipeId: 9, previousNodes }),
      [],
      { staleJobIds: [41, 42] },
    );
    expect(plan(t)).toEqual([
      'CREATE_JOB 1/b QUEUED {"X":6} supersedes 41',
      'CREATE_JOB 1/c QUEUED {"X":6} supersedes 42',
      'SUPERSEDE_JOBS 41,42',
    ]);
  });

  it('advance - a reprocessed recipe completes only once the old jobs are superseded', () => {
    const done = { a: job('COMPLETED'), b: job('COMPLETED'), c: job('COMPLETED'), d: job('COMPLETED') };
    expect(plan(tree(recipe(1, diamond(), done), [], { staleJobIds: [41] }))).toEqual(['SUPERSEDE_JOBS 41']);
  });
});
