/**
 * The whole platform as real processes (migrations, scheduler, recipe engine, node agent, API) on real Postgres,
 * NATS with JetStream and Docker: register job types, queue jobs through v5 and v6, run them in containers,
 * read their logs, and check how a failure is classified.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  freePort,
  TEST_NATS_URL,
  type TestDatabase,
  testSubjects,
} from '@scale/testkit';
import { type Platform, startPlatform } from '../../scripts/platform.ts';

const subjects = testSubjects('e2e');
const agentId = `e2e-${subjects.prefix}`;

function manifest(name: string, command: string, extra: Record<string, unknown> = {}) {
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
          { name: 'cpus', value: 0.5 },
          { name: 'mem', value: 64 },
        ],
      },
      interface: { command, ...extra },
      errors: [{ code: 4, name: 'bad-input', title: 'Bad input', category: 'data' }],
    },
  };
}

describe('job lifecycle end to end', () => {
  let db: TestDatabase;
  let platform: Platform;
  let workDir: string;
  const output: string[] = [];

  async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${platform.apiUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: the test walks response bodies of many shapes.
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  async function waitForJob(id: number, statuses: string[], timeoutMs = 90_000) {
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

  async function registerJobType(body: unknown): Promise<number> {
    const created = await api('POST', '/v6/job-types/', body);
    expect(created.status).toBe(201);
    return created.json.id;
  }

  beforeAll(async () => {
    db = await createTestDatabase('e2e');
    workDir = mkdtempSync(join(tmpdir(), 'scale-e2e-'));
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

  it('e2e - runs a job queued through v6 in a container, with its output and logs', async () => {
    const jobTypeId = await registerJobType({
      docker_image: 'local/busybox:latest',
      manifest: manifest(
        'e2e-echo',
        `sh -c "echo hello \${GREETING}; echo oops >&2; printf '{\\"count\\": 3}' > \${OUTPUT_DIR}/seed.outputs.json"`,
        {
          inputs: { json: [{ name: 'GREETING', type: 'string' }] },
          outputs: { json: [{ name: 'count', type: 'integer' }] },
        },
      ),
    });
    const queued = await api('POST', '/v6/jobs/', {
      job_type_id: jobTypeId,
      input: { files: {}, json: { GREETING: 'world' } },
    });
    expect(queued.status).toBe(201);
    expect(queued.headers.get('location')).toMatch(new RegExp(`/v6/jobs/${queued.json.id}/$`));

    const job = await waitForJob(queued.json.id, ['COMPLETED', 'FAILED']);
    expect(job).toMatchObject({ status: 'COMPLETED', num_exes: 1, error: null, output: { json: { count: 3 } } });
    expect(job.execution).toMatchObject({ status: 'COMPLETED', exe_num: 1 });

    const combined = await api('GET', `/v6/job-executions/${job.execution.id}/logs/combined/`);
    expect(combined.status).toBe(200);
    expect(combined.text).toContain('hello world');
    expect(combined.text).toContain('oops');
    const stdout = await api('GET', `/v6/job-executions/${job.execution.id}/logs/stdout/`);
    expect(stdout.text).toContain('hello world');
    expect(stdout.text).not.toContain('oops');
  });

  it('e2e - runs a job queued through the v5 queue endpoint', async () => {
    const jobTypeId = await registerJobType({
      docker_image: 'local/busybox:latest',
      manifest: manifest('e2e-v5', 'sh -c "echo v5 says ${WORD}"', {
        inputs: { json: [{ name: 'WORD', type: 'string' }] },
      }),
    });
    const queued = await api('POST', '/queue/new-job/', {
      job_type_id: jobTypeId,
      job_data: { version: '1.0', input_data: [{ name: 'WORD', value: 'hi' }] },
    });
    expect(queued.status).toBe(201);
    expect(queued.headers.get('location')).toBeTruthy();
    const job = await waitForJob(queued.json.id, ['COMPLETED', 'FAILED']);
    expect(job.status).toBe('COMPLETED');
    const logs = await api('GET', `/v6/job-executions/${job.execution.id}/logs/stdout/`);
    expect(logs.text).toContain('v5 says hi');
  });

  it('e2e - classifies a failing job by the exit code its manifest maps', async () => {
    const jobTypeId = await registerJobType({
      docker_image: 'local/busybox:latest',
      manifest: manifest('e2e-fail', 'sh -c "echo cannot read input >&2; exit 4"'),
    });
    const unmappedTypeId = await registerJobType({
      docker_image: 'local/busybox:latest',
      manifest: manifest('e2e-crash', 'sh -c "exit 7"'),
    });
    const mapped = await api('POST', '/v6/jobs/', { job_type_id: jobTypeId, input: { files: {}, json: {} } });
    const unmapped = await api('POST', '/v6/jobs/', { job_type_id: unmappedTypeId, input: { files: {}, json: {} } });
    const failed = await waitForJob(mapped.json.id, ['COMPLETED', 'FAILED']);
    expect(failed).toMatchObject({ status: 'FAILED', error: { name: 'bad-input', category: 'DATA' } });
    const crashed = await waitForJob(unmapped.json.id, ['COMPLETED', 'FAILED']);
    expect(crashed).toMatchObject({ status: 'FAILED', error: { name: 'algorithm-unknown', category: 'ALGORITHM' } });
  });
});
