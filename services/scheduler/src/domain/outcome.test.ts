import { describe, expect, it } from '@jest/globals';
import { SeedManifest } from '@scale/contracts';
import { errorForFailure, shouldRetry } from './outcome.ts';

const manifest = SeedManifest.parse({
  seedVersion: '1.0.0',
  job: {
    name: 'my-job',
    jobVersion: '1.0.0',
    packageVersion: '1.0.0',
    timeout: 10,
    errors: [
      { code: 2, name: 'bad-data', category: 'data' },
      { code: 3, name: 'bad-algo' },
    ],
  },
});

describe('errorForFailure', () => {
  it.each([
    [
      { type: 'EXIT_CODE', exitCode: 2 },
      { name: 'bad-data', jobTypeName: 'my-job' },
    ],
    [
      { type: 'EXIT_CODE', exitCode: 3 },
      { name: 'bad-algo', jobTypeName: 'my-job' },
    ],
    [
      { type: 'EXIT_CODE', exitCode: 99 },
      { name: 'algorithm-unknown', jobTypeName: null },
    ],
    [{ type: 'TIMEOUT' }, { name: 'timeout', jobTypeName: null }],
    [
      { type: 'IMAGE_MISSING', message: 'x' },
      { name: 'pull', jobTypeName: null },
    ],
    [
      { type: 'LAUNCH', message: 'x' },
      { name: 'docker-task-launch', jobTypeName: null },
    ],
    [
      { type: 'OUTPUT', error: 'missing-required-output', message: 'x' },
      { name: 'missing-required-output', jobTypeName: null },
    ],
  ] as const)('errorForFailure - %j', (failure, expected) => {
    expect(errorForFailure(failure, manifest)).toEqual(expected);
  });
});

describe('shouldRetry', () => {
  it.each([
    [{ shouldBeRetried: true, numExes: 1, maxTries: 3, isLongRunning: false }, true],
    [{ shouldBeRetried: true, numExes: 3, maxTries: 3, isLongRunning: false }, false],
    [{ shouldBeRetried: false, numExes: 1, maxTries: 3, isLongRunning: false }, false],
    [{ shouldBeRetried: false, numExes: 9, maxTries: 3, isLongRunning: true }, true],
  ])('shouldRetry - %j → %s', (input, expected) => {
    expect(shouldRetry(input)).toBe(expected);
  });
});
