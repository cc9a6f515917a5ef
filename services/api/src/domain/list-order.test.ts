import { describe, expect, it } from '@jest/globals';
import { parseOrder } from './list-order.ts';

const FIELDS = ['id', 'created', 'last_modified'] as const;

describe('list order', () => {
  const valid: [string, string[], { field: string; descending: boolean }[]][] = [
    ['nothing', [], []],
    ['one ascending field', ['created'], [{ field: 'created', descending: false }]],
    ['a dash reverses', ['-last_modified'], [{ field: 'last_modified', descending: true }]],
    [
      'repeated values sort on several fields, in order',
      ['-created', 'id'],
      [
        { field: 'created', descending: true },
        { field: 'id', descending: false },
      ],
    ],
    ['a field named twice keeps its first direction', ['id', '-id'], [{ field: 'id', descending: false }]],
    ['surrounding spaces are ignored', [' -id '], [{ field: 'id', descending: true }]],
  ];
  for (const [name, values, terms] of valid) {
    it(`list order - ${name}`, () => {
      expect(parseOrder(values, FIELDS)).toEqual({ ok: true, terms });
    });
  }

  const invalid: [string, string[], number][] = [
    ['an unknown field', ['docker_image'], 1],
    ['an empty value', [''], 1],
    ['a lone dash', ['-'], 1],
    ['a double dash', ['--id'], 1],
    ['every bad value is reported', ['nope', 'id', '-nada'], 2],
  ];
  for (const [name, values, count] of invalid) {
    it(`list order - ${name} is refused`, () => {
      const result = parseOrder(values, FIELDS);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.errors).toHaveLength(count);
        expect(result.errors[0]).toContain('choose from id, created, last_modified');
      }
    });
  }
});
