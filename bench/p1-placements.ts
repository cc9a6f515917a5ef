/**
 * P1 (../shared/BENCHMARKS.md): scheduler placements with 100 simulated nodes and 10k queued jobs — target
 * ≥ 1,000 placements/s and a decision p99 ≤ 50 ms (the time a pass takes to read the nodes and the queue and
 * decide its placements; the whole pass with its writes is printed beside it).
 *
 *   ./scale bench p1-placements            100 nodes × 16 cpus / 64 GiB, 10,000 jobs of 1 cpu / 1 GiB
 *   ./scale bench p1-placements --small    5 nodes, 200 jobs (a smoke run)
 *
 * The real scheduler process runs on its own database and subject prefix. The jobs are inserted with SQL while the
 * scheduler is paused; the simulated agents register through their heartbeats; the clock starts when
 * update-scheduler {isPaused: false} is sent and stops when the last launch command reaches an agent. Decision and
 * whole-pass times are the decisionMs and durationMs of the scheduler's own "scheduling pass" log lines. Beside them,
 * measured in the same run
 * before the scheduler starts: the raw Postgres claim rate (transactions claiming 50 rows FOR UPDATE SKIP LOCKED
 * from a table of the same size, several clients) and the latency of one raw claim-and-update transaction of a
 * pass's launches (SCALE_MAX_LAUNCHES_PER_PASS rows). Not a test: it asserts nothing about time.
 */
import { join } from 'node:path';
import { UpdateSchedulerResult } from '@scale/contracts';
import { requestCommand } from '@scale/runtime';
import { parseArgs } from './lib/args.ts';
import { runBench } from './lib/cleanup.ts';
import { benchDatabase, benchNats, processCpuMs, startScheduler } from './lib/infra.ts';
import { insertJobType, insertQueuedJobs } from './lib/jobs.ts';
import { measureClaimRate, measureWindowClaim } from './lib/pg-limits.ts';
import { BENCH_DIR, printTable, writeResult } from './lib/result.ts';
import { SimAgent } from './lib/sim-agent.ts';
import { nowMs, round, summarize, waitFor } from './lib/stats.ts';

const USAGE = `usage: ./scale bench p1-placements [options]
  --nodes N          simulated agents (default 100; --small: 5)
  --jobs N           queued jobs of 1 cpu / 1 GiB (default 10000; --small: 200)
  --cpus N           cpus each agent offers (default 16)
  --mem-gib N        memory each agent offers (default 64)
  --run-ms N         simulated run time of each job before COMPLETED (default 0)
  --heartbeat-ms N   agent heartbeat period (default 5000, the real agent's)
  --window N         SCALE_QUEUE_WINDOW: queued jobs one pass looks at (default 500)
  --max-launches N   SCALE_MAX_LAUNCHES_PER_PASS: launches one pass makes at most, and the rows of the raw
                     claim-and-update it is compared with (default 50)
  --claim-clients N  connections of the raw claim-rate loop (default 4, as in reference/peers.md)
  --rounds N         rounds of each raw measurement, the median is reported (default 3)
  --timeout-s N      give up after this long waiting for the launches (default 600)
  --cpu-prof         profile the scheduler process (a .cpuprofile in bench/results/, for Chrome DevTools)
  --out PATH         where to write the JSON result (default bench/results/p1-placements-<time>.json)
  --small            a quick smoke run`;

const args = parseArgs(USAGE, [
  'nodes',
  'jobs',
  'cpus',
  'mem-gib',
  'run-ms',
  'heartbeat-ms',
  'window',
  'max-launches',
  'claim-clients',
  'rounds',
  'timeout-s',
  'cpu-prof',
]);
const small = args.flag('small');
const options = {
  nodes: args.number('nodes', small ? 5 : 100),
  jobs: args.number('jobs', small ? 200 : 10_000),
  cpus: args.number('cpus', 16),
  memGiB: args.number('mem-gib', 64),
  runMs: args.number('run-ms', 0),
  heartbeatMs: args.number('heartbeat-ms', 5000),
  window: args.number('window', 500),
  maxLaunches: args.number('max-launches', 50),
  claimClients: args.number('claim-clients', 4),
  rounds: args.number('rounds', small ? 1 : 3),
  timeoutS: args.number('timeout-s', 600),
  cpuProf: args.flag('cpu-prof'),
  small,
};
const progress = (text: string) => process.stderr.write(`[p1] ${text}\n`);

