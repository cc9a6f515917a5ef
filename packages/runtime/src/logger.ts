import { type Logger, pino } from 'pino';

export type { Logger };

export interface LoggerOptions {
  service: string;
  level?: string;
  version?: string;
}

/** JSON logs to stdout; secrets are redacted wherever they appear under these keys. */
export function createLogger({ service, level = 'info', version = '0.1.0' }: LoggerOptions): Logger {
  return pino({
    level,
    base: { service, version },
    redact: ['*.password', '*.token', '*.secret', '*.settings', 'req.headers.authorization'],
  });
}
