/**
 * Job type pause and archive through the API, against the real scheduler and node agent: a paused type's queued
 * jobs stay queued while other types run, and run once it is unpaused (here through the v5 PATCH); an archived type
 * accepts no new jobs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  TEST_NATS_URL,
  type TestDatabase,
  testSubjects,
} from '@scale/testkit';
import { type Platform, startPlatform } from '../../scripts/platform.ts';

const subjects = testSubjects('e2epause');
const agentId = `e2e-pause-${subjects.prefix}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function manifest(name: string) {
  return {
    seedVersion: '1.0.0',
    job: {
      name,
      jobVersion: '1.0.0',
      packageVersion: '1.0.0',
      title: `E2E ${name}`,
      timeout: 60,
      resources: {
        scalar: [
          { name: 'cpus', value: 0.25 },
          { name: 'mem', value: 32 },
        ],
      },
      interface: { command: `sh -c "echo ${name} ran"` },
    },
  };
}

describe('job type pause end to end', () => {
  let db: TestDatabase;
  let platform: Platform;
  let workDir: string;
  const output: string[] = [];

  async function api(method: string, path: string, body?: unknown) {
    const response = await fetch(`${platform.apiUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: the test walks response bodies of many shapes.
    const json: any = text ? JSON.parse(text) : undefined;
    return { status: response.status, json };
  }

  async function waitForJob(id: number, statuses: string[], timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { json } = await api('GET', `/v6/jobs/${id}/`);
      if (statuses.includes(json?.status)) return json;
      if (Date.now() > deadline) {
        throw new Error(`job ${id} is ${json?.status}, not ${statuses.join('/')}\n${output.slice(-40).join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function register(name: string): Promise<number> {
    const created = await api('POST', '/v6/job-types/', {
      docker_image: 'local/busybox:latest',
      manifest: manifest(name),
    });
    expect(created.status).toBe(201);
    return created.json.id;
  }

  const queue = async (jobTypeId: number) => api('POST', '/v6/jobs/', { job_type_id: jobTypeId, input: {} });

  beforeAll(async () => {
    db = await createTestDatabase('e2epause');
    workDir = mkdtempSync(join(tmpdir(), 'scale-e2e-pause-'));
    platform = await startPlatform({
      databaseUrl: db.url,
      natsUrl: TEST_NATS_URL,
      apiPort: await freePort(),
      subjectPrefix: subjects.prefix,
      agentId,
      agentWorkDir: workDir,
      env: { SCALE_LOG_LEVEL: 'warn', SCALE_HEARTBEAT_MS: '1000', SCALE_SCHEDULE_INTERVAL_MS: '250' },
      output: (service, line) => output.push(`[${service}] ${line}`),
    });
  });

  afterAll(async () => {
    await platform?.stop();
    const nc = await connectTestNats();
    await deleteTestStreams(nc, subjects);
    await nc.close();
    await db?.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('e2e - a paused job type keeps its jobs queued until it is unpaused', async () => {
    const pausedTypeId = await register('e2e-paused');
    const otherTypeId = await register('e2e-running');
    const paused = await api('PATCH', '/v6/job-types/e2e-paused/1.0.0/', { is_paused: true });
    expect(paused).toMatchObject({ status: 200, json: { is_valid: true, errors: [] } });

    const waiting = await queue(pausedTypeId);
    expect(waiting.status).toBe(201);
    // Another type's job runs to the end meanwhile: the scheduler made passes and skipped the paused type.
    const other = await queue(otherTypeId);
    expect((await waitForJob(other.json.id, ['COMPLETED', 'FAILED'])).status).toBe('COMPLETED');
    await new Promise((r) => setTimeout(r, 1000));
    expect((await api('GET', `/v6/jobs/${waiting.json.id}/`)).json.status).toBe('QUEUED');
    const status = (await api('GET', '/v6/job-types/status/')).json;
    const counts = status.results.find((r: { job_type: { id: number } }) => r.job_type.id === pausedTypeId);
    expect(counts.job_type.is_paused).toBe(true);
    expect(counts.job_counts).toEqual([expect.objectContaining({ status: 'QUEUED', count: 1 })]);

    const resumed = await api('PATCH', `/job-types/${pausedTypeId}/`, { is_paused: false });
    expect(resumed.status).toBe(201);
    expect(resumed.json).toMatchObject({ is_paused: false, paused: null });
    expect((await waitForJob(waiting.json.id, ['COMPLETED', 'FAILED'])).status).toBe('COMPLETED');
  });

  it('e2e - an archived job type accepts no new jobs', async () => {
    const typeId = await register('e2e-archived');
    expect((await api('PATCH', '/v6/job-types/e2e-archived/1.0.0/', { is_active: false })).status).toBe(200);
    const refused = await queue(typeId);
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toEqual({ job_type_id: [`job type ${typeId} is not active`] });
  });
});
