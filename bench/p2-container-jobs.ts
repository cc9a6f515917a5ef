/**
 * P2 (../shared/BENCHMARKS.md): real container jobs on one node, sustained — target ≥ 5 jobs/s with the platform's
 * own CPU (scheduler + node agent) ≤ 20 % of the node; the limit beside it is raw Docker create + start + wait +
 * remove of the same hardened container, at the same concurrency, measured in the same run (before and after).
 *
 *   ./scale bench p2-container-jobs             400 jobs, 4 at a time
 *   ./scale bench p2-container-jobs --small     20 jobs (a smoke run)
 *
 * Platform: the real scheduler and the real node agent on the local Docker engine, its own database and subject
 * prefix. The jobs (`true` in local/busybox, hardened as always) are queued in one queue-jobs command — the path
 * the API uses — and the node offers room for `concurrency` of them at once. Rates come from the database clock
 * (job.ended). Nothing is simulated. Not a test: it asserts nothing about time.
 */
import { availableParallelism } from 'node:os';
import { QueueJobsResult } from '@scale/contracts';
import { requestCommand } from '@scale/runtime';
import { parseArgs } from './lib/args.ts';
import { runBench } from './lib/cleanup.ts';
import { docker, hardenedContainer } from './lib/docker.ts';
import { benchDatabase, benchNats, processCpuMs, startScheduler } from './lib/infra.ts';
import { insertJobType } from './lib/jobs.ts';
import { startNodeAgent } from './lib/node-agent.ts';
import { printTable, type ResultRow, writeResult } from './lib/result.ts';
import { nowMs, round, waitFor } from './lib/stats.ts';

const USAGE = `usage: ./scale bench p2-container-jobs [options]
  --jobs N          container jobs per run (default 400; --small: 20)
  --concurrency K   jobs running at once, on the platform and for raw Docker alike (default 4)
  --cpus N          cores the node agent offers (default: this machine's, ${availableParallelism()})
  --out PATH        where to write the JSON result (default bench/results/p2-container-jobs-<time>.json)
  --small           a quick smoke run`;

const IMAGE = 'local/busybox:latest';
const args = parseArgs(USAGE, ['jobs', 'concurrency', 'cpus']);
const small = args.flag('small');
const options = {
  jobs: args.number('jobs', small ? 20 : 400),
  concurrency: args.number('concurrency', 4),
  cpus: args.number('cpus', availableParallelism()),
  image: IMAGE,
  small,
};
const progress = (text: string) => process.stderr.write(`[p2] ${text}\n`);

