import { parseConfig } from '@scale/runtime';
import { z } from 'zod';

export const ConfigSchema = z
  .object({
    SCALE_DATABASE_URL: z.string({ error: 'is required' }).min(1, 'is required'),
    SCALE_NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
    SCALE_SUBJECT_PREFIX: z.string().min(1).default('scale'),
    /** Most lines written in one transaction. */
    SCALE_LOG_ARCHIVE_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
    /** Longest a line waits for its batch to fill before the batch is written anyway, ms. */
    SCALE_LOG_ARCHIVE_FLUSH_MS: z.coerce.number().int().min(1).max(60_000).default(100),
    SCALE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .transform((env) => ({
    databaseUrl: env.SCALE_DATABASE_URL,
    natsUrl: env.SCALE_NATS_URL,
    subjectPrefix: env.SCALE_SUBJECT_PREFIX,
    batchSize: env.SCALE_LOG_ARCHIVE_BATCH,
    flushMs: env.SCALE_LOG_ARCHIVE_FLUSH_MS,
    logLevel: env.SCALE_LOG_LEVEL,
  }));
export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: Record<string, string | undefined>): Config {
  return parseConfig(ConfigSchema, env);
}
