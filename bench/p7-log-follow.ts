/**
 * P7 (../shared/BENCHMARKS.md): live logs, container line → follower — target p99 ≤ 250 ms. Beside it, measured in
 * the same run: raw `docker logs -f` (the Engine API's follow, what the node agent reads from) and NATS one-way
 * latency (core publish → subscriber on another connection; JetStream publish → ordered consumer).
 *
 *   ./scale bench p7-log-follow            300 lines, one every 20 ms; a 5,000-line history read
 *   ./scale bench p7-log-follow --small    40 lines; a 500-line history read (a smoke run)
 *
 * The container (local/busybox, hardened as the agent runs every job) stamps each line with the kernel clock
 * (`adjtimex`, microseconds; the same clock as this process) before printing it; the follower's latency is its
 * receive time minus that stamp. The same script runs under raw Docker and as a platform job: the real scheduler,
 * node agent, log archiver and API, their own database and subject prefix. Lines the follower got as replayed
 * history (printed before it connected) are left out. Followers: one SSE, one WebSocket.
 *
 * Also measured (for docs/adr/0002-log-archive.md): the history endpoint on an ended execution, read from the
 * archive (the archiver has copied every line) and from the stream alone (no archiver position, no archive rows).
 * Not a test: it asserts nothing about time.
 */
import { once } from 'node:events';
import http from 'node:http';
import { connectNats, jetstream } from '@scale/runtime';
import { parseArgs } from './lib/args.ts';
import { runBench } from './lib/cleanup.ts';
import { docker, hardenedContainer } from './lib/docker.ts';
import { benchDatabase, benchNats, startApi, startScheduler, startService } from './lib/infra.ts';
import { startNodeAgent } from './lib/node-agent.ts';
import { printTable, type ResultRow, writeResult } from './lib/result.ts';
import { nowMs, round, type Summary, sleep, summarize, waitFor } from './lib/stats.ts';

const USAGE = `usage: ./scale bench p7-log-follow [options]
  --lines N           timestamped lines the container prints (default 300; --small: 40)
  --interval-ms N     pause between two lines (default 20)
  --nats-samples N    messages of each NATS one-way measurement (default 2000; --small: 200)
  --history-lines N   lines of the job whose history read is timed (default 5000; --small: 500)
  --history-reads N   timed reads of that history per source (default 20; --small: 5)
  --out PATH          where to write the JSON result (default bench/results/p7-log-follow-<time>.json)
  --small             a quick smoke run`;

const IMAGE = 'local/busybox:latest';
const SOCKET = process.env.DOCKER_SOCKET ?? '/var/run/docker.sock';
const args = parseArgs(USAGE, ['lines', 'interval-ms', 'nats-samples', 'history-lines', 'history-reads']);
const small = args.flag('small');
const options = {
  lines: args.number('lines', small ? 40 : 300),
  intervalMs: args.number('interval-ms', 20),
  natsSamples: args.number('nats-samples', small ? 200 : 2000),
  historyLines: args.number('history-lines', small ? 500 : 5000),
  historyReads: args.number('history-reads', small ? 5 : 20),
  small,
};
const progress = (text: string) => process.stderr.write(`[p7] ${text}\n`);

/**
 * The container's script: wait for the followers, then print `<epoch seconds.microseconds> <i>` lines. adjtimex
 * reads the kernel clock without privileges; busybox `date` has no sub-second format.
 */
function stampedLinesScript(lines: number, intervalMs: number, startDelayMs: number): string {
  const sleep = (ms: number) => `usleep ${Math.round(ms * 1000)}`;
  return [
    sleep(startDelayMs),
    'i=0',
    `while [ $i -lt ${lines} ]; do i=$((i+1)); set -- $(adjtimex | grep -E "tv_u?sec"); printf "%s.%06d %d\\n" $2 $4 $i; ${sleep(intervalMs)}; done`,
  ].join('; ');
}

/** Latency of one received line `<stamp> <i>`, or undefined for anything else. */
function lineLatency(text: string, receivedMs: number): number | undefined {
  const match = /^(\d+\.\d{6}) \d+$/.exec(text.trim());
  return match ? receivedMs - Number(match[1]) * 1000 : undefined;
}

