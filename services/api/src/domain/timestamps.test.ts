import { describe, expect, it } from '@jest/globals';
import { parseDuration, parseTimestamp } from './timestamps.ts';

const now = new Date('2026-01-10T12:00:00.000Z');

describe('timestamps', () => {
  it('timestamps - ISO durations in milliseconds', () => {
    expect(parseDuration('PT3H0M0S')).toBe(3 * 3600 * 1000);
    expect(parseDuration('P1DT30M')).toBe(86_400_000 + 1_800_000);
    expect(parseDuration('PT0.5S')).toBe(500);
    expect(parseDuration('P2W')).toBe(14 * 86_400_000);
    for (const bad of ['P', 'PT', '3H', 'PTxS', '']) expect(parseDuration(bad)).toBeNull();
  });

  it('timestamps - a duration means that long before now', () => {
    expect(parseTimestamp('PT1H', now)?.toISOString()).toBe('2026-01-10T11:00:00.000Z');
  });

  it('timestamps - date-times, UTC when no offset is given', () => {
    expect(parseTimestamp('2015-01-01T00:00:00Z', now)?.toISOString()).toBe('2015-01-01T00:00:00.000Z');
    expect(parseTimestamp('2015-01-01T02:00:00+02:00', now)?.toISOString()).toBe('2015-01-01T00:00:00.000Z');
    expect(parseTimestamp('2015-01-01T00:00:00.123', now)?.toISOString()).toBe('2015-01-01T00:00:00.123Z');
    expect(parseTimestamp('2015-01-01', now)?.toISOString()).toBe('2015-01-01T00:00:00.000Z');
    for (const bad of ['yesterday', '2015-13-45T00:00:00Z', '1420070400']) expect(parseTimestamp(bad, now)).toBeNull();
  });
});
