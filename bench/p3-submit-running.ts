/**
 * P3 (../shared/BENCHMARKS.md): submit → container running on an idle node, minus a raw Docker start of the same
 * image in the same run — target platform overhead p50 ≤ 50 ms, p99 ≤ 150 ms.
 *
 *   ./scale bench p3-submit-running            60 samples of each
 *   ./scale bench p3-submit-running --small    8 samples (a smoke run)
 *
 * Platform sample: POST /v6/jobs/ to the real API (→ scheduler → launch over JetStream → real node agent →
 * Docker), timed from just before the request to the container's `start` event in Docker's own event stream;
 * then the job is waited for, so the node is idle for the next one. Raw sample: create + start of the same
 * hardened container through the Engine API, timed the same way. Samples alternate (platform, raw, …) so noise
 * on this shared machine falls on both alike. Nothing is simulated. Not a test: it asserts nothing about time.
 */
import { parseArgs } from './lib/args.ts';
import { runBench } from './lib/cleanup.ts';
import { docker, followContainerEvents, hardenedContainer } from './lib/docker.ts';
import { benchDatabase, benchNats, startApi, startScheduler } from './lib/infra.ts';
import { insertJobType } from './lib/jobs.ts';
import { startNodeAgent } from './lib/node-agent.ts';
import { printTable, type ResultRow, writeResult } from './lib/result.ts';
import { nowMs, round, summarize, waitFor } from './lib/stats.ts';

const USAGE = `usage: ./scale bench p3-submit-running [options]
  --samples N   measured samples of each kind (default 60; --small: 8)
  --warmup N    samples of each kind run first and not counted (default 3; --small: 1)
  --out PATH    where to write the JSON result (default bench/results/p3-submit-running-<time>.json)
  --small       a quick smoke run`;

const IMAGE = 'local/busybox:latest';
const args = parseArgs(USAGE, ['samples', 'warmup']);
const small = args.flag('small');
const options = {
  samples: args.number('samples', small ? 8 : 60),
  warmup: args.number('warmup', small ? 1 : 3),
  image: IMAGE,
  small,
};
const progress = (text: string) => process.stderr.write(`[p3] ${text}\n`);

/** Resolves with the time Docker reports for the next `start` of the named container. */
class StartEvents {
  readonly #seen = new Map<string, number>();
  readonly #waiting = new Map<string, (atMs: number) => void>();

  record(name: string, atMs: number): void {
    const waiter = this.#waiting.get(name);
    if (waiter) {
      this.#waiting.delete(name);
      waiter(atMs);
    } else this.#seen.set(name, atMs);
  }

  next(name: string, timeoutMs: number): Promise<number> {
    const seen = this.#seen.get(name);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start event for ${name} within ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.set(name, (atMs) => {
        clearTimeout(timer);
        resolve(atMs);
      });
    });
  }
}

