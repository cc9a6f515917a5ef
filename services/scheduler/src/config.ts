import { hostname } from 'node:os';
import { parseConfig } from '@scale/runtime';
import { z } from 'zod';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const ConfigSchema = z
  .object({
    SCALE_DATABASE_URL: z.string().min(1, 'is required'),
    SCALE_NATS_URL: z.string().default('nats://127.0.0.1:4222'),
    SCALE_SUBJECT_PREFIX: z.string().default('scale'),
    SCALE_SCHEDULER_ID: z.string().default(`${hostname()}-${process.pid}`),
    /** How often the leader runs a scheduling pass when nothing wakes it earlier. */
    SCALE_SCHEDULE_INTERVAL_MS: ms(1000),
    SCALE_LEASE_MS: ms(10_000),
    /** Three missed beats of the agents' default 5 s heartbeat (keep it at least 3 × SCALE_HEARTBEAT_MS). */
    SCALE_NODE_LOST_MS: ms(15_000),
    /** An execution not started this long after launch fails with launch-timeout (Scale: 2 minutes staging). */
    SCALE_LAUNCH_TIMEOUT_MS: ms(120_000),
    /** Slack past a manifest timeout before the scheduler ends a run its agent did not end. */
    SCALE_TIMEOUT_GRACE_MS: ms(60_000),
    /** How often the leader samples job load for /load/. */
    SCALE_LOAD_SAMPLE_MS: ms(60_000),
    SCALE_QUEUE_WINDOW: z.coerce.number().int().positive().default(500),
    SCALE_MAX_LAUNCHES_PER_PASS: z.coerce.number().int().positive().default(50),
    SCALE_LOG_LEVEL: z.string().default('info'),
  })
  .transform((env) => ({
    databaseUrl: env.SCALE_DATABASE_URL,
    natsUrl: env.SCALE_NATS_URL,
    subjectPrefix: env.SCALE_SUBJECT_PREFIX,
    schedulerId: env.SCALE_SCHEDULER_ID,
    scheduleIntervalMs: env.SCALE_SCHEDULE_INTERVAL_MS,
    leaseMs: env.SCALE_LEASE_MS,
    nodeLostMs: env.SCALE_NODE_LOST_MS,
    launchTimeoutMs: env.SCALE_LAUNCH_TIMEOUT_MS,
    timeoutGraceMs: env.SCALE_TIMEOUT_GRACE_MS,
    loadSampleMs: env.SCALE_LOAD_SAMPLE_MS,
    queueWindow: env.SCALE_QUEUE_WINDOW,
    maxLaunchesPerPass: env.SCALE_MAX_LAUNCHES_PER_PASS,
    logLevel: env.SCALE_LOG_LEVEL,
  }));
export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: Record<string, string | undefined>): Config {
  return parseConfig(ConfigSchema, env);
}
