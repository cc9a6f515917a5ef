import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { choice, LIST_ITEMS, listParam, orderList, QueryInt } from './query.ts';

const schema = z.object({
  id: listParam(QueryInt, 'ids'),
  status: listParam(choice(['QUEUED', 'FAILED'] as const), 'statuses'),
  order: orderList(['id', 'created'] as const),
});

function issues(input: Record<string, unknown>) {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => [i.path.join('.'), i.message]);
}

describe('query helpers', () => {
  const valid: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['absent parameters stay absent', {}, {}],
    ['one value becomes a list', { id: '7' }, { id: [7] }],
    ['repeated values keep their order', { id: ['7', '3'] }, { id: [7, 3] }],
    ['choices are case-insensitive', { status: ['failed', 'Queued'] }, { status: ['FAILED', 'QUEUED'] }],
    [
      'order terms',
      { order: ['-created', 'id'] },
      {
        order: [
          { field: 'created', descending: true },
          { field: 'id', descending: false },
        ],
      },
    ],
  ];
  for (const [name, input, output] of valid) {
    it(`query helpers - ${name}`, () => {
      expect(schema.parse(input)).toEqual(output);
    });
  }

  const invalid: [string, Record<string, unknown>, [string, string][]][] = [
    ['a bad integer is reported on the parameter', { id: ['1', 'x'] }, [['id', '"x": A valid integer is required.']]],
    ['zero is not an id', { id: '0' }, [['id', '"0": A valid integer is required.']]],
    ['an unknown choice', { status: 'DONE' }, [['status', '"DONE": Not a valid choice; choose from QUEUED, FAILED.']]],
    [
      'an unknown order field',
      { order: 'name' },
      [['order', '"name" is not a valid order field; choose from id, created (prefix - to reverse).']],
    ],
    [
      'every bad value of every parameter',
      { id: ['a', 'b'], order: ['x'] },
      [
        ['id', '"a": A valid integer is required.'],
        ['id', '"b": A valid integer is required.'],
        ['order', '"x" is not a valid order field; choose from id, created (prefix - to reverse).'],
      ],
    ],
  ];
  for (const [name, input, expected] of invalid) {
    it(`query helpers - ${name}`, () => {
      expect(issues(input)).toEqual(expected);
    });
  }

  it('query helpers - list parameters remember their item schema for the OpenAPI document', () => {
    expect(LIST_ITEMS.get(schema.shape.id)).toBe(QueryInt);
    expect(LIST_ITEMS.has(schema.shape.order)).toBe(true);
  });
});
