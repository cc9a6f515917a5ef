import { describe, expect, it } from '@jest/globals';
import { type JobCount, sortJobCounts, windowStart } from './job-counts.ts';

const at = new Date('2026-01-01T00:00:00Z');
const count = (status: JobCount['status'], category: JobCount['category'] = null): JobCount => ({
  status,
  category,
  count: 1,
  mostRecent: at,
});

describe('job counts', () => {
  it('sortJobCounts - lifecycle order of statuses, FAILED split by category', () => {
    const sorted = sortJobCounts([
      count('COMPLETED'),
      count('FAILED', 'DATA'),
      count('RUNNING'),
      count('FAILED', 'SYSTEM'),
      count('QUEUED'),
      count('CANCELED'),
      count('FAILED', 'ALGORITHM'),
    ]);
    expect(sorted.map((c) => `${c.status}${c.category ? `/${c.category}` : ''}`)).toEqual([
      'QUEUED',
      'RUNNING',
      'FAILED/SYSTEM',
      'FAILED/ALGORITHM',
      'FAILED/DATA',
      'COMPLETED',
      'CANCELED',
    ]);
  });

  it.each([
    [6, '2025-12-31T18:00:00.000Z'],
    [24, '2025-12-31T00:00:00.000Z'],
  ])('windowStart - %i hours before now', (hours, expected) => {
    expect(windowStart(at, hours).toISOString()).toBe(expected);
  });
});
