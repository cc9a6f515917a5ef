/**
 * P9 (../shared/BENCHMARKS.md): a lost node is detected and its executions requeued — target ≤ 30 s with the
 * default settings, configurable down to 5 s.
 *
 *   ./scale bench p9-lost-node            default settings (SCALE_NODE_LOST_MS unset), then SCALE_NODE_LOST_MS=5000
 *   ./scale bench p9-lost-node --small    SCALE_NODE_LOST_MS=2000 only, 2 executions (a smoke run)
 *
 * Per scenario: the real scheduler on its own database and subject prefix, a simulated agent ("victim") that
 * receives and starts N jobs, a second simulated agent ("survivor") with room for them. Right after one of its
 * heartbeats the victim stops beating and consuming (a crash). Measured from that last heartbeat: when the
 * scheduler ended the victim's executions with node-lost (job_exe.ended, the database clock of the same host) and
 * when the survivor received the relaunch of the last of them. The limit beside each figure is the deadline the
 * scheduler was configured with. Not a test: it asserts nothing about time.
 */
import { loadConfig } from '../services/scheduler/src/config.ts';
import { parseArgs } from './lib/args.ts';
import { Cleanup, runBench } from './lib/cleanup.ts';
import { benchDatabase, benchNats, startScheduler } from './lib/infra.ts';
import { insertJobType, insertQueuedJobs } from './lib/jobs.ts';
import { printTable, type ResultRow, writeResult } from './lib/result.ts';
import { SimAgent } from './lib/sim-agent.ts';
import { round, summarize, waitFor } from './lib/stats.ts';

const USAGE = `usage: ./scale bench p9-lost-node [options]
  --lost-ms LIST      scenarios: "default" (SCALE_NODE_LOST_MS unset) or a number of ms (default "default,5000";
                      --small: "2000")
  --jobs N            executions running on the node that is lost (default 4; --small: 2)
  --heartbeat-ms N    agent heartbeat period (default: 5000, the real agent's, or a third of the deadline if shorter)
  --out PATH          where to write the JSON result (default bench/results/p9-lost-node-<time>.json)
  --small             a quick smoke run`;

const args = parseArgs(USAGE, ['lost-ms', 'jobs', 'heartbeat-ms']);
const small = args.flag('small');
const DEFAULT_LOST_MS = loadConfig({ SCALE_DATABASE_URL: 'unused' }).nodeLostMs;
const scenarios = args
  .string('lost-ms', small ? '2000' : 'default,5000')
  .split(',')
  .map((s) => s.trim())
  .map((s) => {
    if (s === 'default') return { setting: 'default' as const, lostMs: DEFAULT_LOST_MS };
    const lostMs = Number(s);
    if (!Number.isInteger(lostMs) || lostMs <= 0) {
      console.error(`--lost-ms: not "default" or a positive integer: ${s}\n\n${USAGE}`);
      process.exit(2);
    }
    return { setting: lostMs, lostMs };
  });
const options = {
  scenarios: scenarios.map((s) => s.setting),
  defaultNodeLostMs: DEFAULT_LOST_MS,
  jobs: args.number('jobs', small ? 2 : 4),
  heartbeatMs: args.given['heartbeat-ms'] === undefined ? null : args.number('heartbeat-ms', 5000),
  small,
};
const progress = (text: string) => process.stderr.write(`[p9] ${text}\n`);

interface ScenarioResult {
  setting: 'default' | number;
  nodeLostMs: number;
  heartbeatMs: number;
  lastHeartbeatAt: string;
  /** From the victim's last heartbeat to its executions ended with node-lost (first, last), ms. */
  failedMs: { first: number; last: number };
  /** From the victim's last heartbeat to the relaunch arriving at the survivor (first, last), ms. */
  relaunchedMs: { first: number; last: number };
  errors: string[];
  passes: { at: number; lostNodes: number; launched: number; durationMs: number | undefined }[];
}

