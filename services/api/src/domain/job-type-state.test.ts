import { describe, expect, it } from '@jest/globals';
import { type JobTypeState, nextState } from './job-type-state.ts';

const earlier = new Date('2026-01-01T00:00:00Z');
const now = new Date('2026-02-01T00:00:00Z');
const active: JobTypeState = { isActive: true, deprecated: null, isPaused: false, paused: null };
const pausedAndDeprecated: JobTypeState = { isActive: false, deprecated: earlier, isPaused: true, paused: earlier };

describe('job type state', () => {
  it.each<[string, JobTypeState, Parameters<typeof nextState>[1], JobTypeState]>([
    ['pausing stamps paused', active, { isPaused: true }, { ...active, isPaused: true, paused: now }],
    ['deactivating stamps deprecated', active, { isActive: false }, { ...active, isActive: false, deprecated: now }],
    [
      'unpausing and reactivating clear both',
      pausedAndDeprecated,
      { isPaused: false, isActive: true },
      { isActive: true, deprecated: null, isPaused: false, paused: null },
    ],
    [
      'repeating the current flags keeps the timestamps',
      pausedAndDeprecated,
      { isPaused: true, isActive: false },
      pausedAndDeprecated,
    ],
    ['no flags change nothing', active, {}, active],
  ])('nextState - %s', (_what, current, change, expected) => {
    expect(nextState(current, change, now)).toEqual(expected);
  });
});
