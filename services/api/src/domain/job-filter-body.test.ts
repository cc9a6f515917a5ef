import { describe, expect, it } from '@jest/globals';
import { type JobFilterBody, type JobFilterResult, jobFilterFromBody } from './job-filter-body.ts';

const now = new Date('2026-01-10T12:00:00.000Z');

describe('job filter body', () => {
  const cases: [string, JobFilterBody, JobFilterResult][] = [
    ['an empty body is an empty filter', {}, { ok: true, filter: {} }],
    [
      'every field of seed 004, renamed',
      {
        started: '2016-01-01T00:00:00Z',
        ended: '2016-01-02T00:00:00Z',
        status: 'FAILED',
        job_ids: [101, 102, 103],
        job_type_ids: [1, 2, 3],
        job_type_names: ['test-job-type'],
        batch_ids: [201, 202, 203],
        recipe_ids: [301, 302, 303],
        error_categories: ['SYSTEM'],
        error_ids: [11, 22, 33],
        is_superseded: true,
      },
      {
        ok: true,
        filter: {
          started: '2016-01-01T00:00:00.000Z',
          ended: '2016-01-02T00:00:00.000Z',
          statuses: ['FAILED'],
          jobIds: [101, 102, 103],
          jobTypeIds: [1, 2, 3],
          jobTypeNames: ['test-job-type'],
          batchIds: [201, 202, 203],
          recipeIds: [301, 302, 303],
          errorCategories: ['SYSTEM'],
          errorIds: [11, 22, 33],
          isSuperseded: true,
        },
      },
    ],
    [
      'several statuses',
      { status: ['FAILED', 'CANCELED'] },
      { ok: true, filter: { statuses: ['FAILED', 'CANCELED'] } },
    ],
    [
      'durations are resolved against now',
      { started: 'PT3H', ended: 'PT1H' },
      { ok: true, filter: { started: '2026-01-10T09:00:00.000Z', ended: '2026-01-10T11:00:00.000Z' } },
    ],
    ['an empty list stays an empty list (matches nothing)', { job_ids: [] }, { ok: true, filter: { jobIds: [] } }],
    ['is_superseded false is kept', { is_superseded: false }, { ok: true, filter: { isSuperseded: false } }],
    [
      'a reversed range',
      { started: '2016-01-02T00:00:00Z', ended: '2016-01-01T00:00:00Z' },
      { ok: false, errors: [{ field: 'ended', message: 'Must come after started.' }] },
    ],
    [
      'unreadable times, both reported',
      { started: 'yesterday', ended: 'soon' },
      {
        ok: false,
        errors: [
          { field: 'started', message: 'Must be an ISO-8601 date-time or duration.' },
          { field: 'ended', message: 'Must be an ISO-8601 date-time or duration.' },
        ],
      },
    ],
  ];
  for (const [name, body, expected] of cases) {
    it(`job filter body - ${name}`, () => {
      expect(jobFilterFromBody(body, now)).toEqual(expected);
    });
  }
});
