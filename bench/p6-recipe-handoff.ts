/**
 * P6 (../shared/BENCHMARKS.md): recipe hand-off, job completed → dependent job queued — target p50 ≤ 10 ms,
 * p99 ≤ 50 ms.
 *
 *   ./scale bench p6-recipe-handoff              200 recipes, each a chain of 6 jobs (1,000 hand-offs), 1 at a time
 *   ./scale bench p6-recipe-handoff --parallel 8 8 recipes in flight at once
 *   ./scale bench p6-recipe-handoff --small      10 recipes of 4 jobs (a smoke run)
 *
 * The real scheduler and recipe engine processes run on their own database and subject prefix; simulated node
 * agents (real NATS clients speaking the agent protocol: heartbeats, launches from their durable consumer,
 * RUNNING then COMPLETED reported at once) stand in for Docker. Recipes are created through recipes.create.
 *
 * A hand-off is measured with the database's clock on both ends: from the transaction that recorded the parent
 * job COMPLETED (job.ended) to the one that queued its child (job.queued). In between: the scheduler's outbox
 * relay publishes the status event, the engine consumes it, reads the recipe tree, and asks the scheduler (NATS
 * request/reply) to queue the child. Beside it, measured in the same run before the services start: a NATS
 * request/reply round trip, a JetStream publish → durable pull consumer delivery, and a single-row Postgres
 * commit; their sum (one event hop, one command, two commits) is the floor a hand-off is compared with.
 * Not a test: it asserts nothing about time.
 */
import { randomUUID } from 'node:crypto';
import { CreateRecipeResult, type Subjects } from '@scale/contracts';
import { ensureDurableConsumer, jetstream, type NatsConnection, requestCommand } from '@scale/runtime';
import type pg from 'pg';
import { parseArgs } from './lib/args.ts';
import { runBench } from './lib/cleanup.ts';
import { benchDatabase, benchNats, startScheduler, startService } from './lib/infra.ts';
import { insertJobType } from './lib/jobs.ts';
import { printTable, type ResultRow, writeResult } from './lib/result.ts';
import { SimAgent } from './lib/sim-agent.ts';
import { nowMs, round, type Summary, summarize, waitFor } from './lib/stats.ts';

const USAGE = `usage: ./scale bench p6-recipe-handoff [options]
  --recipes N     recipes to run (default 200; --small: 10)
  --chain N       jobs per recipe, each depending on the previous one (default 6; --small: 4)
  --parallel N    recipes in flight at once (default 1: the hand-off of an otherwise idle platform)
  --agents N      simulated node agents (default 2)
  --samples N     samples of each raw limit (default 500; --small: 100)
  --timeout-s N   give up after this long waiting for the recipes (default 600)
  --out PATH      where to write the JSON result (default bench/results/p6-recipe-handoff-<time>.json)
  --small         a quick smoke run`;

const args = parseArgs(USAGE, ['recipes', 'chain', 'parallel', 'agents', 'samples', 'timeout-s']);
const small = args.flag('small');
const options = {
  recipes: args.number('recipes', small ? 10 : 200),
  chain: Math.max(2, args.number('chain', small ? 4 : 6)),
  parallel: Math.max(1, args.number('parallel', 1)),
  agents: Math.max(1, args.number('agents', 2)),
  samples: args.number('samples', small ? 100 : 500),
  timeoutS: args.number('timeout-s', 600),
  small,
};
const progress = (text: string) => process.stderr.write(`[p6] ${text}\n`);

/** NATS request/reply round trips to a responder on the same server (core NATS, as the engine's commands). */
async function measureRequestReply(nc: NatsConnection, subjects: Subjects, samples: number): Promise<Summary> {
  const subject = `${subjects.prefix}.rawbench.echo`;
  const sub = nc.subscribe(subject, {
    callback: (_err, msg) => {
      msg.respond(msg.data);
    },
  });
  try {
    const payload = JSON.stringify({ jobs: [{ jobId: 1, input: { files: {}, json: { X: 1 } } }] });
    const times: number[] = [];
    for (let i = 0; i < samples + 10; i++) {
      const t = nowMs();
      await nc.request(subject, payload, { timeout: 5000 });
      if (i >= 10) times.push(nowMs() - t);
    }
    return summarize(times);
  } finally {
    sub.unsubscribe();
  }
}

