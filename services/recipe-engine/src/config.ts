import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { parseConfig } from '@scale/runtime';
import { z } from 'zod';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const ConfigSchema = z
  .object({
    SCALE_DATABASE_URL: z.string({ error: 'is required' }).min(1, 'is required'),
    SCALE_NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
    SCALE_SUBJECT_PREFIX: z.string().min(1).default('scale'),
    SCALE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Names this replica in recipe leases; unique per process unless set. */
    SCALE_RECIPE_ENGINE_ID: z
      .string()
      .min(1)
      .max(100)
      .default(`${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`),
    /** How long a replica owns a recipe tree while advancing it; a crashed owner's trees are free after this. */
    SCALE_RECIPE_LEASE_MS: ms(15_000),
    /** How often the sweep looks for recipes to advance (lost events, crashed owners, failed commands). */
    SCALE_RECIPE_SWEEP_MS: ms(5_000),
    /** A recipe in progress not advanced for this long is advanced by the sweep. */
    SCALE_RECIPE_STALE_MS: ms(30_000),
    /** Recipe trees advanced at once by one replica. */
    SCALE_RECIPE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    /** How long to wait for the scheduler to answer a command. */
    SCALE_COMMAND_TIMEOUT_MS: ms(10_000),
    /**
     * Fault tests only (a failpoint): the engine kills itself with SIGKILL right after the scheduler answered its
     * Nth job creation request, before it records those jobs, the worst moment for a crash.
     */
    SCALE_RECIPE_CRASH_AFTER_CREATES: z.coerce.number().int().positive().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.SCALE_RECIPE_STALE_MS < env.SCALE_RECIPE_SWEEP_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['SCALE_RECIPE_STALE_MS'],
        message: 'must be at least SCALE_RECIPE_SWEEP_MS',
      });
    }
  })
  .transform((env) => ({
    db: { url: env.SCALE_DATABASE_URL },
    nats: { url: env.SCALE_NATS_URL, subjectPrefix: env.SCALE_SUBJECT_PREFIX },
    logLevel: env.SCALE_LOG_LEVEL,
    engineId: env.SCALE_RECIPE_ENGINE_ID,
    leaseMs: env.SCALE_RECIPE_LEASE_MS,
    sweepMs: env.SCALE_RECIPE_SWEEP_MS,
    staleMs: env.SCALE_RECIPE_STALE_MS,
    concurrency: env.SCALE_RECIPE_CONCURRENCY,
    commandTimeoutMs: env.SCALE_COMMAND_TIMEOUT_MS,
    crashAfterCreates: env.SCALE_RECIPE_CRASH_AFTER_CREATES,
  }));
export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: Record<string, string | undefined>): Config {
  return parseConfig(ConfigSchema, env);
}
