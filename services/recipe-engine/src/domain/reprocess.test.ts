import { describe, expect, it } from '@jest/globals';
import { diffRecipeDefinitions } from '@scale/contracts';
import { diamond } from '../../test/fixtures/trees.ts';
import { forcedForNewInput, nodesToCopy, type OldNode, reprocessProblem, subRecipeForcedNodes } from './reprocess.ts';

const old: OldNode[] = ['a', 'b', 'c', 'd'].map((name) => ({ name, kind: 'job' }));

describe('reprocess', () => {
  it('reprocess - unchanged, unforced nodes are copied; forced ones and everything after them are not', () => {
    const def = diamond();
    expect(nodesToCopy(diffRecipeDefinitions(def, def, { all: false, nodes: ['b'] }), old)).toEqual(['a', 'c']);
    expect(nodesToCopy(diffRecipeDefinitions(def, def, { all: false, nodes: ['a'] }), old)).toEqual([]);
    expect(nodesToCopy(diffRecipeDefinitions(def, def, { all: false, nodes: ['d'] }), old)).toEqual(['a', 'b', 'c']);
    expect(nodesToCopy(diffRecipeDefinitions(def, def, { all: true }), old)).toEqual([]);
  });

  it('reprocess - a sub-recipe still running is run again, and so is what depends on it', () => {
    const def = diamond();
    const withSub: OldNode[] = [{ name: 'a', kind: 'recipe', isCompleted: false }, ...old.slice(1)];
    expect(nodesToCopy(diffRecipeDefinitions(def, def, { all: false, nodes: ['d'] }), withSub)).toEqual([]);
    const completed: OldNode[] = [{ name: 'a', kind: 'recipe', isCompleted: true }, ...old.slice(1)];
    expect(nodesToCopy(diffRecipeDefinitions(def, def, { all: false, nodes: ['d'] }), completed)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('reprocess - what is forced inside a re-run sub-recipe', () => {
    expect(subRecipeForcedNodes(null, 's')).toEqual({ all: true });
    expect(subRecipeForcedNodes({ all: true }, 's')).toEqual({ all: true });
    expect(
      subRecipeForcedNodes({ all: false, nodes: ['s'], sub_recipes: { s: { all: false, nodes: ['x'] } } }, 's'),
    ).toEqual({
      all: false,
      nodes: ['x'],
    });
    expect(subRecipeForcedNodes({ all: false, nodes: ['s'] }, 's')).toEqual({ all: true });
    const forced = { all: false, nodes: ['x'] };
    expect(forcedForNewInput(forced, { files: {}, json: { a: 1, b: 2 } }, { files: {}, json: { b: 2, a: 1 } })).toBe(
      forced,
    );
    expect(forcedForNewInput(forced, { files: {}, json: { a: 1 } }, { files: {}, json: { a: 2 } })).toEqual({
      all: true,
    });
  });

  it('reprocess - an unchanged definition with nothing forced is refused, as is one old recipes cannot feed', () => {
    const def = diamond();
    expect(reprocessProblem(diffRecipeDefinitions(def, def), false)).toMatch(/nothing to reprocess/);
    expect(reprocessProblem(diffRecipeDefinitions(def, def), true)).toBeUndefined();
    expect(reprocessProblem(diffRecipeDefinitions(def, def, { all: false, nodes: ['b'] }), false)).toBeUndefined();
    const changed = { ...def, input: { json: [{ name: 'n', type: 'string' as const }] } };
    expect(reprocessProblem(diffRecipeDefinitions(def, changed, { all: true }), true)).toMatch(/cannot be reprocessed/);
  });
});
