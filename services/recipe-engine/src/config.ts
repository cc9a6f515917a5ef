import { parseConfig } from '@scale/runtime';
import { z } from 'zod';

export const ConfigSchema = z
  .object({
    SCALE_NATS_URL: z.string().default('nats://127.0.0.1:4222'),
    SCALE_SUBJECT_PREFIX: z.string().default('scale'),
    SCALE_LOG_LEVEL: z.string().default('info'),
  })
  .transform((env) => ({
    natsUrl: env.SCALE_NATS_URL,
    subjectPrefix: env.SCALE_SUBJECT_PREFIX,
    logLevel: env.SCALE_LOG_LEVEL,
  }));
export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: Record<string, string | undefined>): Config {
  return parseConfig(ConfigSchema, env);
}
