/**
 * The harness every end-to-end suite shares: the whole platform as real processes (scripts/platform.ts) on a fresh
 * database, its own subject prefix, a free API port and a temporary agent work directory, plus the HTTP and polling
 * helpers the tests drive it with. It lives here once so that a change to how the platform starts, is cleaned up or
 * is diagnosed (the service output in a timeout's message) reaches every suite alike.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import {
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  freePort,
  TEST_NATS_URL,
  type TestDatabase,
  testSubjects,
} from '@scale/testkit';
import { type Platform, startPlatform } from '../../../scripts/platform.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests walk response bodies of many shapes.
export type Json = any;

/** How many of the last service output lines a timeout shows: usually enough to see why a job never got there. */
const OUTPUT_TAIL = 60;

export interface E2eOptions {
  /** Names the subject prefix (testSubjects) and, unless `database` says otherwise, the test database. */
  label: string;
  database?: string;
  /** The node agent's id; the default is `e2e-<prefix>`. Leftover containers are found by its label. */
  agentId?: (prefix: string) => string;
  /** Prefix of the temporary directory under the OS temp dir; removed by stop(). */
  tmpPrefix: string;
  /** A sub-directory of the temporary directory to give the agent, when the rest of it holds test data. */
  agentSubdir?: string;
  /** Runs on the temporary directory before the platform starts (files the tests need in place). */
  prepare?: (dir: string) => void;
  /** The services' environment; every suite states its own in full so its timings stay visible in the test. */
  env: Record<string, string>;
  /** A private nats-server's URL; then the streams die with that server and are not deleted here. */
  natsUrl?: string;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: Json;
}

export interface E2ePlatform {
  platform: Platform;
  db: TestDatabase;
  subjects: ReturnType<typeof testSubjects>;
  agentId: string;
  dir: string;
  /** Every line the services printed, as `[service] line`. */
  output: string[];
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  until<T>(
    probe: () => Promise<T | undefined | null | false>,
    what: string,
    options?: { timeoutMs?: number; intervalMs?: number },
  ): Promise<T>;
  waitForJob(id: number, statuses: string[], timeoutMs?: number): Promise<Json>;
  registerJobType(manifest: unknown, extra?: Record<string, unknown>): Promise<number>;
  queueJob(jobTypeId: number): Promise<number>;
  /** Stops the processes and removes everything the harness made; safe after a failed start. */
  stop(): Promise<void>;
}

/** The ids of the containers labelled with `label` (e.g. `scale.agent_id=...`), running or not unless `running`. */
export function containers(labels: string[], running = false): string[] {
  const filters = labels.flatMap((label) => ['--filter', `label=${label}`]);
  return execFileSync('docker', ['ps', running ? '-q' : '-aq', ...filters])
    .toString()
    .split('\n')
    .filter(Boolean);
}

export async function startE2ePlatform(options: E2eOptions): Promise<E2ePlatform> {
  const subjects = testSubjects(options.label);
  const agentId = options.agentId?.(subjects.prefix) ?? `e2e-${subjects.prefix}`;
  const natsUrl = options.natsUrl ?? TEST_NATS_URL;
  const output: string[] = [];
  let platform: Platform | undefined;
  let db: TestDatabase | undefined;
  let dir: string | undefined;

  async function stop(): Promise<void> {
    await platform?.stop();
    // Containers a killed agent left behind (none when every agent stopped cleanly).
    const ids = containers([`scale.agent_id=${agentId}`]);
    if (ids.length) execFileSync('docker', ['rm', '-f', ...ids]);
    if (!options.natsUrl) {
      const nc = await connectTestNats();
      await deleteTestStreams(nc, subjects);
      await nc.close();
    }
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }

  try {
    db = await createTestDatabase(options.database ?? options.label);
    dir = mkdtempSync(join(tmpdir(), options.tmpPrefix));
    options.prepare?.(dir);
    const agentWorkDir = options.agentSubdir ? join(dir, options.agentSubdir) : dir;
    mkdirSync(agentWorkDir, { recursive: true });
    platform = await startPlatform({
      databaseUrl: db.url,
      natsUrl,
      apiPort: await freePort(),
      subjectPrefix: subjects.prefix,
      agentId,
      agentWorkDir,
      env: options.env,
      output: (service, line) => output.push(`[${service}] ${line}`),
    });
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const started = platform;

  /** One request; JSON in when there is a body, the answer's text and (when it parses) JSON out. */
  async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${started.apiUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: Json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** Polls `probe` until it answers something truthy; a timeout shows the services' last output lines. */
  async function until<T>(
    probe: () => Promise<T | undefined | null | false>,
    what: string,
    { timeoutMs = 60_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}\n${output.slice(-OUTPUT_TAIL).join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  /** Polls a job through v6 until its status is one of `statuses`; returns the job. */
  async function waitForJob(id: number, statuses: string[], timeoutMs = 90_000): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { json } = await api('GET', `/v6/jobs/${id}/`);
      if (statuses.includes(json?.status)) return json;
      if (Date.now() > deadline) {
        throw new Error(
          `job ${id} is ${json?.status}, not ${statuses.join('/')}\n${output.slice(-OUTPUT_TAIL).join('\n')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Registers a job type running `manifest` in local/busybox (the image every e2e job uses); returns its id. */
  async function registerJobType(manifest: unknown, extra: Record<string, unknown> = {}): Promise<number> {
    const created = await api('POST', '/v6/job-types/', { docker_image: 'local/busybox:latest', manifest, ...extra });
    expect(created.status).toBe(201);
    return created.json.id;
  }

  /** Queues one job without inputs through v6; returns its id. */
  async function queueJob(jobTypeId: number): Promise<number> {
    const queued = await api('POST', '/v6/jobs/', { job_type_id: jobTypeId, input: { files: {}, json: {} } });
    expect(queued.status).toBe(201);
    return queued.json.id;
  }

  return {
    platform: started,
    db,
    subjects,
    agentId,
    dir,
    output,
    api,
    until,
    waitForJob,
    registerJobType,
    queueJob,
    stop,
  };
}
