import { describe, expect, it } from '@jest/globals';
import type { FieldError } from '@scale/contracts';
import { type TimeRangeRule, timeRangeErrors } from './time-range.ts';

const d = (iso: string) => new Date(iso);
const DAY = 86_400_000;
const now = d('2026-02-01T00:00:00Z');

describe('time range', () => {
  const cases: [string, Date | undefined, Date | undefined, TimeRangeRule, FieldError[]][] = [
    ['both open', undefined, undefined, {}, []],
    ['only a start', d('2026-01-01T00:00:00Z'), undefined, {}, []],
    ['a proper range', d('2026-01-01T00:00:00Z'), d('2026-01-02T00:00:00Z'), {}, []],
    [
      'equal ends',
      d('2026-01-01T00:00:00Z'),
      d('2026-01-01T00:00:00Z'),
      {},
      [{ field: 'ended', message: 'Must differ from started.' }],
    ],
    [
      'reversed',
      d('2026-01-02T00:00:00Z'),
      d('2026-01-01T00:00:00Z'),
      {},
      [{ field: 'ended', message: 'Must come after started.' }],
    ],
    ['exactly at the cap', d('2026-01-01T00:00:00Z'), d('2026-02-01T00:00:00Z'), { maxMs: 31 * DAY }, []],
    [
      'over the cap',
      d('2025-12-31T00:00:00Z'),
      d('2026-02-01T00:00:00Z'),
      { maxMs: 31 * DAY },
      [{ field: 'started', message: 'The time range must be at most 31 days.' }],
    ],
    [
      'an open end counts up to now',
      d('2025-12-01T00:00:00Z'),
      undefined,
      { maxMs: 31 * DAY, now },
      [{ field: 'started', message: 'The time range must be at most 31 days.' }],
    ],
    ['an open end within the cap', d('2026-01-25T00:00:00Z'), undefined, { maxMs: 31 * DAY, now }, []],
  ];
  for (const [name, started, ended, rule, expected] of cases) {
    it(`time range - ${name}`, () => {
      expect(timeRangeErrors(started, ended, rule)).toEqual(expected);
    });
  }
});
