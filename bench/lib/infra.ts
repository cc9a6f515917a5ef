/**
 * What a benchmark stands on: its own migrated database (cloned from the test template), its own NATS subject
 * prefix and streams, and the platform's real service processes started as children. All of it is registered
 * with the bench's Cleanup, so it is removed even when the run fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Subjects } from '@scale/contracts';
import { connectNats, type NatsConnection } from '@scale/runtime';
import { createTestDatabase, deleteTestStreams, TEST_NATS_URL, testSubjects } from '@scale/testkit';
import pg from 'pg';
import type { Cleanup } from './cleanup.ts';
import { ROOT } from './result.ts';

export { TEST_NATS_URL as NATS_URL };

export interface BenchDatabase {
  url: string;
  name: string;
  pool: pg.Pool;
}

/** A fresh migrated database (dropped at cleanup) and a pg pool on it. */
export async function benchDatabase(cleanup: Cleanup, label: string, poolSize = 4): Promise<BenchDatabase> {
  const db = await createTestDatabase(`bench${label}`);
  cleanup.add(`drop database ${db.name}`, () => db.drop());
  const pool = new pg.Pool({ connectionString: db.url, max: poolSize });
  pool.on('error', () => undefined); // an idle client killed by the drop at cleanup is not a bench failure
  cleanup.add('close database pool', () => pool.end());
  return { url: db.url, name: db.name, pool };
}

export interface BenchNats {
  nc: NatsConnection;
  subjects: Subjects;
  url: string;
}

/** A NATS connection and a subject prefix of the bench's own; its streams are deleted at cleanup. */
export async function benchNats(cleanup: Cleanup, label: string): Promise<BenchNats> {
  const subjects = testSubjects(`b${label}`);
  const nc = await connectNats(TEST_NATS_URL, `bench-${label}`);
  cleanup.add('close NATS connection', () => nc.close());
  cleanup.add(`delete streams ${subjects.prefix}_*`, () => deleteTestStreams(nc, subjects));
  return { nc, subjects, url: TEST_NATS_URL };
}

/** One JSON log line of a service (pino): `msg`, `time` (epoch ms) and the fields. */
export type LogEntry = Record<string, unknown> & { msg?: string; time?: number; level?: number };

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** The first line that matched `ready` (for the address a service printed, say). */
  readyLine: string;
  /** The last lines of output, for error messages. */
  tail(): string;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  /** For messages; e.g. "scheduler". */
  name: string;
  /** Entry file relative to the repository root, e.g. services/scheduler/src/main.ts. */
  script: string;
  env: Record<string, string>;
  /** Extra node options before the script, e.g. ["--cpu-prof", "--cpu-prof-dir=…"]. */
  nodeArgs?: string[];
  /** True for the output line that says the service is up. */
  ready: (line: string, entry: LogEntry | undefined) => boolean;
  /** Every JSON log line, as it arrives. */
  onEntry?: (entry: LogEntry) => void;
  startTimeoutMs?: number;
}

/** Starts a service's main.ts as a child process and waits until it says it is ready. Stopped at cleanup. */
export async function startService(cleanup: Cleanup, options: ServiceOptions): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(ROOT, options.script)], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const tail = () => lines.slice(-30).join('\n');
  let resolveReady: (line: string) => void = () => undefined;
  const ready = new Promise<string>((resolve) => {
    resolveReady = resolve;
  });
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length > 200) lines.shift();
        let entry: LogEntry | undefined;
        if (line.startsWith('{')) {
          try {
            entry = JSON.parse(line) as LogEntry;
          } catch {
            entry = undefined;
          }
        }
        if (entry) options.onEntry?.(entry);
        if (options.ready(line, entry)) resolveReady(line);
      }
    });
  }
  const stop = cleanup.add(`stop ${options.name} (pid ${child.pid})`, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${options.name} exited with code ${code} before it was ready:\n${tail()}`);
  });
  const timeout = new Promise<never>((_, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.name} not ready within ${options.startTimeoutMs ?? 60_000} ms:\n${tail()}`)),
      options.startTimeoutMs ?? 60_000,
    );
    void ready.finally(() => clearTimeout(timer));
  });
  const readyLine = await Promise.race([ready, exited, timeout]);
  exited.catch(() => undefined);
  return { name: options.name, child, readyLine, tail, stop };
}

export interface SchedulerPass {
  /** When the pass was logged (epoch ms, the scheduler's clock). */
  at: number;
  launched: number;
  lostNodes: number;
  repaired: number;
  parked: number;
  /** The pass transaction's duration, if the scheduler logs it. */
  durationMs: number | undefined;
  /** Time to the pass's plan (reads and placement decisions, before its writes), if logged. */
  decisionMs: number | undefined;
}

export interface SchedulerProcess extends ServiceProcess {
  /** Every logged scheduling pass (the scheduler logs passes that did something). */
  passes: SchedulerPass[];
}

/** Starts the real scheduler (services/scheduler/src/main.ts) on the bench's database and subject prefix. */
export async function startScheduler(
  cleanup: Cleanup,
  options: {
    databaseUrl: string;
    natsUrl: string;
    subjects: Subjects;
    env?: Record<string, string>;
    nodeArgs?: string[];
  },
): Promise<SchedulerProcess> {
  const passes: SchedulerPass[] = [];
  const service = await startService(cleanup, {
    name: 'scheduler',
    script: 'services/scheduler/src/main.ts',
    ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
    env: {
      SCALE_DATABASE_URL: options.databaseUrl,
      SCALE_NATS_URL: options.natsUrl,
      SCALE_SUBJECT_PREFIX: options.subjects.prefix,
      SCALE_SCHEDULER_ID: `bench-${options.subjects.prefix}`,
      SCALE_LOG_LEVEL: 'info',
      ...options.env,
    },
    ready: (_, entry) => entry?.msg === 'scheduler started',
    onEntry: (entry) => {
      if (entry.msg !== 'scheduling pass') return;
      passes.push({
        at: Number(entry.time),
        launched: Number(entry.launched ?? 0),
        lostNodes: Number(entry.lostNodes ?? 0),
        repaired: Number(entry.repaired ?? 0),
        parked: Number(entry.parked ?? 0),
        durationMs: typeof entry.durationMs === 'number' ? entry.durationMs : undefined,
        decisionMs: typeof entry.decisionMs === 'number' ? entry.decisionMs : undefined,
      });
    },
  });
  return { ...service, passes };
}

/** Starts the real API on a free port; returns its base URL. */
export async function startApi(
  cleanup: Cleanup,
  options: { databaseUrl: string; natsUrl: string; subjects: Subjects; env?: Record<string, string> },
): Promise<ServiceProcess & { url: string }> {
  const service = await startService(cleanup, {
    name: 'api',
    script: 'services/api/src/main.ts',
    env: {
      SCALE_DATABASE_URL: options.databaseUrl,
      SCALE_NATS_URL: options.natsUrl,
      SCALE_SUBJECT_PREFIX: options.subjects.prefix,
      SCALE_API_PORT: '0',
      SCALE_LOG_LEVEL: 'warn',
      ...options.env,
    },
    ready: (line) => /listening on http:\/\/\S+/.test(line),
  });
  const url = /(http:\/\/[^\s)]+)/.exec(service.readyLine)![1]!;
  return { ...service, url };
}

/** CPU time (user + system) a process has used so far, in ms; undefined where /proc is not readable. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5), counted after the command name: utime, stime in clock ticks (100 Hz on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}
