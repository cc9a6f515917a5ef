import { describe, expect, it } from '@jest/globals';
import { nameFromTitle, uniqueName } from './recipe-type-name.ts';

describe('recipe type name', () => {
  it.each([
    ['My Recipe', 'my-recipe'],
    ['  Ortho & Footprint (v2)!  ', 'ortho-footprint-v2'],
    ['Café Crème', 'cafe-creme'],
    ['!!!', 'recipe'],
    ['x'.repeat(60), 'x'.repeat(50)],
    [`${'a'.repeat(49)} b`, 'a'.repeat(49)],
  ])('recipe type name - %s → %s', (title, name) => {
    expect(nameFromTitle(title)).toBe(name);
  });

  it('recipe type name - a taken name gets the first free suffix, within 50 characters', () => {
    expect(uniqueName('my-recipe', new Set())).toBe('my-recipe');
    expect(uniqueName('my-recipe', new Set(['my-recipe', 'my-recipe-2']))).toBe('my-recipe-3');
    const long = 'y'.repeat(50);
    expect(uniqueName(long, new Set([long]))).toBe(`${'y'.repeat(48)}-2`);
  });
});
