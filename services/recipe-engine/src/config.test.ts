import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './config.ts';

describe('config', () => {
  it('config - the minimal env gives the defaults', () => {
    const config = loadConfig({ SCALE_DATABASE_URL: 'postgres://x/y' });
    expect(config).toMatchObject({
      db: { url: 'postgres://x/y' },
      nats: { url: 'nats://127.0.0.1:4222', subjectPrefix: 'scale' },
      leaseMs: 15_000,
      sweepMs: 5_000,
      staleMs: 30_000,
      concurrency: 16,
    });
    expect(config.engineId).toMatch(/\S+/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('config - every problem is listed, including the cross-field rule', () => {
    expect(() =>
      loadConfig({ SCALE_RECIPE_SWEEP_MS: '10000', SCALE_RECIPE_STALE_MS: '100', SCALE_RECIPE_CONCURRENCY: '0' }),
    ).toThrow(/SCALE_DATABASE_URL: is required[\s\S]*SCALE_RECIPE_CONCURRENCY/);
    expect(() =>
      loadConfig({
        SCALE_DATABASE_URL: 'postgres://x/y',
        SCALE_RECIPE_SWEEP_MS: '10000',
        SCALE_RECIPE_STALE_MS: '100',
      }),
    ).toThrow(/SCALE_RECIPE_STALE_MS: must be at least SCALE_RECIPE_SWEEP_MS/);
  });
});
