import { describe, expect, it } from '@jest/globals';
import { countSql, orderClause, pageSql, rollupCanCount, rollupCountSql, whereClause } from './job-list-sql.ts';

describe('job list sql', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  const wheres: [string, Parameters<typeof whereClause>[0], string, unknown[]][] = [
    ['nothing filters', {}, 'true', []],
    ['time range on last_modified', { started: at, ended: at }, 'last_modified >= ? and last_modified <= ?', [at, at]],
    ['lists are IN lists', { statuses: ['FAILED', 'CANCELED'] }, 'status in (?)', [['FAILED', 'CANCELED']]],
    [
      'filters AND together',
      { jobIds: [1], jobTypeIds: [2], batchIds: [3], recipeIds: [4], errorIds: [5] },
      'id in (?) and job_type_id in (?) and batch_id in (?) and recipe_id in (?) and error_id in (?)',
      [[1], [2], [3], [4], [5]],
    ],
    [
      'the updates feed ranges over last_status_change',
      { started: at, timeField: 'last_status_change' },
      'last_status_change >= ?',
      [at],
    ],
    ['superseded is a literal (partial index)', { isSuperseded: true }, 'is_superseded', []],
    ['current jobs', { isSuperseded: false }, 'not is_superseded', []],
  ];
  for (const [name, where, text, params] of wheres) {
    it(`job list sql - where: ${name}`, () => {
      expect(whereClause(where)).toEqual({ text, params });
    });
  }

  const orders: [string, Parameters<typeof orderClause>[0], string][] = [
    ['ascending gets an ascending id tie-break', [{ field: 'created', descending: false }], 'created asc, id asc'],
    [
      'descending gets a descending id tie-break (backward index scan)',
      [{ field: 'last_modified', descending: true }],
      'last_modified desc, id desc',
    ],
    ['id alone needs no tie-break', [{ field: 'id', descending: true }], 'id desc'],
    [
      'an explicit id term is the tie-break',
      [
        { field: 'created', descending: true },
        { field: 'id', descending: false },
      ],
      'created desc, id asc',
    ],
    [
      'the tie-break follows the last term',
      [
        { field: 'started', descending: true },
        { field: 'ended', descending: false },
      ],
      'started desc, ended asc, id asc',
    ],
  ];
  for (const [name, terms, text] of orders) {
    it(`job list sql - order: ${name}`, () => {
      expect(orderClause(terms)).toBe(text);
    });
  }

  it('job list sql - a page selects the list columns, never the JSON documents', () => {
    const sql = pageSql({ statuses: ['QUEUED'] }, [{ field: 'queued', descending: false }], {
      limit: 100,
      offset: 200,
    });
    expect(sql.text).toMatch(
      /^select id, job_type_id, .* from job where status in \(\?\) order by queued asc, id asc limit \? offset \?$/,
    );
    expect(sql.text).not.toMatch(/\binput\b|\boutput\b|configuration/);
    expect(sql.params).toEqual([['QUEUED'], 100, 200]);
  });

  it('job list sql - the table count uses the same filters as the page', () => {
    const sql = countSql({ started: at, isSuperseded: false });
    expect(sql.text).toBe('select count(*) as count from job where last_modified >= ? and not is_superseded');
    expect(sql.params).toEqual([at]);
  });

  const eligible: [string, Parameters<typeof rollupCanCount>[0], boolean][] = [
    ['no filter', {}, true],
    [
      'status, type, error and superseded',
      { statuses: ['FAILED'], jobTypeIds: [1], errorIds: [2], isSuperseded: false },
      true,
    ],
    ['a time range', { started: at }, false],
    ['job ids', { jobIds: [1] }, false],
    ['batch ids', { batchIds: [1] }, false],
    ['recipe ids', { recipeIds: [1] }, false],
  ];
  for (const [name, where, ok] of eligible) {
    it(`job list sql - the count rollup ${ok ? 'answers' : 'cannot answer'} ${name}`, () => {
      expect(rollupCanCount(where)).toBe(ok);
    });
  }

  it('job list sql - the rollup count sums folded groups and pending deltas with the same filter', () => {
    const sql = rollupCountSql({ statuses: ['FAILED'], errorIds: [3], isSuperseded: true });
    expect(sql.text).toBe(
      'select coalesce(sum(n), 0) as count, (select count(*) from job_count_delta) as pending from (' +
        'select n from job_count_rollup where status in (?) and error_id in (?) and is_superseded union all ' +
        'select n from job_count_delta where status in (?) and error_id in (?) and is_superseded) as groups',
    );
    expect(sql.params).toEqual([['FAILED'], [3], ['FAILED'], [3]]);
    expect(rollupCountSql({}).text).toContain('from job_count_rollup where true union all');
  });
});