/** Raw Docker: `concurrency` workers each run create + start + wait + remove until `jobs` containers are done. */
async function rawDockerRate(label: string, jobs: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = nowMs();
  const worker = async () => {
    for (let i = next++; i < jobs; i = next++) {
      const id = await docker.create(
        `bench-p2-${label}-${i}`,
        hardenedContainer(IMAGE, ['true'], { 'scale-bench': label }),
      );
      await docker.start(id);
      await docker.wait(id);
      await docker.remove(id);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return jobs / ((nowMs() - started) / 1000);
}

runBench(async (cleanup) => {
  const startedAt = new Date().toISOString();
  if (!(await docker.imageExists(IMAGE))) throw new Error(`${IMAGE} is not present (the set-up step imports it)`);
  const label = `p2-${process.pid}-${Date.now().toString(36)}`;
  cleanup.add('remove raw containers', async () => {
    for (const id of await docker.listByLabel(`scale-bench=${label}`)) await docker.remove(id);
  });

  progress(`raw Docker, ${options.jobs} containers, ${options.concurrency} at a time (before)`);
  const rawBefore = await rawDockerRate(`${label}-a`, options.jobs, options.concurrency);

  const db = await benchDatabase(cleanup, 'p2', 4);
  const nats = await benchNats(cleanup, 'p2');
  const scheduler = await startScheduler(cleanup, { databaseUrl: db.url, natsUrl: nats.url, subjects: nats.subjects });
  const agent = await startNodeAgent(cleanup, {
    natsUrl: nats.url,
    subjects: nats.subjects,
    cpus: options.cpus,
    memMiB: 4096,
  });
  const type = await insertJobType(db.pool, {
    name: 'bench-p2',
    cpus: options.cpus / options.concurrency,
    memMiB: 64,
    timeoutSeconds: 300,
  });
  await waitFor(
    async () =>
      (await db.pool.query<{ n: number }>(`select count(*)::int as n from node where state = 'READY'`)).rows[0]!.n > 0,
    'the node to register',
    30_000,
  );

  progress(`platform, ${options.jobs} jobs queued at once, room for ${options.concurrency} at a time`);
  const cpuBefore = { scheduler: processCpuMs(scheduler.child.pid), agent: processCpuMs(agent.child.pid) };
  const submitted = nowMs();
  await requestCommand(
    nats.nc,
    nats.subjects.command('scheduler', 'queue-jobs'),
    {
      jobs: Array.from({ length: options.jobs }, () => ({ jobTypeId: type.jobTypeId, input: { files: {}, json: {} } })),
    },
    QueueJobsResult,
    60_000,
  );
  await waitFor(
    async () => {
      const { rows } = await db.pool.query<{ done: number; failed: number }>(
        `select count(*) filter (where status = 'COMPLETED')::int as done,
                count(*) filter (where status in ('FAILED', 'CANCELED'))::int as failed from job`,
      );
      if (rows[0]!.failed > 0) throw new Error(`${rows[0]!.failed} jobs failed:\n${agent.tail()}`);
      return rows[0]!.done >= options.jobs;
    },
    'every job to complete',
    options.jobs * 5000,
    100,
  );
  const finished = nowMs();
  const cpuAfter = { scheduler: processCpuMs(scheduler.child.pid), agent: processCpuMs(agent.child.pid) };
  const ended = (
    await db.pool.query<{ ms: number }>('select extract(epoch from ended) * 1000 as ms from job order by ended')
  ).rows.map((r) => Number(r.ms));
  // The sustained rate: the middle 80 % of completions, leaving out the start-up ramp and the tail.
  const first = ended[Math.floor(ended.length * 0.1)]!;
  const last = ended[Math.ceil(ended.length * 0.9) - 1]!;
  const steadyCount = Math.ceil(ended.length * 0.9) - Math.floor(ended.length * 0.1) - 1;
  const steadyRate = steadyCount / ((last - first) / 1000);
  const wholeRate = options.jobs / ((ended.at(-1)! - submitted) / 1000);
  const wallMs = finished - submitted;
  const cpuShare = (before: number | undefined, after: number | undefined) =>
    before === undefined || after === undefined ? Number.NaN : (after - before) / wallMs / options.cpus;
  const schedulerShare = cpuShare(cpuBefore.scheduler, cpuAfter.scheduler);
  const agentShare = cpuShare(cpuBefore.agent, cpuAfter.agent);

  progress(`raw Docker, ${options.jobs} containers, ${options.concurrency} at a time (after)`);
  const rawAfter = await rawDockerRate(`${label}-b`, options.jobs, options.concurrency);
  const raw = (rawBefore + rawAfter) / 2;
  const rawLimit = { label: 'raw Docker create+start+wait+remove, same concurrency', value: round(raw, 3) };

  const rows: ResultRow[] = [
    {
      figure: 'container jobs/s, sustained (middle 80 % of completions)',
      measured: round(steadyRate, 3),
      unit: 'jobs/s',
      target: '≥ 5/s',
      limit: rawLimit,
    },
    {
      figure: 'container jobs/s, whole run (queued → last ended)',
      measured: round(wholeRate, 3),
      unit: 'jobs/s',
      limit: rawLimit,
    },
    {
      figure: `platform CPU (scheduler + agent), share of ${options.cpus} cores`,
      measured: round((schedulerShare + agentShare) * 100, 1),
      unit: '%',
      target: '≤ 20 %',
    },
    { figure: 'node agent CPU, share of the node', measured: round(agentShare * 100, 1), unit: '%' },
    { figure: 'scheduler CPU, share of the node', measured: round(schedulerShare * 100, 1), unit: '%' },
  ];
  const simulated = ['nothing: real scheduler, real node agent, real containers on the local Docker engine'];
  printTable(`P2 real container jobs on one node (${options.jobs} jobs, ${options.concurrency} at a time)`, rows, [
    ...simulated,
    `raw Docker before ${round(rawBefore, 2)}/s, after ${round(rawAfter, 2)}/s`,
  ]);
  writeResult(
    {
      name: 'p2-container-jobs',
      targets: ['P2'],
      startedAt,
      options,
      simulated,
      rows,
      details: {
        rawDockerBefore: round(rawBefore, 3),
        rawDockerAfter: round(rawAfter, 3),
        wallMs: round(wallMs, 1),
        cpuMs: {
          scheduler: (cpuAfter.scheduler ?? Number.NaN) - (cpuBefore.scheduler ?? Number.NaN),
          agent: (cpuAfter.agent ?? Number.NaN) - (cpuBefore.agent ?? Number.NaN),
        },
        passes: scheduler.passes.length,
      },
    },
    args.given.out === undefined ? undefined : args.string('out', ''),
  );
});