/** `docker logs -f` through the Engine API: demultiplexes the stream (8-byte frame headers, no TTY). */
function followDockerLogs(id: string, onLine: (text: string, receivedMs: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath: SOCKET, path: `/containers/${id}/logs?follow=1&stdout=1&stderr=1`, method: 'GET' },
      (res) => {
        let buffer = Buffer.alloc(0);
        let partial = '';
        res.on('data', (chunk: Buffer) => {
          const received = nowMs();
          buffer = Buffer.concat([buffer, chunk]);
          while (buffer.length >= 8) {
            const size = buffer.readUInt32BE(4);
            if (buffer.length < 8 + size) break;
            const lines = (partial + buffer.subarray(8, 8 + size).toString('utf8')).split('\n');
            partial = lines.pop() ?? '';
            for (const line of lines) onLine(line, received);
            buffer = buffer.subarray(8 + size);
          }
        });
        res.on('end', resolve);
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function rawDockerFollow(label: string): Promise<number[]> {
  const cmd = ['sh', '-c', stampedLinesScript(options.lines, options.intervalMs, 1000)];
  const id = await docker.create(`bench-p7-${label}`, hardenedContainer(IMAGE, cmd, { 'scale-bench': label }));
  const latencies: number[] = [];
  await docker.start(id);
  await followDockerLogs(id, (text, received) => {
    const latency = lineLatency(text, received);
    if (latency !== undefined) latencies.push(latency);
  });
  await docker.remove(id);
  return latencies;
}

/** Core NATS publish on one connection → subscriber on another; each message carries its send time. */
async function natsOneWay(url: string, subject: string, samples: number): Promise<number[]> {
  const publisher = await connectNats(url, 'bench-p7-pub');
  const subscriber = await connectNats(url, 'bench-p7-sub');
  const latencies: number[] = [];
  const sub = subscriber.subscribe(subject, {
    callback: (_, msg) => {
      latencies.push(nowMs() - Number(msg.string()));
    },
  });
  await subscriber.flush();
  for (let i = 0; i < samples; i++) {
    publisher.publish(subject, String(nowMs()));
    await sleep(1);
  }
  await waitFor(() => latencies.length >= samples, 'the NATS samples', 10_000, 10);
  sub.unsubscribe();
  await publisher.close();
  await subscriber.close();
  return latencies;
}

/** JetStream publish (acked) on one connection → an ordered consumer on another: the hop the API follows. */
async function jetStreamOneWay(url: string, stream: string, subject: string, samples: number): Promise<number[]> {
  const publisher = await connectNats(url, 'bench-p7-js-pub');
  const subscriber = await connectNats(url, 'bench-p7-js-sub');
  const js = jetstream(publisher);
  const consumer = await jetstream(subscriber).consumers.get(stream, {
    filter_subjects: subject,
    deliver_policy: 'new' as never,
  });
  const messages = await consumer.consume({ max_messages: 256 });
  const latencies: number[] = [];
  const done = (async () => {
    for await (const msg of messages) {
      latencies.push(nowMs() - Number(msg.string()));
      if (latencies.length >= samples) break;
    }
  })();
  for (let i = 0; i < samples; i++) {
    await js.publish(subject, String(nowMs()));
    await sleep(1);
  }
  await done;
  await messages.close();
  await consumer.delete().catch(() => undefined);
  await publisher.close();
  await subscriber.close();
  return latencies;
}

interface FollowerResult {
  latencies: number[];
  replayed: number;
  ended: boolean;
}

/** An SSE follower: every `message` event's line, latency counted for lines stamped after it connected. */
async function sseFollower(url: string): Promise<FollowerResult> {
  const result: FollowerResult = { latencies: [], replayed: 0, ended: false };
  const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
  const connected = nowMs();
  if (response.status !== 200 || !response.body) throw new Error(`SSE follow answered ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    const received = nowMs();
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      if (frame.includes('event: end')) result.ended = true;
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (!data || frame.includes('event: ')) continue;
      const latency = lineLatency((JSON.parse(data) as { message: string }).message, received);
      if (latency === undefined) continue;
      if (received - latency < connected) result.replayed += 1;
      else result.latencies.push(latency);
    }
  }
  return result;
}

/** A WebSocket follower on the same URL. */
async function wsFollower(url: string): Promise<FollowerResult> {
  const result: FollowerResult = { latencies: [], replayed: 0, ended: false };
  const socket = new WebSocket(url.replace(/^http/, 'ws'));
  let connected = Number.POSITIVE_INFINITY;
  socket.addEventListener('open', () => {
    connected = nowMs();
  });
  socket.addEventListener('message', (event) => {
    const received = nowMs();
    const latency = lineLatency((JSON.parse(String(event.data)) as { message: string }).message, received);
    if (latency === undefined) return;
    if (received - latency < connected) result.replayed += 1;
    else result.latencies.push(latency);
  });
  const [closed] = (await once(socket, 'close')) as [CloseEvent];
  result.ended = closed.code === 1000;
  return result;
}

async function api<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const ms = (s: Summary, key: 'p50' | 'p99') => round(s[key], 3);

runBench(async (cleanup) => {
  const startedAt = new Date().toISOString();
  if (!(await docker.imageExists(IMAGE))) throw new Error(`${IMAGE} is not present (the set-up step imports it)`);
  const label = `p7-${process.pid}-${Date.now().toString(36)}`;
  cleanup.add('remove raw containers', async () => {
    for (const id of await docker.listByLabel(`scale-bench=${label}`)) await docker.remove(id);
  });

  progress(`raw docker logs -f, ${options.lines} lines (before)`);
  const dockerBefore = await rawDockerFollow(`${label}-a`);

  const db = await benchDatabase(cleanup, 'p7', 4);
  const nats = await benchNats(cleanup, 'p7');
  progress(`NATS one-way, ${options.natsSamples} messages`);
  const natsCore = await natsOneWay(nats.url, `${nats.subjects.prefix}.bench.oneway`, options.natsSamples);
  const platformEnv = { databaseUrl: db.url, natsUrl: nats.url, subjects: nats.subjects };
  await startScheduler(cleanup, { ...platformEnv, env: { SCALE_SCHEDULE_INTERVAL_MS: '100' } });
  const archiver = await startService(cleanup, {
    name: 'log-archiver',
    script: 'services/log-archiver/src/main.ts',
    env: {
      SCALE_DATABASE_URL: db.url,
      SCALE_NATS_URL: nats.url,
      SCALE_SUBJECT_PREFIX: nats.subjects.prefix,
      SCALE_LOG_LEVEL: 'info',
    },
    ready: (_, entry) => entry?.msg === 'log archiver consuming',
  });
  progress(`JetStream publish → ordered consumer, ${options.natsSamples} messages`);
  const natsJs = await jetStreamOneWay(
    nats.url,
    nats.subjects.streams.logs.name,
    nats.subjects.log(999_999_999, 'stdout'),
    options.natsSamples,
  );
  await startNodeAgent(cleanup, { natsUrl: nats.url, subjects: nats.subjects, cpus: 2, memMiB: 2048 });
  const apiProcess = await startApi(cleanup, platformEnv);
  await waitFor(
    async () =>
      (await db.pool.query<{ n: number }>(`select count(*)::int as n from node where state = 'READY'`)).rows[0]!.n > 0,
    'the node to register',
    30_000,
  );

  const jobType = (name: string, command: string) =>
    api<{ id: number }>(apiProcess.url, 'POST', '/v6/job-types/', {
      docker_image: IMAGE,
      manifest: {
        seedVersion: '1.0.0',
        job: {
          name,
          jobVersion: '1.0.0',
          packageVersion: '1.0.0',
          timeout: 600,
          interface: { command },
          resources: {
            scalar: [
              { name: 'cpus', value: 0.5 },
              { name: 'mem', value: 64 },
            ],
          },
        },
      },
    });
  const runJob = async (jobTypeId: number) => {
    const job = await api<{ id: number }>(apiProcess.url, 'POST', '/v6/jobs/', {
      job_type_id: jobTypeId,
      input: { files: {}, json: {} },
    });
    return waitFor(
      async () =>
        (await api<{ execution: { id: number } | null }>(apiProcess.url, 'GET', `/v6/jobs/${job.id}/`)).execution?.id,
      'the job to be placed',
      60_000,
      10,
    );
  };

  progress(`platform job, ${options.lines} lines, followed over SSE and WebSocket`);
  const stamped = await jobType(
    'bench-p7-stamped',
    `sh -c '${stampedLinesScript(options.lines, options.intervalMs, 2000)}'`,
  );
  const exeId = await runJob(stamped.id);
  const followUrl = `${apiProcess.url}/v6/job-executions/${exeId}/logs/combined/follow/`;
  const [sse, ws] = await Promise.all([sseFollower(followUrl), wsFollower(followUrl)]);
  if (!sse.ended || !ws.ended) throw new Error('a follower did not see the end of the execution');

  progress(`history read, ${options.historyLines} lines: archive, then stream only`);
  const bulk = await jobType('bench-p7-history', `seq 1 ${options.historyLines}`);
  const historyExe = await runJob(bulk.id);
  await waitFor(
    async () => {
      const { rows } = await db.pool.query<{ n: number }>(
        'select count(*)::int as n from log_line where job_exe_id = $1',
        [historyExe],
      );
      return rows[0]!.n >= options.historyLines;
    },
    'the archiver to copy the history',
    120_000,
  );
  const timeReads = async () => {
    const times: number[] = [];
    for (let i = 0; i < options.historyReads; i++) {
      const started = nowMs();
      const response = await fetch(`${apiProcess.url}/v6/job-executions/${historyExe}/logs/combined/?format=json`);
      const body = (await response.json()) as unknown[];
      times.push(nowMs() - started);
      if (body.length !== options.historyLines) throw new Error(`history had ${body.length} lines`);
    }
    return times;
  };
  const fromArchive = await timeReads();
  // Stream only: no archiver position (its consumer deleted) and no archive rows for this execution.
  await archiver.stop();
  const jsm = await jetstream(nats.nc).jetstreamManager();
  await jsm.consumers.delete(nats.subjects.streams.logs.name, nats.subjects.consumers.logArchiver);
  await db.pool.query('delete from log_line where job_exe_id = $1', [historyExe]);
  const fromStream = await timeReads();

  progress(`raw docker logs -f, ${options.lines} lines (after)`);
  const dockerAfter = await rawDockerFollow(`${label}-b`);

  const dockerFollow = summarize([...dockerBefore, ...dockerAfter]);
  const sseSummary = summarize(sse.latencies);
  const wsSummary = summarize(ws.latencies);
  const core = summarize(natsCore);
  const js = summarize(natsJs);
  const archiveReads = summarize(fromArchive);
  const streamReads = summarize(fromStream);
  const dockerLimit = (key: 'p50' | 'p99') => ({ label: `docker logs -f ${key}`, value: ms(dockerFollow, key) });
  const rows: ResultRow[] = [
    {
      figure: 'container line → SSE follower, p50',
      measured: ms(sseSummary, 'p50'),
      unit: 'ms',
      limit: dockerLimit('p50'),
    },
    {
      figure: 'container line → SSE follower, p99',
      measured: ms(sseSummary, 'p99'),
      unit: 'ms',
      target: '≤ 250 ms',
      limit: dockerLimit('p99'),
    },
    {
      figure: 'container line → WebSocket follower, p50',
      measured: ms(wsSummary, 'p50'),
      unit: 'ms',
      limit: dockerLimit('p50'),
    },
    {
      figure: 'container line → WebSocket follower, p99',
      measured: ms(wsSummary, 'p99'),
      unit: 'ms',
      target: '≤ 250 ms',
      limit: dockerLimit('p99'),
    },
    { figure: 'raw docker logs -f, p50', measured: ms(dockerFollow, 'p50'), unit: 'ms' },
    { figure: 'raw docker logs -f, p99', measured: ms(dockerFollow, 'p99'), unit: 'ms' },
    { figure: 'NATS core one-way, p50', measured: ms(core, 'p50'), unit: 'ms' },
    { figure: 'NATS core one-way, p99', measured: ms(core, 'p99'), unit: 'ms' },
    { figure: 'JetStream publish → ordered consumer, p50', measured: ms(js, 'p50'), unit: 'ms' },
    { figure: 'JetStream publish → ordered consumer, p99', measured: ms(js, 'p99'), unit: 'ms' },
    {
      figure: `history of ${options.historyLines} lines (JSON), from the archive, p50`,
      measured: ms(archiveReads, 'p50'),
      unit: 'ms',
      limit: { label: 'the same read from the stream only', value: ms(streamReads, 'p50') },
    },
    {
      figure: `history of ${options.historyLines} lines (JSON), from the stream only, p50`,
      measured: ms(streamReads, 'p50'),
      unit: 'ms',
    },
  ];
  const simulated = ['nothing: real containers, scheduler, node agent, log archiver and API on this machine'];
  const notes = [
    ...simulated,
    `lines stamped in the container by the kernel clock; ${sse.latencies.length} live SSE lines, ${sse.replayed} replayed (left out); ${ws.latencies.length} live WebSocket lines`,
  ];
  printTable(`P7 log line → follower (${options.lines} lines, one every ${options.intervalMs} ms)`, rows, notes);
  writeResult(
    {
      name: 'p7-log-follow',
      targets: ['P7'],
      startedAt,
      options,
      simulated,
      rows,
      details: {
        sse: { ...sseSummary, replayed: sse.replayed },
        websocket: { ...wsSummary, replayed: ws.replayed },
        dockerFollowBefore: summarize(dockerBefore),
        dockerFollowAfter: summarize(dockerAfter),
        natsCore: core,
        jetStream: js,
        historyFromArchive: archiveReads,
        historyFromStream: streamReads,
      },
    },
    args.given.out === undefined ? undefined : args.string('out', ''),
  );
});