/** JetStream publish → delivery to a durable pull consumer, one message at a time (the status event's hop). */
async function measureJetStreamHop(nc: NatsConnection, subjects: Subjects, samples: number): Promise<Summary> {
  const js = jetstream(nc);
  const jsm = await js.jetstreamManager();
  const stream = `${subjects.streams.events.name}_RAWHOP`;
  const subject = `${subjects.prefix}.rawbench.hop`;
  await jsm.streams.add({ name: stream, subjects: [subject] });
  try {
    await ensureDurableConsumer(nc, stream, 'rawhop', subject);
    const messages = await (await js.consumers.get(stream, 'rawhop')).consume({ max_messages: 16 });
    const times: number[] = [];
    const iterator = messages[Symbol.asyncIterator]();
    for (let i = 0; i < samples + 10; i++) {
      const t = nowMs();
      await js.publish(subject, JSON.stringify({ jobId: i, status: 'COMPLETED' }), { msgID: `hop:${i}` });
      const next = await iterator.next();
      next.value?.ack();
      if (i >= 10) times.push(nowMs() - t);
    }
    // Ending the iteration first lets close() return (it waits for the consumer loop to finish).
    await iterator.return?.();
    await messages.close();
    return summarize(times);
  } finally {
    await jsm.streams.delete(stream).catch(() => undefined);
  }
}

/** Single-row insert + commit latency, one client (what each transaction of a hand-off at least costs). */
async function measureCommit(pool: pg.Pool, samples: number): Promise<Summary> {
  await pool.query('create table if not exists bench_commit (id bigserial primary key, payload jsonb not null)');
  const client = await pool.connect();
  try {
    const times: number[] = [];
    for (let i = 0; i < samples + 10; i++) {
      const t = nowMs();
      await client.query('begin');
      await client.query('insert into bench_commit (payload) values ($1)', [JSON.stringify({ i })]);
      await client.query('commit');
      if (i >= 10) times.push(nowMs() - t);
    }
    return summarize(times);
  } finally {
    client.release();
    await pool.query('drop table bench_commit');
  }
}

function chainDefinition(nodes: number) {
  const name = (i: number) => `n${String(i).padStart(2, '0')}`;
  return {
    input: {},
    nodes: Object.fromEntries(
      Array.from({ length: nodes }, (_, i) => [
        name(i),
        {
          dependencies: i === 0 ? [] : [{ name: name(i - 1) }],
          input: {},
          node_type: { node_type: 'job', job_type_name: 'bench-p6', job_type_version: '1.0.0', job_type_revision: 1 },
        },
      ]),
    ),
  };
}

