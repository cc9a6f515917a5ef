/** The agent's configuration: parsed once from the environment in main.ts and passed down. */
import { statfsSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import type { Resources } from '@scale/contracts';
import { parseConfig } from '@scale/runtime';
import { z } from 'zod';

/** Facts about the host that the defaults derive from; tests pass fixed ones. */
export interface HostFacts {
  hostname: string;
  cpus: number;
  totalMemBytes: number;
  /** Free space of the filesystem holding `dir` in MiB, or undefined when it cannot be measured. */
  freeDiskMiB(dir: string): number | undefined;
}

/** Used when the work dir's filesystem cannot be measured. */
export const FALLBACK_DISK_MIB = 50_000;

/** Unset and empty variables both mean "use the default". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const positive = z.coerce.number().positive();
const nonNegative = z.coerce.number().nonnegative();

export const ConfigSchema = z.object({
  SCALE_NATS_URL: optional(z.string().min(1)),
  SCALE_SUBJECT_PREFIX: optional(z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be NATS tokens')),
  SCALE_AGENT_ID: optional(z.string().regex(/^[A-Za-z0-9_-]+$/, 'must hold only letters, digits, _ and -')),
  SCALE_AGENT_CPUS: optional(positive),
  SCALE_AGENT_MEM_MIB: optional(positive),
  SCALE_AGENT_DISK_MIB: optional(nonNegative),
  SCALE_AGENT_GPUS: optional(z.coerce.number().int().nonnegative()),
  SCALE_AGENT_WORK_DIR: optional(z.string().startsWith('/', 'must be an absolute path')),
  SCALE_HEARTBEAT_MS: optional(z.coerce.number().int().min(100)),
  SCALE_KILL_GRACE_SECONDS: optional(z.coerce.number().int().nonnegative()),
  SCALE_AGENT_COMMAND_CONCURRENCY: optional(z.coerce.number().int().min(1).max(64)),
  DOCKER_SOCKET: optional(z.string().min(1)),
  SCALE_LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
});

export interface Config {
  nats: { url: string; subjectPrefix: string };
  agent: {
    id: string;
    hostname: string;
    /** What the host offers to jobs: cpus in cores, mem/disk in MiB. */
    resources: Resources;
    /** Per-execution folders live here; it must be the same path for the agent and the Docker daemon. */
    workDir: string;
    heartbeatMs: number;
    /** Seconds between SIGTERM and SIGKILL when a KillExecution stops a container. */
    killGraceSeconds: number;
    /** Node commands (launches, kills) handled at once. */
    commandConcurrency: number;
  };
  docker: { socketPath: string };
  log: { level: string };
}

/** Agent ids are NATS subject tokens. */
export function agentIdFromHostname(hostname: string): string {
  return hostname.replace(/[^A-Za-z0-9_-]/g, '-') || 'agent';
}

export function loadConfig(env: Record<string, string | undefined>, host: HostFacts = probeHost()): Config {
  const e = parseConfig(ConfigSchema, env);
  const workDir = e.SCALE_AGENT_WORK_DIR ?? '/var/lib/scale-agent';
  return Object.freeze({
    nats: { url: e.SCALE_NATS_URL ?? 'nats://127.0.0.1:4222', subjectPrefix: e.SCALE_SUBJECT_PREFIX ?? 'scale' },
    agent: {
      id: e.SCALE_AGENT_ID ?? agentIdFromHostname(host.hostname),
      hostname: host.hostname,
      resources: {
        cpus: e.SCALE_AGENT_CPUS ?? host.cpus,
        // Leave a tenth of the memory to the OS, Docker and the agent itself.
        mem: e.SCALE_AGENT_MEM_MIB ?? Math.floor((host.totalMemBytes * 0.9) / 1024 ** 2),
        disk: e.SCALE_AGENT_DISK_MIB ?? host.freeDiskMiB(workDir) ?? FALLBACK_DISK_MIB,
        gpus: e.SCALE_AGENT_GPUS ?? 0,
      },
      workDir,
      heartbeatMs: e.SCALE_HEARTBEAT_MS ?? 5000,
      killGraceSeconds: e.SCALE_KILL_GRACE_SECONDS ?? 10,
      commandConcurrency: e.SCALE_AGENT_COMMAND_CONCURRENCY ?? 4,
    },
    docker: { socketPath: e.DOCKER_SOCKET ?? '/var/run/docker.sock' },
    log: { level: e.SCALE_LOG_LEVEL ?? 'info' },
  });
}

/** The real host. The work dir may not exist yet, so the nearest existing parent is measured. */
export function probeHost(): HostFacts {
  return {
    hostname: os.hostname(),
    cpus: os.availableParallelism(),
    totalMemBytes: os.totalmem(),
    freeDiskMiB(dir) {
      for (let current = dir; ; current = dirname(current)) {
        try {
          const stats = statfsSync(current);
          return Math.floor((stats.bavail * stats.bsize) / 1024 ** 2);
        } catch {
          if (current === dirname(current)) return undefined;
        }
      }
    },
  };
}
