import { describe, expect, it } from '@jest/globals';
import { mainFailure, remainingMs } from './outcome.ts';

describe('mainFailure', () => {
  it.each([
    [{ exitCode: 0, timedOut: false }, undefined],
    [
      { exitCode: 3, timedOut: false },
      { type: 'EXIT_CODE', exitCode: 3 },
    ],
    [{ exitCode: 137, timedOut: true }, { type: 'TIMEOUT' }],
    [{ exitCode: 0, timedOut: true }, { type: 'TIMEOUT' }],
    [
      { exitCode: 143, timedOut: true, killReason: 'canceled' },
      { type: 'KILLED', reason: 'canceled' },
    ],
    [
      { exitCode: 0, timedOut: false, killReason: 'canceled' },
      { type: 'KILLED', reason: 'canceled' },
    ],
  ])('mainFailure - %j', (exit, expected) => {
    expect(mainFailure(exit)).toEqual(expected);
  });
});

describe('remainingMs', () => {
  const start = new Date('2026-01-01T00:00:00Z');
  it.each([
    [0, 10_000],
    [4_000, 6_000],
    [10_000, 0],
    [60_000, 0],
  ])('remainingMs - %i ms after the start of a 10 s limit', (elapsed, expected) => {
    expect(remainingMs(start, 10, new Date(start.getTime() + elapsed))).toBe(expected);
  });
});