runBench(async (cleanup) => {
  const startedAt = new Date().toISOString();
  const db = await benchDatabase(cleanup, 'p1', options.claimClients + 1);

  progress(`raw Postgres limits on ${options.jobs} rows`);
  const claim = await measureClaimRate(db.pool, {
    rows: options.jobs,
    batch: 50,
    clients: options.claimClients,
    rounds: options.rounds,
  });
  const windowClaim = await measureWindowClaim(db.pool, {
    rows: options.jobs,
    window: options.maxLaunches,
    rounds: options.rounds,
  });

  progress(`inserting ${options.jobs} queued jobs, scheduler paused`);
  const type = await insertJobType(db.pool, { name: 'bench-p1', cpus: 1, memMiB: 1024 });
  await insertQueuedJobs(db.pool, type, options.jobs);
  await db.pool.query('update scheduler set is_paused = true where id = 1');

  const nats = await benchNats(cleanup, 'p1');
  const scheduler = await startScheduler(cleanup, {
    databaseUrl: db.url,
    natsUrl: nats.url,
    subjects: nats.subjects,
    env: { SCALE_QUEUE_WINDOW: String(options.window), SCALE_MAX_LAUNCHES_PER_PASS: String(options.maxLaunches) },
    ...(options.cpuProf ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(BENCH_DIR, 'results')}`] } : {}),
  });

  progress(`starting ${options.nodes} simulated agents`);
  const seen = new Set<number>();
  let duplicates = 0;
  let lastLaunchAt = 0;
  const agents = Array.from(
    { length: options.nodes },
    (_, i) =>
      new SimAgent({
        natsUrl: nats.url,
        subjects: nats.subjects,
        agentId: `sim-${String(i + 1).padStart(3, '0')}`,
        resources: { cpus: options.cpus, mem: options.memGiB * 1024, disk: 1024 * 1024, gpus: 0 },
        heartbeatMs: options.heartbeatMs,
        runMs: options.runMs,
        onLaunch: ({ token, receivedAt }) => {
          if (seen.has(token.jobExeId)) duplicates++;
          seen.add(token.jobExeId);
          lastLaunchAt = Math.max(lastLaunchAt, receivedAt);
        },
      }),
  );
  cleanup.add('stop simulated agents', async () => void (await Promise.all(agents.map((a) => a.stop()))));
  for (let i = 0; i < agents.length; i += 20) await Promise.all(agents.slice(i, i + 20).map((a) => a.start()));
  await waitFor(
    async () =>
      (await db.pool.query<{ n: number }>(`select count(*)::int as n from node where state = 'READY'`)).rows[0]!.n >=
      options.nodes,
    'every simulated node to register',
    30_000,
  );

  progress('unpausing the scheduler');
  const cpuBefore = processCpuMs(scheduler.child.pid);
  const started = nowMs();
  await requestCommand(
    nats.nc,
    nats.subjects.command('scheduler', 'update-scheduler'),
    { isPaused: false },
    UpdateSchedulerResult,
  );
  await waitFor(() => seen.size >= options.jobs, `${options.jobs} launches`, options.timeoutS * 1000, 20);
  const cpuAfter = processCpuMs(scheduler.child.pid);
  const launchSeconds = (lastLaunchAt - started) / 1000;

  progress('waiting for the completions');
  let completedSeconds: number | undefined;
  if (options.runMs === 0 || options.runMs < 60_000) {
    await waitFor(
      async () =>
        (await db.pool.query<{ n: number }>(`select count(*)::int as n from job where status = 'COMPLETED'`)).rows[0]!
          .n >= options.jobs,
      'every job to complete',
      options.timeoutS * 1000,
      100,
    ).then(
      () => {
        completedSeconds = (nowMs() - started) / 1000;
      },
      (err: unknown) => progress(`not every job completed: ${(err as Error).message}`),
    );
  }

  const passes = scheduler.passes.filter((p) => p.launched > 0 && p.at >= Math.floor(started));
  const durations = passes.flatMap((p) => (p.durationMs === undefined ? [] : [p.durationMs]));
  const whole = summarize(durations);
  const decision = summarize(passes.flatMap((p) => (p.decisionMs === undefined ? [] : [p.decisionMs])));
  const passTimeS = durations.reduce((a, b) => a + b, 0) / 1000;
  const largest = passes.reduce<(typeof passes)[number] | undefined>(
    (best, p) => (!best || p.launched > best.launched ? p : best),
    undefined,
  );
  const placementsPerSecond = options.jobs / launchSeconds;
  const reportErrors = agents.reduce((n, a) => n + a.reportErrors, 0);
  const simulated = [
    `${options.nodes} simulated node agents: real NATS clients (one connection each) that speak the agent protocol — ` +
      `heartbeat on core NATS every ${options.heartbeatMs} ms offering ${options.cpus} cpus / ${options.memGiB} GiB, ` +
      'launches consumed from their own durable consumer on the NODE_CMDS work queue, RUNNING and COMPLETED ' +
      `task updates published to JetStream ${options.runMs} ms apart. No container runs.`,
    `Real: the scheduler process (services/scheduler/src/main.ts), PostgreSQL, nats-server. The ${options.jobs} jobs ` +
      `were inserted with SQL while the scheduler was paused; at most ${options.nodes * options.cpus} fit at once, so ` +
      'the run includes the completion path that frees capacity.',
  ];
  const rows = [
    {
      figure: `placements/s (unpause → ${options.jobs} launches received)`,
      measured: round(placementsPerSecond, 1),
      unit: 'jobs/s',
      target: '≥ 1,000 jobs/s',
      limit: { label: `raw PG claim, 50 rows/txn, ${options.claimClients} clients`, value: round(claim.jobsPerSecond) },
    },
    {
      figure: `decision p50 (${passes.length} passes: nodes + queue read, plan)`,
      measured: round(decision.p50, 2),
      unit: 'ms',
      target: '',
      limit: {
        label: `raw claim+update of ${options.maxLaunches} rows in 1 txn, p50`,
        value: round(windowClaim.p50, 2),
      },
    },
    {
      figure: 'decision p99',
      measured: round(decision.p99, 2),
      unit: 'ms',
      target: '≤ 50 ms',
      limit: {
        label: `raw claim+update of ${options.maxLaunches} rows in 1 txn, p99`,
        value: round(windowClaim.p99, 2),
      },
    },
    {
      figure: `whole pass p50 (decision + its writes, ${round(options.jobs / Math.max(1, passes.length), 1)} launches each)`,
      measured: round(whole.p50, 2),
      unit: 'ms',
      target: '',
      limit: {
        label: `raw claim+update of ${options.maxLaunches} rows in 1 txn, p50`,
        value: round(windowClaim.p50, 2),
      },
    },
    {
      figure: 'whole pass p99',
      measured: round(whole.p99, 2),
      unit: 'ms',
      target: '',
      limit: {
        label: `raw claim+update of ${options.maxLaunches} rows in 1 txn, p99`,
        value: round(windowClaim.p99, 2),
      },
    },
    {
      figure: 'placements per second of pass time',
      measured: round(options.jobs / passTimeS, 1),
      unit: 'jobs/s',
      target: '',
      limit: { label: `raw PG claim, 50 rows/txn, ${options.claimClients} clients`, value: round(claim.jobsPerSecond) },
    },
  ];
  printTable(
    `P1 scheduler placements: ${options.nodes} simulated nodes, ${options.jobs} queued jobs`,
    rows,
    simulated.concat(
      durations.length < passes.length
        ? ['The scheduler did not log durationMs on its pass lines: pass times are missing.']
        : [],
    ),
  );
  console.log(
    `\n  all ${options.jobs} launched in ${round(launchSeconds, 2)} s` +
      (completedSeconds === undefined ? '' : `, all completed ${round(completedSeconds, 2)} s after the unpause`) +
      `; scheduler CPU ${cpuBefore === undefined || cpuAfter === undefined ? '?' : round((cpuAfter - cpuBefore) / 1000, 2)} s` +
      ` in that time; largest pass ${largest?.launched ?? 0} launches in ${largest?.durationMs ?? '?'} ms;` +
      ` duplicate launches ${duplicates}; task updates not published ${reportErrors}`,
  );
  writeResult(
    {
      name: 'p1-placements',
      targets: ['P1'],
      startedAt,
      options,
      simulated,
      rows,
      details: {
        launchSeconds: round(launchSeconds, 3),
        completedSeconds: completedSeconds === undefined ? null : round(completedSeconds, 3),
        placementsPerSecond: round(placementsPerSecond, 1),
        passes: passes.length,
        launchesPerPass: summarize(passes.map((p) => p.launched)),
        largestPass: largest ? { launched: largest.launched, durationMs: largest.durationMs ?? null } : null,
        passDurationMs: whole,
        decisionMs: decision,
        passTimeSeconds: round(passTimeS, 3),
        schedulerCpuSeconds:
          cpuBefore === undefined || cpuAfter === undefined ? null : round((cpuAfter - cpuBefore) / 1000, 3),
        duplicateLaunches: duplicates,
        taskUpdatesNotPublished: reportErrors,
        rawClaim: claim,
        rawWindowClaimMs: windowClaim,
      },
    },
    args.given.out === undefined ? undefined : args.string('out', ''),
  );
});