runBench(async (cleanup) => {
  const startedAt = new Date().toISOString();
  const db = await benchDatabase(cleanup, 'p6', 4);
  const nats = await benchNats(cleanup, 'p6');

  progress(`raw limits: ${options.samples} NATS round trips, JetStream hops and Postgres commits`);
  const rtt = await measureRequestReply(nats.nc, nats.subjects, options.samples);
  const hop = await measureJetStreamHop(nats.nc, nats.subjects, options.samples);
  const commit = await measureCommit(db.pool, options.samples);
  const floor = { p50: hop.p50 + rtt.p50 + 2 * commit.p50, p99: hop.p99 + rtt.p99 + 2 * commit.p99 };

  await insertJobType(db.pool, { name: 'bench-p6', cpus: 0.01, memMiB: 1 });
  const definition = JSON.stringify(chainDefinition(options.chain));
  const recipeType = await db.pool.query<{ id: number }>(
    `insert into recipe_type (name, title, definition) values ('bench-p6-chain', 'P6 chain', $1) returning id`,
    [definition],
  );
  const recipeTypeId = recipeType.rows[0]!.id;
  await db.pool.query(
    `insert into recipe_type_revision (recipe_type_id, revision_num, definition) values ($1, 1, $2)`,
    [recipeTypeId, definition],
  );

  const env = { SCALE_DATABASE_URL: db.url, SCALE_NATS_URL: nats.url, SCALE_SUBJECT_PREFIX: nats.subjects.prefix };
  await startScheduler(cleanup, { databaseUrl: db.url, natsUrl: nats.url, subjects: nats.subjects });
  await startService(cleanup, {
    name: 'recipe-engine',
    script: 'services/recipe-engine/src/main.ts',
    env: { ...env, SCALE_LOG_LEVEL: 'info', SCALE_RECIPE_ENGINE_ID: `bench-${nats.subjects.prefix}` },
    ready: (line) => line.includes('"recipe engine started"'),
  });
  const agents = Array.from(
    { length: options.agents },
    (_, i) =>
      new SimAgent({
        natsUrl: nats.url,
        subjects: nats.subjects,
        agentId: `sim-p6-${i + 1}`,
        resources: { cpus: 64, mem: 65_536, disk: 100_000, gpus: 0 },
        heartbeatMs: 5000,
        runMs: 0,
      }),
  );
  cleanup.add('stop simulated agents', async () => void (await Promise.all(agents.map((a) => a.stop()))));
  await Promise.all(agents.map((a) => a.start()));
  await waitFor(
    async () =>
      (await db.pool.query<{ n: number }>(`select count(*)::int as n from node where state = 'READY'`)).rows[0]!.n >=
      options.agents,
    'the simulated nodes to register',
    30_000,
  );

  // When each COMPLETED status event was published (a core subscription sees what the stream stores), to split a
  // hand-off into the scheduler's part (commit → event published) and the engine's (event → child queued).
  const eventAt = new Map<number, number>();
  const events = nats.nc.subscribe(nats.subjects.jobStatusEvent(), {
    callback: (_err, msg) => {
      const event = msg.json<{ jobId: number; status: string }>();
      if (event.status === 'COMPLETED' && !eventAt.has(event.jobId)) eventAt.set(event.jobId, nowMs());
    },
  });
  cleanup.add('unsubscribe from status events', () => events.unsubscribe());

  const runRecipe = async (): Promise<number> => {
    const { recipeId } = await requestCommand(
      nats.nc,
      nats.subjects.command('recipes', 'create'),
      { recipeTypeId, input: { files: {}, json: {} }, idempotencyKey: randomUUID() },
      CreateRecipeResult,
    );
    await waitFor(
      async () =>
        (await db.pool.query<{ done: boolean }>('select is_completed as done from recipe where id = $1', [recipeId]))
          .rows[0]?.done,
      `recipe ${recipeId} to complete`,
      options.timeoutS * 1000,
      5,
    );
    return recipeId;
  };

  progress('warming up (3 recipes)');
  for (let i = 0; i < 3; i++) await runRecipe();
  const warmUp = (await db.pool.query<{ id: string }>('select max(id) as id from recipe')).rows[0]!.id;

  progress(`running ${options.recipes} recipes of ${options.chain} jobs, ${options.parallel} at a time`);
  const started = nowMs();
  let next = 0;
  await Promise.all(
    Array.from({ length: options.parallel }, async () => {
      while (next < options.recipes) {
        next++;
        await runRecipe();
      }
    }),
  );
  const seconds = (nowMs() - started) / 1000;

  const handoffs = await db.pool.query<{ ms: number; parent: string; ended: number; queued: number }>(
    `select extract(epoch from (c.queued - p.ended)) * 1000 as ms, p.id as parent,
            extract(epoch from p.ended) * 1000 as ended, extract(epoch from c.queued) * 1000 as queued
       from job p
       join job c on c.recipe_id = p.recipe_id
        and c.recipe_node_name = 'n' || lpad((substring(p.recipe_node_name from 2)::int + 1)::text, 2, '0')
      where p.recipe_id > $1`,
    [warmUp],
  );
  const perRecipe = await db.pool.query<{ ms: number }>(
    `select extract(epoch from (completed - created)) * 1000 as ms from recipe where id > $1 and is_completed`,
    [warmUp],
  );
  // Where the slowest recipe spent its time: each job's created, queued, started and ended, ms after the recipe.
  const slowest = await db.pool.query<{
    node: string;
    created: number;
    queued: number;
    started: number;
    ended: number;
  }>(
    `with slow as (select id, created from recipe where id > $1 and is_completed order by completed - created desc limit 1)
     select j.recipe_node_name as node,
            round(extract(epoch from (j.created - slow.created)) * 1000) as created,
            round(extract(epoch from (j.queued - slow.created)) * 1000) as queued,
            round(extract(epoch from (j.started - slow.created)) * 1000) as started,
            round(extract(epoch from (j.ended - slow.created)) * 1000) as ended
       from slow join job j on j.recipe_id = slow.id order by j.recipe_node_name`,
    [warmUp],
  );
  const handoff = summarize(handoffs.rows.map((r) => Number(r.ms)));
  const split = handoffs.rows.flatMap((r) => {
    const at = eventAt.get(Number(r.parent));
    return at === undefined ? [] : [{ scheduler: at - Number(r.ended), engine: Number(r.queued) - at }];
  });
  const schedulerPart = summarize(split.map((s) => s.scheduler));
  const enginePart = summarize(split.map((s) => s.engine));
  const recipeMs = summarize(perRecipe.rows.map((r) => Number(r.ms)));
  const duplicates = (
    await db.pool.query<{ n: number }>(
      `select count(*)::int as n from (select recipe_id, recipe_node_name from job where recipe_id is not null
         group by 1, 2 having count(*) > 1) d`,
    )
  ).rows[0]!.n;

  const simulated = [
    `${options.agents} simulated node agents: real NATS clients that speak the agent protocol (heartbeat, launches ` +
      'from their own durable consumer, RUNNING and COMPLETED task updates published at once). No container runs.',
    'Real: the scheduler and recipe engine processes, PostgreSQL, nats-server; recipes created with recipes.create.',
  ];
  const rows: ResultRow[] = [
    {
      figure: `hand-off p50 (${handoff.n} hand-offs: parent COMPLETED → child QUEUED, DB clock)`,
      measured: round(handoff.p50, 2),
      unit: 'ms',
      target: '≤ 10 ms',
      limit: { label: 'floor p50: JetStream hop + NATS round trip + 2 PG commits', value: round(floor.p50, 2) },
    },
    {
      figure: 'hand-off p99',
      measured: round(handoff.p99, 2),
      unit: 'ms',
      target: '≤ 50 ms',
      limit: { label: 'floor p99: JetStream hop + NATS round trip + 2 PG commits', value: round(floor.p99, 2) },
    },
    {
      figure: 'of which: scheduler, parent COMPLETED → status event published, p50',
      measured: round(schedulerPart.p50, 2),
      unit: 'ms',
      limit: { label: 'raw JetStream publish → durable consumer p50', value: round(hop.p50, 3) },
    },
    {
      figure: 'of which: recipe engine, status event → child QUEUED, p50',
      measured: round(enginePart.p50, 2),
      unit: 'ms',
      limit: { label: 'NATS round trip + 2 PG commits, p50', value: round(rtt.p50 + 2 * commit.p50, 3) },
    },
    { figure: 'raw NATS request/reply round trip p50', measured: round(rtt.p50, 3), unit: 'ms' },
    { figure: 'raw JetStream publish → durable consumer p50', measured: round(hop.p50, 3), unit: 'ms' },
    { figure: 'raw Postgres single-row commit p50', measured: round(commit.p50, 3), unit: 'ms' },
    {
      figure: `recipe created → completed p50 (${options.chain} jobs)`,
      measured: round(recipeMs.p50, 1),
      unit: 'ms',
      limit: { label: `${options.chain - 1} × hand-off floor p50`, value: round((options.chain - 1) * floor.p50, 2) },
    },
    { figure: 'recipes per second', measured: round(options.recipes / seconds, 2), unit: 'recipes/s' },
    { figure: 'duplicate jobs for one recipe node', measured: duplicates, unit: 'jobs' },
  ];
  printTable('P6 recipe hand-off (job completed → dependent job queued)', rows, simulated);
  writeResult(
    {
      name: 'p6-recipe-handoff',
      targets: ['P6'],
      startedAt,
      options,
      simulated,
      rows,
      details: {
        handoff,
        schedulerPart,
        enginePart,
        recipeMs,
        rawRequestReply: rtt,
        rawJetStreamHop: hop,
        rawCommit: commit,
        floor,
        seconds,
        slowestRecipe: slowest.rows,
      },
    },
    args.given.out === undefined ? undefined : args.string('out', ''),
  );
});