runBench(async (cleanup) => {
  const startedAt = new Date().toISOString();
  if (!(await docker.imageExists(IMAGE))) throw new Error(`${IMAGE} is not present (the set-up step imports it)`);
  const db = await benchDatabase(cleanup, 'p3', 4);
  const nats = await benchNats(cleanup, 'p3');
  const rawLabel = `p3-${process.pid}-${Date.now().toString(36)}`;
  cleanup.add('remove raw containers', async () => {
    for (const id of await docker.listByLabel(`scale-bench=${rawLabel}`)) await docker.remove(id);
  });

  const starts = new StartEvents();
  // Platform containers are told apart by their execution label (their names depend on the subject prefix).
  const stopPlatformEvents = followContainerEvents(`scale.prefix=${nats.subjects.prefix}`, ['start'], (e) =>
    starts.record(`exe-${e.attributes['scale.job_exe_id']}`, e.atMs),
  );
  const stopRawEvents = followContainerEvents(`scale-bench=${rawLabel}`, ['start'], (e) =>
    starts.record(e.name, e.atMs),
  );
  cleanup.add('stop following Docker events', () => {
    stopPlatformEvents();
    stopRawEvents();
  });

  await startScheduler(cleanup, { databaseUrl: db.url, natsUrl: nats.url, subjects: nats.subjects });
  const agent = await startNodeAgent(cleanup, { natsUrl: nats.url, subjects: nats.subjects, cpus: 2, memMiB: 4096 });
  const api = await startApi(cleanup, { databaseUrl: db.url, natsUrl: nats.url, subjects: nats.subjects });
  const type = await insertJobType(db.pool, { name: 'bench-p3', cpus: 0.5, memMiB: 64, timeoutSeconds: 60 });
  await waitFor(
    async () =>
      (await db.pool.query<{ n: number }>(`select count(*)::int as n from node where state = 'READY'`)).rows[0]!.n > 0,
    'the node to register',
    30_000,
  );

  /**
   * Where a platform sample's time went, from the submit: the API's answer, the execution's creation (the start of
   * the scheduling pass that placed it, database clock), the launch reaching the agent, the container's start.
   */
  const phases: { answered: number; placed: number; received: number; started: number }[] = [];
  /** One platform sample: submit, the container's start, then the job's end (the node is idle again). */
  const platformSample = async (): Promise<number> => {
    const before = nowMs();
    const response = await fetch(`${api.url}/v6/jobs/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ job_type_id: type.jobTypeId, input: { files: {}, json: {} } }),
    });
    if (response.status !== 201)
      throw new Error(`POST /v6/jobs/ answered ${response.status}: ${await response.text()}`);
    const jobId = ((await response.json()) as { id: number }).id;
    const answered = nowMs();
    const exe = await waitFor(
      async () =>
        (
          await db.pool.query<{ id: string; created_ms: number }>(
            'select id, extract(epoch from created) * 1000 as created_ms from job_exe where job_id = $1',
            [jobId],
          )
        ).rows[0],
      `an execution of job ${jobId}`,
      30_000,
      2,
    );
    const startedAt = await starts.next(`exe-${exe.id}`, 30_000);
    phases.push({
      answered: answered - before,
      placed: Number(exe.created_ms) - before,
      received: (agent.launchReceived.get(Number(exe.id)) ?? Number.NaN) - before,
      started: startedAt - before,
    });
    await waitFor(
      async () =>
        (await db.pool.query<{ status: string }>('select status from job where id = $1', [jobId])).rows[0]?.status ===
        'COMPLETED',
      `job ${jobId} to complete`,
      30_000,
      20,
    );
    return startedAt - before;
  };

  let rawCount = 0;
  /** One raw sample: create + start of the same hardened container, then wait and remove it. */
  const rawSample = async (): Promise<number> => {
    const name = `bench-p3-${rawLabel}-${rawCount++}`;
    const before = nowMs();
    const id = await docker.create(name, hardenedContainer(IMAGE, ['true'], { 'scale-bench': rawLabel }));
    await docker.start(id);
    const startedAt = await starts.next(name, 30_000);
    await docker.wait(id);
    await docker.remove(id);
    return startedAt - before;
  };

  const platform: number[] = [];
  const raw: number[] = [];
  const total = options.warmup + options.samples;
  for (let i = 0; i < total; i++) {
    const p = await platformSample();
    const r = await rawSample();
    if (i >= options.warmup) {
      platform.push(p);
      raw.push(r);
    }
    if ((i + 1) % 10 === 0) progress(`${i + 1}/${total} samples`);
  }
  const counted = phases.slice(options.warmup);
  const phaseP50 = {
    apiAnsweredMs: round(summarize(counted.map((x) => x.answered)).p50, 1),
    executionCreatedMs: round(summarize(counted.map((x) => x.placed)).p50, 1),
    launchReceivedMs: round(summarize(counted.map((x) => x.received)).p50, 1),
    containerStartedMs: round(summarize(counted.map((x) => x.started)).p50, 1),
  };
  const p = summarize(platform);
  const r = summarize(raw);
  const rows: ResultRow[] = [
    {
      figure: 'platform overhead p50 (submit → running, minus raw start p50)',
      measured: round(p.p50 - r.p50, 1),
      unit: 'ms',
      target: '≤ 50 ms',
    },
    {
      figure: 'platform overhead p99 (submit → running, minus raw start p99)',
      measured: round(p.p99 - r.p99, 1),
      unit: 'ms',
      target: '≤ 150 ms',
    },
    {
      figure: 'submit → container running, p50',
      measured: round(p.p50, 1),
      unit: 'ms',
      limit: { label: 'raw Docker create+start, p50', value: round(r.p50, 1) },
    },
    {
      figure: 'submit → container running, p99',
      measured: round(p.p99, 1),
      unit: 'ms',
      limit: { label: 'raw Docker create+start, p99', value: round(r.p99, 1) },
    },
  ];
  const simulated = ['nothing: real API, scheduler, node agent and Docker; times from Docker’s own start events'];
  printTable(`P3 submit → running on an idle node (${options.samples} samples each)`, rows, [
    ...simulated,
    `p50 from submit: API answered ${phaseP50.apiAnsweredMs} ms, execution created ${phaseP50.executionCreatedMs} ms, launch at the agent ${phaseP50.launchReceivedMs} ms, container started ${phaseP50.containerStartedMs} ms`,
  ]);
  writeResult(
    {
      name: 'p3-submit-running',
      targets: ['P3'],
      startedAt,
      options,
      simulated,
      rows,
      details: {
        phasesP50: phaseP50,
        platformMs: { ...p, samples: platform.map((v) => round(v, 1)) },
        rawMs: { ...r, samples: raw.map((v) => round(v, 1)) },
      },
    },
    args.given.out === undefined ? undefined : args.string('out', ''),
  );
});