async function scenario(outer: Cleanup, setting: 'default' | number, nodeLostMs: number): Promise<ScenarioResult> {
  const cleanup = new Cleanup();
  const finish = outer.add(`scenario ${setting}`, () => cleanup.run());
  try {
    const heartbeatMs = options.heartbeatMs ?? Math.min(5000, Math.floor(nodeLostMs / 3));
    const label = setting === 'default' ? `default (${nodeLostMs})` : String(nodeLostMs);
    progress(`scenario SCALE_NODE_LOST_MS=${label}, heartbeat every ${heartbeatMs} ms`);
    const db = await benchDatabase(cleanup, 'p9', 2);
    const nats = await benchNats(cleanup, 'p9');
    const type = await insertJobType(db.pool, { name: 'bench-p9', cpus: 1, memMiB: 1024, maxTries: 3 });
    await insertQueuedJobs(db.pool, type, options.jobs);
    const scheduler = await startScheduler(cleanup, {
      databaseUrl: db.url,
      natsUrl: nats.url,
      subjects: nats.subjects,
      env: setting === 'default' ? {} : { SCALE_NODE_LOST_MS: String(nodeLostMs) },
    });
    const agent = (agentId: string) =>
      new SimAgent({
        natsUrl: nats.url,
        subjects: nats.subjects,
        agentId,
        resources: { cpus: 16, mem: 65_536, disk: 1024 * 1024, gpus: 0 },
        heartbeatMs,
        runMs: null,
      });
    const victim = agent('victim');
    const survivor = agent('survivor');
    cleanup.add('stop simulated agents', async () => {
      await survivor.stop();
      await victim.stop();
    });

    await victim.start();
    await waitFor(() => victim.launches.length >= options.jobs, 'launches on the victim', 30_000);
    await waitFor(
      async () =>
        (await db.pool.query<{ n: number }>('select count(*)::int as n from job_exe where started is not null'))
          .rows[0]!.n >= options.jobs,
      'the victim executions to be RUNNING',
      30_000,
    );
    await survivor.start();
    await waitFor(
      async () =>
        (await db.pool.query<{ n: number }>(`select count(*)::int as n from node where state = 'READY'`)).rows[0]!.n >=
        2,
      'the survivor to register',
      30_000,
    );

    await victim.nextBeat();
    const lastBeat = (await victim.crash())!;
    progress(`victim crashed right after its heartbeat at ${new Date(lastBeat).toISOString()}`);
    await waitFor(
      () => survivor.launches.length >= options.jobs,
      'the relaunches on the survivor',
      nodeLostMs + 60_000,
      20,
    );

    const ended = await db.pool.query<{ ended_ms: number; status: string; error: string | null }>(
      `select extract(epoch from e.ended) * 1000 as ended_ms, e.status, er.name as error
         from job_exe e join node n on n.id = e.node_id left join error er on er.id = e.error_id
        where n.agent_id = 'victim'`,
    );
    const errors: string[] = [];
    for (const row of ended.rows) {
      if (row.status !== 'FAILED' || row.error !== 'node-lost')
        errors.push(`victim execution ended ${row.status} with ${row.error ?? 'no error'}, not FAILED node-lost`);
    }
    const relaunchedJobs = new Set(survivor.launches.map((l) => l.token.jobId));
    const victimJobs = new Set(victim.launches.map((l) => l.token.jobId));
    if ([...victimJobs].some((id) => !relaunchedJobs.has(id))) errors.push('not every lost job was relaunched');
    const failedAt = ended.rows.map((r) => Number(r.ended_ms) - lastBeat);
    const relaunchedAt = survivor.launches.map((l) => l.receivedAt - lastBeat);
    return {
      setting,
      nodeLostMs,
      heartbeatMs,
      lastHeartbeatAt: new Date(lastBeat).toISOString(),
      failedMs: { first: round(Math.min(...failedAt), 1), last: round(Math.max(...failedAt), 1) },
      relaunchedMs: { first: round(Math.min(...relaunchedAt), 1), last: round(Math.max(...relaunchedAt), 1) },
      errors,
      passes: scheduler.passes
        .filter((p) => p.at >= lastBeat - 1000)
        .map(({ at, lostNodes, launched, durationMs }) => ({ at, lostNodes, launched, durationMs })),
    };
  } finally {
    await finish();
  }
}

runBench(async (cleanup) => {
  const startedAt = new Date().toISOString();
  const results: ScenarioResult[] = [];
  for (const { setting, lostMs } of scenarios) results.push(await scenario(cleanup, setting, lostMs));

  const rows: ResultRow[] = results.flatMap((r) => {
    const name =
      r.setting === 'default' ? `default settings (${r.nodeLostMs} ms)` : `SCALE_NODE_LOST_MS=${r.nodeLostMs}`;
    const target = r.setting === 'default' ? '≤ 30 s' : r.nodeLostMs >= 5000 ? `≈ ${r.nodeLostMs / 1000} s` : '';
    const limit = { label: 'configured deadline', value: r.nodeLostMs / 1000 };
    return [
      {
        figure: `${name}: last heartbeat → executions failed node-lost`,
        measured: round(r.failedMs.last / 1000, 2),
        unit: 's',
        target,
        limit,
      },
      {
        figure: `${name}: last heartbeat → relaunch received by the other agent`,
        measured: round(r.relaunchedMs.last / 1000, 2),
        unit: 's',
        target,
        limit,
      },
    ];
  });
  const simulated = [
    `Two simulated node agents per scenario: real NATS clients speaking the agent protocol (heartbeats on core NATS, ` +
      'launches from their durable consumer on the NODE_CMDS work queue, RUNNING task updates to JetStream); no ' +
      `container runs. The crash is simulated: the victim stops heartbeating and consuming right after a heartbeat.`,
    'Real: the scheduler process (services/scheduler/src/main.ts, pass interval SCALE_SCHEDULE_INTERVAL_MS at its ' +
      'default), PostgreSQL, nats-server. Times are from the last heartbeat, so they include the whole deadline.',
  ];
  printTable(`P9 lost node: ${options.jobs} running executions on the lost node`, rows, simulated);
  const problems = results.flatMap((r) => r.errors.map((e) => `${r.setting}: ${e}`));
  for (const problem of problems) console.log(`  problem: ${problem}`);
  writeResult(
    {
      name: 'p9-lost-node',
      targets: ['P9'],
      startedAt,
      options,
      simulated,
      rows,
      details: {
        scenarios: results,
        passDurationMs: summarize(
          results.flatMap((r) => r.passes.flatMap((p) => (p.durationMs === undefined ? [] : [p.durationMs]))),
        ),
      },
    },
    args.given.out === undefined ? undefined : args.string('out', ''),
  );
});
