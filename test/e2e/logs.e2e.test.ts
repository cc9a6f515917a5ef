/**
 * Logs end to end, on the real processes (scheduler, log archiver, node agent, API) with a real container: a live
 * follow over SSE while the job runs, then the log outliving the container, an agent restart and the stream
 * itself (purged, as its age or byte limits would), served from the Postgres archive.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  connectSql,
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  freePort,
  TEST_NATS_URL,
  type TestDatabase,
  testSubjects,
} from '@scale/testkit';
import { type Platform, startPlatform } from '../../scripts/platform.ts';

const subjects = testSubjects('e2elogs');
const agentId = `e2e-${subjects.prefix}`;
const run = promisify(execFile);

interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Reads a follow until the server ends it; returns every event. */
async function follow(url: string, headers: Record<string, string> = {}): Promise<SseEvent[]> {
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers } });
  expect(response.status).toBe(200);
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body!) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (data === undefined) continue;
      const id = /^id: (.*)$/m.exec(frame)?.[1];
      events.push({ ...(id ? { id } : {}), event: /^event: (.*)$/m.exec(frame)?.[1] ?? 'message', data });
    }
  }
  return events;
}

const messages = (events: SseEvent[]) =>
  events.filter((e) => e.event === 'message').map((e) => (JSON.parse(e.data) as { message: string }).message);

describe('logs end to end', () => {
  let db: TestDatabase;
  let platform: Platform;
  let workDir: string;
  const output: string[] = [];

  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}\n${output.slice(-40).join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function api(path: string, init: RequestInit = {}) {
    return fetch(`${platform.apiUrl}${path}`, init);
  }

  beforeAll(async () => {
    db = await createTestDatabase('e2elogs');
    workDir = mkdtempSync(join(tmpdir(), 'scale-e2e-logs-'));
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

  it('e2e logs - followed live, then served after the container, the agent and the stream are gone', async () => {
    const created = await api('/v6/job-types/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        docker_image: 'local/busybox:latest',
        manifest: {
          seedVersion: '1.0.0',
          job: {
            name: 'e2e-logs',
            jobVersion: '1.0.0',
            packageVersion: '1.0.0',
            timeout: 60,
            resources: {
              scalar: [
                { name: 'cpus', value: 0.5 },
                { name: 'mem', value: 64 },
              ],
            },
            interface: {
              command: `sh -c 'usleep 500000; i=0; while [ $i -lt 20 ]; do i=$((i+1)); echo "line $i"; usleep 50000; done; echo bye >&2'`,
            },
          },
        },
      }),
    });
    expect(created.status).toBe(201);
    const jobTypeId = ((await created.json()) as { id: number }).id;
    const queued = await api('/v6/jobs/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ job_type_id: jobTypeId, input: { files: {}, json: {} } }),
    });
    const jobId = ((await queued.json()) as { id: number }).id;
    const exeId = await eventually(
      async () =>
        ((await (await api(`/v6/jobs/${jobId}/`)).json()) as { execution: { id: number } | null }).execution?.id,
      (id) => id !== undefined,
      'the execution',
    );
    const expected = [...Array.from({ length: 20 }, (_, i) => `line ${i + 1}`), 'bye'];

    // Live: the follow starts while the job runs and ends on its own once the execution has ended.
    const live = await follow(`${platform.apiUrl}/v6/job-executions/${exeId}/logs/combined/follow/`);
    expect(messages(live)).toEqual(expected);
    expect(live.filter((e) => e.event === 'message').map((e) => Number(e.id))).toEqual(
      Array.from({ length: 21 }, (_, i) => i + 1),
    );
    expect(live.at(-1)?.event).toBe('end');

    // The container is removed once the end is reported; the archiver has copied every line.
    await eventually(
      async () => (await run('docker', ['ps', '-aq', '--filter', `name=scale-exe-${exeId}$`])).stdout.trim(),
      (ids) => ids === '',
      'the container removed',
    );
    const sql = await connectSql(db.url);
    try {
      await eventually(
        async () =>
          (await sql.query<{ n: number }>('select count(*)::int as n from log_line where job_exe_id = $1', [exeId]))[0]!
            .n,
        (n) => n === 21,
        'the archive',
      );
    } finally {
      await sql.close();
    }

    // The agent restarts (the log never lived there), then the stream loses everything (age or byte limits).
    platform.processes.get('node-agent')!.kill('SIGKILL');
    platform.spawn('node-agent', 'node-agent-restarted');
    const nc = await connectTestNats();
    try {
      const purged = await nc.request(`$JS.API.STREAM.PURGE.${subjects.streams.logs.name}`, '', { timeout: 5000 });
      expect(purged.json<{ success?: boolean }>().success).toBe(true);
    } finally {
      await nc.close();
    }

    const text = await api(`/v6/job-executions/${exeId}/logs/combined/`);
    expect(text.status).toBe(200);
    expect(await text.text()).toBe(`${expected.join('\n')}\n`);
    const stderr = (await (await api(`/v6/job-executions/${exeId}/logs/stderr/?format=json`)).json()) as {
      message: string;
      scale_order_num: number;
    }[];
    expect(stderr.map((e) => [e.scale_order_num, e.message])).toEqual([[21, 'bye']]);
    const resumed = await follow(`${platform.apiUrl}/v6/job-executions/${exeId}/logs/combined/follow/`, {
      'last-event-id': '18',
    });
    expect(messages(resumed)).toEqual(['line 19', 'line 20', 'bye']);
    expect(resumed.at(-1)?.event).toBe('end');
  });
});
