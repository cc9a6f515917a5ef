import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './config.ts';

describe('config', () => {
  it('config - the database URL is the only required variable', () => {
    expect(loadConfig({ SCALE_DATABASE_URL: 'postgres://u:p@h/db' })).toEqual({
      http: { port: 8000, host: '127.0.0.1' },
      db: { url: 'postgres://u:p@h/db' },
      nats: { url: 'nats://127.0.0.1:4222', subjectPrefix: 'scale' },
      logLevel: 'info',
    });
  });

  it('config - every problem is listed by variable name', () => {
    expect(() => loadConfig({ SCALE_API_PORT: 'eighty', SCALE_LOG_LEVEL: 'loud' })).toThrow(
      /SCALE_API_PORT: .*\n.*SCALE_DATABASE_URL: is required\n.*SCALE_LOG_LEVEL: /,
    );
  });

  it('config - values are parsed', () => {
    const config = loadConfig({
      SCALE_DATABASE_URL: 'postgres://x',
      SCALE_API_PORT: '9000',
      SCALE_API_HOST: '0.0.0.0',
      SCALE_SUBJECT_PREFIX: 'test1',
      SCALE_LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({ http: { port: 9000, host: '0.0.0.0' }, nats: { subjectPrefix: 'test1' } });
  });
});
