/**
 * Live follow over a listening API (real sockets): SSE and WebSocket, replay then live lines, resume from a line
 * number, the end of the execution, lines merged from the archive, and no consumer left behind.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureStreams, jetstream } from '@scale/runtime';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import {
  archiveNext,
  createJobType,
  createNode,
  endExe,
  eventually,
  insertExe,
  publishLine,
  readerConsumers,
  SseReader,
  type TestExe,
} from '../fixtures/logs.ts';

describe('job execution log follow', () => {
  let h: Harness;
  let base: string;
  let jobTypeId: number;
  let nodeId: number;
  const readers: SseReader[] = [];

  const followUrl = (exe: TestExe, log = 'combined', query = '') =>
    `${base}/v6/job-executions/${exe.id}/logs/${log}/follow/${query}`;

  async function sse(exe: TestExe, log = 'combined', query = '', headers: Record<string, string> = {}) {
    const reader = await SseReader.open(followUrl(exe, log, query), headers);
    readers.push(reader);
    return reader;
  }

  const messages = (reader: SseReader) => reader.lines().map((l) => l.message);
  const newExe = () => insertExe(h, jobTypeId, nodeId);

  beforeAll(async () => {
    h = await startHarness('logsfollow', {
      // Tiny archive pages and pull batches, so catch-up crosses many of each.
      logFollow: {
        heartbeatMs: 100,
        endPollMs: 50,
        pullBatch: 3,
        archivePage: 2,
        maxFollowers: 2,
        slowClientMs: 5000,
      },
    });
    await ensureStreams(h.nc, h.subjects);
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const address = h.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    jobTypeId = await createJobType(h);
    nodeId = await createNode(h, 'agent-f', 'host-f.example');
  });
  afterAll(async () => {
    for (const reader of readers) await reader.close();
    await h.close();
  });

  it('follow (SSE) - replays the history, streams new lines live, then ends after the execution ended', async () => {
    const exe = await newExe();
    await publishLine(h, exe.id, 'stdout', 1, 'one');
    await publishLine(h, exe.id, 'stderr', 2, 'two');
    const reader = await sse(exe);
    expect(reader.status).toBe(200);
    expect(reader.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await reader.waitFor((r) => r.lines().length === 2, 'the history');
    expect(reader.events.map((e) => e.id)).toEqual(['1', '2']);
    expect(reader.lines()[1]).toEqual({
      message: 'two',
      '@timestamp': expect.any(String),
      scale_order_num: 2,
      scale_task: null,
      scale_job_exe: exe.clusterId,
      scale_node: 'host-f.example',
      stream: 'stderr',
    });

    await publishLine(h, exe.id, 'stdout', 3, 'three');
    await reader.waitFor((r) => r.lines().length === 3, 'a live line');
    // Idle streams carry keep-alive comments for proxies.
    await reader.waitFor((r) => r.comments.includes('keep-alive'), 'a keep-alive comment');
    await publishLine(h, exe.id, 'stdout', 4, 'four');
    await endExe(h, exe.id);
    await reader.ended();
    expect(messages(reader)).toEqual(['one', 'two', 'three', 'four']);
    expect(reader.events.at(-1)).toEqual({ event: 'end', data: '{}' });
  });

  it('follow (SSE) - Last-Event-ID and ?after= resume after a line number; stdout and stderr alone', async () => {
    const exe = await newExe();
    for (let n = 1; n <= 5; n++) await publishLine(h, exe.id, n % 2 ? 'stdout' : 'stderr', n, `line ${n}`);
    await endExe(h, exe.id);

    const resumed = await sse(exe, 'combined', '', { 'last-event-id': '3' });
    await resumed.ended();
    expect(messages(resumed)).toEqual(['line 4', 'line 5']);
    const after = await sse(exe, 'combined', '?after=1');
    await after.ended();
    expect(messages(after)).toEqual(['line 2', 'line 3', 'line 4', 'line 5']);
    // Last-Event-ID (an EventSource reconnecting) wins over the URL it reconnects to.
    const both = await sse(exe, 'combined', '?after=1', { 'last-event-id': '4' });
    await both.ended();
    expect(messages(both)).toEqual(['line 5']);

    const stderr = await sse(exe, 'stderr');
    await stderr.ended();
    expect(messages(stderr)).toEqual(['line 2', 'line 4']);
    expect(stderr.events.filter((e) => e.event === 'message').map((e) => e.id)).toEqual(['2', '4']);
    const stdout = await sse(exe, 'stdout', '?after=1');
    await stdout.ended();
    expect(messages(stdout)).toEqual(['line 3', 'line 5']);
  });

  it('follow - 204 when the execution ended and nothing follows the resume point; 404 and 400 otherwise', async () => {
    const exe = await newExe();
    await publishLine(h, exe.id, 'stdout', 1, 'only line');
    await endExe(h, exe.id);
    expect((await fetch(followUrl(exe, 'combined', '?after=1'))).status).toBe(204);
    expect((await fetch(followUrl(exe, 'stderr'))).status).toBe(204);
    const missing = await fetch(`${base}/v6/job-executions/999999/logs/combined/follow/`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'job execution 999999 does not exist' });
    const bad = await fetch(followUrl(exe, 'combined', '?after=-1'));
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as { errors: object }).errors)).toEqual(['after']);
    expect((await fetch(`${base}/v6/job-executions/${exe.id}/logs/everything/follow/`)).status).toBe(404);
  });

  it('follow - merges the archive and the stream: lines aged out of the stream, lines in both, each once', async () => {
    const exe = await newExe();
    for (let n = 1; n <= 3; n++) await publishLine(h, exe.id, 'stdout', n, `old ${n}`);
    // Everything stored so far is archived and acked, then the stream loses it (age or byte limits).
    await archiveNext(h, 1000);
    const jsm = await jetstream(h.nc).jetstreamManager();
    await jsm.streams.purge(h.subjects.streams.logs.name);
    for (let n = 4; n <= 6; n++) await publishLine(h, exe.id, 'stdout', n, `new ${n}`);
    // Line 4 is archived too, but not acked: it is in both sources.
    await archiveNext(h, 1, { ack: false });

    const reader = await sse(exe);
    await reader.waitFor((r) => r.lines().length === 6, 'six lines');
    await publishLine(h, exe.id, 'stderr', 7, 'live 7');
    await endExe(h, exe.id);
    await reader.ended();
    expect(messages(reader)).toEqual(['old 1', 'old 2', 'old 3', 'new 4', 'new 5', 'new 6', 'live 7']);
    expect(reader.events.filter((e) => e.event === 'message').map((e) => Number(e.id))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('follow (WebSocket) - the same lines as text frames, ?after= resumes, closed with 1000 at the end', async () => {
    const exe = await newExe();
    await publishLine(h, exe.id, 'stdout', 1, 'ws one');
    await publishLine(h, exe.id, 'stdout', 2, 'ws two');
    const socket = new WebSocket(`${followUrl(exe, 'combined', '?after=1').replace('http', 'ws')}`);
    const received: Array<{ message: string; scale_order_num: number }> = [];
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      socket.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason }));
    });
    socket.addEventListener('message', (event) => received.push(JSON.parse(String(event.data))));
    await eventually(
      async () => received.length,
      (count) => count === 1,
      'the replayed line',
    );
    await publishLine(h, exe.id, 'stderr', 3, 'ws three');
    await eventually(
      async () => received.length,
      (count) => count === 2,
      'the live line',
    );
    await endExe(h, exe.id);
    expect(await closed).toEqual({ code: 1000, reason: 'execution ended' });
    expect(received.map((r) => [r.scale_order_num, r.message])).toEqual([
      [2, 'ws two'],
      [3, 'ws three'],
    ]);
  });

  it('follow (WebSocket) - an unknown execution is refused before the upgrade', async () => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/v6/job-executions/999999/logs/combined/follow/`);
    const outcome = await new Promise<string>((resolve) => {
      socket.addEventListener('open', () => resolve('open'));
      socket.addEventListener('error', () => resolve('error'));
    });
    expect(outcome).toBe('error');
  });

  it('follow - a client that goes away leaves no consumer behind', async () => {
    const exe = await newExe();
    await publishLine(h, exe.id, 'stdout', 1, 'someone is watching');
    const reader = await sse(exe);
    await reader.waitFor((r) => r.lines().length === 1, 'the first line');
    const socket = new WebSocket(followUrl(exe).replace('http', 'ws'));
    await new Promise((resolve) => socket.addEventListener('message', resolve, { once: true }));
    await eventually(
      () => readerConsumers(h),
      (names) => names.length === 2,
      'one consumer per follower',
    );
    await reader.close();
    socket.close();
    await eventually(
      () => readerConsumers(h),
      (names) => names.length === 0,
      'the readers’ consumers deleted',
    );
  });

  it('follow - at most maxFollowers at once: 503 beyond, room again once one leaves', async () => {
    const exe = await newExe();
    await publishLine(h, exe.id, 'stdout', 1, 'busy');
    const first = await sse(exe);
    const second = await sse(exe);
    await first.waitFor((r) => r.lines().length === 1, 'the first follower');
    await second.waitFor((r) => r.lines().length === 1, 'the second follower');
    const refused = await fetch(followUrl(exe));
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ detail: 'too many log followers on this server, retry later' });
    await first.close();
    await eventually(
      () => readerConsumers(h),
      (names) => names.length === 1,
      'the first follower gone',
    );
    const third = await sse(exe);
    await third.waitFor((r) => r.lines().length === 1, 'a follower in the freed place');
    await second.close();
    await third.close();
  });

  it('follow - closing the server ends the open follows (clients resume elsewhere)', async () => {
    const exe = await newExe();
    await publishLine(h, exe.id, 'stdout', 1, 'before the shutdown');
    const reader = await sse(exe);
    await reader.waitFor((r) => r.lines().length === 1, 'the first line');
    const closed = h.app.close();
    await reader.ended();
    // fetch() may hold a spare connection that never carried a request; Node only times those out (60 s).
    h.app.server.closeAllConnections();
    await closed;
    expect(reader.events.map((e) => e.event)).toEqual(['message']);
    await eventually(
      () => readerConsumers(h),
      (names) => names.length === 0,
      'the follow’s consumer deleted',
    );
  });
});
