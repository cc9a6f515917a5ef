import { describe, expect, it } from '@jest/globals';
import { compareVersions, latestVersion } from './semver.ts';

describe('semver', () => {
  it.each([
    ['1.0.0', '2.0.0', -1],
    ['1.10.0', '1.9.0', 1],
    ['1.0.10', '1.0.9', 1],
    ['1.0.0', '1.0.0', 0],
    ['1.0.0-alpha', '1.0.0', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-beta.2', '1.0.0-beta.11', -1],
    ['1.0.0-rc.1', '1.0.0-beta.11', 1],
    ['1.0.0+build.5', '1.0.0+build.1', 0],
    ['not-semver', '0.0.1', -1],
    ['1.0', '1.1', -1],
  ])('compareVersions - %s vs %s → %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
    expect(compareVersions(b, a)).toBe(-expected || 0);
  });

  it('latestVersion - the highest by precedence, null for none', () => {
    expect(latestVersion(['1.2.0', '1.10.0', '1.10.0-rc.1', '1.9.9'])).toBe('1.10.0');
    expect(latestVersion([])).toBeNull();
  });
});
