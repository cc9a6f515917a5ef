import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './config.ts';

describe('log archiver config', () => {
  it('config - defaults', () => {
    expect(loadConfig({ SCALE_DATABASE_URL: 'postgres://x/y' })).toEqual({
      databaseUrl: 'postgres://x/y',
      natsUrl: 'nats://127.0.0.1:4222',
      subjectPrefix: 'scale',
      batchSize: 500,
      flushMs: 100,
      logLevel: 'info',
    });
  });

  it('config - every problem at once', () => {
    expect(() => loadConfig({ SCALE_LOG_ARCHIVE_BATCH: '0', SCALE_LOG_ARCHIVE_FLUSH_MS: 'soon' })).toThrow(
      /SCALE_DATABASE_URL: is required[\s\S]*SCALE_LOG_ARCHIVE_BATCH[\s\S]*SCALE_LOG_ARCHIVE_FLUSH_MS/,
    );
  });
});
