/**
 * Logs end to end, on the real processes (scheduler, log archiver, node agent, API) with a real container: a live
 * follow over SSE while the job runs, then the log outliving the container, an agent restart and the stream
 * itself (purged, as its age or byte limits would), served from the Postgres archive.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectSql, connectTestNats } from '@scale/testkit';
import { type E2ePlatform, startE2ePlatform } from './support/harness.ts';
import { seedManifest } from './support/manifests.ts';

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
  let e2e: E2ePlatform;

  /** Reads until `done` holds for what `read` answers, every 100 ms. */
  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    const found = await e2e.until(
      async () => {
        const value = await read();
        return done(value) ? { value } : undefined;
      },
      what,
      { intervalMs: 100 },
    );
    return found.value;
  }

  beforeAll(async () => {
    e2e = await startE2ePlatform({
      label: 'e2elogs',
      tmpPrefix: 'scale-e2e-logs-',
      env: { SCALE_LOG_LEVEL: 'warn', SCALE_HEARTBEAT_MS: '1000', SCALE_SCHEDULE_INTERVAL_MS: '250' },
    });
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('e2e logs - followed live, then served after the container, the agent and the stream are gone', async () => {
    const { api, platform, subjects, db } = e2e;
    const jobTypeId = await e2e.registerJobType(
      seedManifest('e2e-logs', {
        cpus: 0.5,
        mem: 64,
        interface: {
          command: `sh -c 'usleep 500000; i=0; while [ $i -lt 20 ]; do i=$((i+1)); echo "line $i"; usleep 50000; done; echo bye >&2'`,
        },
      }),
    );
    const jobId = (await api('POST', '/v6/jobs/', { job_type_id: jobTypeId, input: { files: {}, json: {} } })).json
      .id as number;
    const exeId = await eventually(
      async () => ((await api('GET', `/v6/jobs/${jobId}/`)).json as { execution: { id: number } | null }).execution?.id,
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

    const text = await api('GET', `/v6/job-executions/${exeId}/logs/combined/`);
    expect(text.status).toBe(200);
    expect(text.text).toBe(`${expected.join('\n')}\n`);
    const stderr = (await api('GET', `/v6/job-executions/${exeId}/logs/stderr/?format=json`)).json as {
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
