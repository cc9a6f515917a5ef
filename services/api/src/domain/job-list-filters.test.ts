import { describe, expect, it } from '@jest/globals';
import type { SeedManifest } from '@scale/contracts';
import { jobTypeCategory, timeRangeError } from './job-list-filters.ts';

describe('job list filters', () => {
  const at = (iso: string) => new Date(iso);
  const ranges: [string, Date | undefined, Date | undefined, boolean][] = [
    ['no bounds', undefined, undefined, true],
    ['only started', at('2026-01-01T00:00:00Z'), undefined, true],
    ['only ended', undefined, at('2026-01-01T00:00:00Z'), true],
    ['started before ended', at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'), true],
    ['an instant (both ends inclusive)', at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'), true],
    ['started after ended', at('2026-01-02T00:00:00Z'), at('2026-01-01T00:00:00Z'), false],
  ];
  for (const [name, started, ended, ok] of ranges) {
    it(`job list filters - time range with ${name} is ${ok ? 'accepted' : 'refused'}`, () => {
      expect(timeRangeError(started, ended)).toBe(ok ? null : 'Must not be before started.');
    });
  }

  const manifest = (tags?: string[]) => ({ job: { tags } }) as unknown as Pick<SeedManifest, 'job'>;
  const categories: [string, string[] | undefined, string | null][] = [
    ['the first tag', ['imagery', 'processing'], 'imagery'],
    ['no tags', [], null],
    ['tags left out', undefined, null],
  ];
  for (const [name, tags, category] of categories) {
    it(`job list filters - job type category is ${name}`, () => {
      expect(jobTypeCategory(manifest(tags))).toBe(category);
    });
  }
});
