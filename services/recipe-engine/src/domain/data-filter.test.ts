import { describe, expect, it } from '@jest/globals';
import type { Data, DataFilter, DataFilterRule, FilterCondition } from '@scale/contracts';
import { evaluateFilter, test } from './data-filter.ts';
import type { FileFacts } from './tree.ts';

const data: Data = {
  files: { img: [1, 2], none: [] },
  json: { n: 7, s: 'hello world', flag: true, list: ['a', 'b'], obj: { a: 1, nested: { b: 'x' } } },
};
const files: Record<number, FileFacts> = {
  1: {
    fileName: 'scene.tif',
    mediaType: 'image/tiff',
    dataTypes: ['raw', 'ortho'],
    metaData: { gsd: 0.5, sensor: { id: 'S1' } },
  },
  2: { fileName: 'notes.txt', mediaType: 'text/plain', dataTypes: [], metaData: { gsd: 2 } },
};
const rule = (r: Partial<DataFilterRule> & Pick<DataFilterRule, 'name' | 'type' | 'condition' | 'values'>) =>
  r as DataFilterRule;
const one = (r: DataFilterRule) => evaluateFilter({ filters: [r] }, data, files);

describe('data filter', () => {
  const conditions: [FilterCondition, unknown, unknown[], boolean][] = [
    ['<', 3, [4], true],
    ['<', 4, [4], false],
    ['<=', 4, [4], true],
    ['>', 5, [4], true],
    ['>=', 3, [4], false],
    ['>', 'b', ['a'], true],
    ['>', 5, ['a'], false],
    ['==', { a: [1] }, [{ a: [1] }], true],
    ['==', 1, [], false],
    ['!=', 1, [2], true],
    ['between', 5, [1, 10], true],
    ['between', 11, [1, 10], false],
    ['between', 5, [1], false],
    ['in', 'b', ['a', 'b'], true],
    ['in', 'ell', ['hello'], true],
    ['in', 'z', ['a'], false],
    ['not in', 'z', ['a'], true],
    ['not in', 'a', ['a'], false],
    ['not in', 'a', [], false],
    ['contains', 'hello world', ['wor'], true],
    ['contains', ['a', 'b'], ['b'], true],
    ['contains', 5, [5], false],
    ['subset of', { a: 1 }, [{ a: 1, b: 2 }], true],
    ['subset of', { a: 1, c: 3 }, [{ a: 1, b: 2 }], false],
    ['superset of', { a: 1, b: 2 }, [{ a: 1 }], true],
    ['superset of', 'x', [{ a: 1 }], false],
  ];
  it.each(conditions)('data filter - %s %j against %j is %s', (condition, value, values, expected) => {
    expect(test(condition, value, values)).toBe(expected);
  });

  it('data filter - JSON values, missing values and objects with fields', () => {
    expect(one(rule({ name: 'n', type: 'integer', condition: '>', values: [5] }))).toBe(true);
    expect(one(rule({ name: 'missing', type: 'integer', condition: '>', values: [5] }))).toBe(false);
    expect(one(rule({ name: 's', type: 'string', condition: 'contains', values: ['world'] }))).toBe(true);
    expect(one(rule({ name: 'flag', type: 'boolean', condition: '==', values: [true] }))).toBe(true);
    const fields = rule({
      name: 'obj',
      type: 'object',
      condition: '==',
      values: [1, 'x'],
      fields: [['a'], ['nested', 'b']],
    });
    expect(one(fields)).toBe(true);
    expect(one({ ...fields, values: [1, 'y'] })).toBe(false);
    expect(one({ ...fields, values: [1, 'y'], all_fields: false })).toBe(true);
    expect(one(rule({ name: 'obj', type: 'object', condition: 'superset of', values: [{ a: 1 }] }))).toBe(true);
  });

  it('data filter - file filters test each file: one is enough unless all_files', () => {
    expect(one(rule({ name: 'img', type: 'media-type', condition: '==', values: ['image/tiff'] }))).toBe(true);
    expect(
      one(rule({ name: 'img', type: 'media-type', condition: '==', values: ['image/tiff'], all_files: true })),
    ).toBe(false);
    expect(one(rule({ name: 'img', type: 'filename', condition: 'contains', values: ['.txt'] }))).toBe(true);
    expect(one(rule({ name: 'img', type: 'data-type', condition: '==', values: ['ortho'] }))).toBe(true);
    expect(one(rule({ name: 'img', type: 'data-type', condition: 'contains', values: ['raw'] }))).toBe(true);
    const gsd = rule({ name: 'img', type: 'meta-data', condition: 'between', values: [[0, 1]], fields: [['gsd']] });
    expect(one(gsd)).toBe(true);
    expect(one({ ...gsd, all_files: true })).toBe(false);
    expect(one(rule({ name: 'img', type: 'meta-data', condition: 'superset of', values: [{ gsd: 2 }] }))).toBe(true);
    expect(one(rule({ name: 'none', type: 'filename', condition: 'contains', values: ['x'] }))).toBe(false);
    expect(
      evaluateFilter(
        { filters: [rule({ name: 'img', type: 'filename', condition: '==', values: ['scene.tif'] })] },
        { files: { img: [99] }, json: {} },
        files,
      ),
    ).toBe(false);
  });

  it('data filter - all ANDs the filters, false ORs them, no filters accepts nothing', () => {
    const pass = rule({ name: 'n', type: 'integer', condition: '>', values: [5] });
    const fail = rule({ name: 'n', type: 'integer', condition: '<', values: [5] });
    const filter = (f: DataFilter) => evaluateFilter(f, data, files);
    expect(filter({ filters: [pass, fail] })).toBe(false);
    expect(filter({ filters: [pass, fail], all: false })).toBe(true);
    expect(filter({ filters: [fail], all: false })).toBe(false);
    expect(filter({ filters: [] })).toBe(false);
    expect(filter({})).toBe(false);
  });
});
