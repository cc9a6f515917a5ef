import { describe, expect, it } from '@jest/globals';
import { jobFilterWhere } from './job-filter.ts';

describe('jobFilterWhere', () => {
  it.each([
    [{}, 'true', []],
    [{ statuses: ['FAILED', 'CANCELED'] }, 'j.status in (?, ?)', ['FAILED', 'CANCELED']],
    [{ jobIds: [] }, 'false', []],
    [
      { started: '2026-01-01T00:00:00Z', ended: '2026-01-02T00:00:00Z', jobTypeIds: [3] },
      'j.last_modified >= ? and j.last_modified <= ? and j.job_type_id in (?)',
      ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 3],
    ],
    [
      { jobTypeNames: ['a', 'b'], errorCategories: ['SYSTEM'] },
      'j.job_type_id in (select id from job_type where name in (?, ?)) and j.error_id in (select id from error where category in (?))',
      ['a', 'b', 'SYSTEM'],
    ],
    [
      { recipeIds: [1], batchIds: [2], errorIds: [3], isSuperseded: false },
      'j.batch_id in (?) and j.recipe_id in (?) and j.error_id in (?) and j.is_superseded = ?',
      [2, 1, 3, false],
    ],
  ] as const)('jobFilterWhere - %j', (filter, sql, params) => {
    expect(jobFilterWhere(filter as never)).toEqual({ sql, params });
  });
});
