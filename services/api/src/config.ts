import { parseConfig } from '@scale/runtime';
import { z } from 'zod';

export const ConfigSchema = z
  .object({
    /** @default 8000 */
    SCALE_API_PORT: z.coerce.number().int().min(0).max(65_535).default(8000),
    /** @default 127.0.0.1 */
    SCALE_API_HOST: z.string().min(1).default('127.0.0.1'),
    SCALE_DATABASE_URL: z.string({ error: 'is required' }).min(1, 'is required'),
    SCALE_NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
    /** Prefix of every NATS subject and stream; tests use a unique one. @default scale */
    SCALE_SUBJECT_PREFIX: z.string().min(1).default('scale'),
    SCALE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .transform((env) => ({
    http: { port: env.SCALE_API_PORT, host: env.SCALE_API_HOST },
    db: { url: env.SCALE_DATABASE_URL },
    nats: { url: env.SCALE_NATS_URL, subjectPrefix: env.SCALE_SUBJECT_PREFIX },
    logLevel: env.SCALE_LOG_LEVEL,
  }));
export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: Record<string, string | undefined>): Config {
  return parseConfig(ConfigSchema, env);
}
