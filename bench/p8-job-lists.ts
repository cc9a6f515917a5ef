/**
 * P8: job list queries with 1M jobs in the table (../shared/BENCHMARKS.md): p99 ≤ 100 ms for any documented
 * filter and order at page_size 100.
 *
 *   ./scale bench p8-job-lists                  1,000,000 jobs (about two minutes to load on 2 cores)
 *   ./scale bench p8-job-lists --small          a quick smoke run (20,000 jobs, 20 requests per case)
 *   options: --jobs N  --samples N (timed requests per case, default 100)
 *            --reuse (keep the loaded database after the run, and use it again when it holds --jobs jobs)
 *            --database-url postgres://... (an admin connection; default the local test server)  --out file
 *
 * It bulk-loads its own database with server-side generate_series, then sends every case through the real API
 * handlers (Fastify inject: routing, validation, SQL, serialization) and prints p50/p99 beside a plain indexed
 * SELECT of 100 jobs and a bare count(*) of the table, both measured in the same run on the same pool. Writes
 * the common JSON result (bench/lib/result.ts) to bench/results/. Not a test: it asserts nothing about time.
 */
import { subjectsFor } from '../packages/contracts/src/index.ts';
import { migrate, type Orm, openOrm } from '../packages/db/src/index.ts';
import { connectNats, createLogger } from '../packages/runtime/src/index.ts';
import { buildServer } from '../services/api/src/server.ts';
import { parseArgs } from './lib/args.ts';
import { type ResultRow, writeResult } from './lib/result.ts';
import { percentile, round } from './lib/stats.ts';

const USAGE = `usage: ./scale bench p8-job-lists [--small] [--jobs N (≥ 1000)] [--samples N] [--reuse]
       [--database-url postgres://...] [--out result.json]`;
const DATABASE = 'scale_bench_p8';
const TARGET_P99_MS = 100;

const args = parseArgs(USAGE, ['jobs', 'samples', 'reuse', 'database-url']);
const SMALL = args.flag('small');
const JOBS = args.number('jobs', SMALL ? 20_000 : 1_000_000);
const SAMPLES = args.number('samples', SMALL ? 20 : 100);
const REUSE = args.flag('reuse');
const ADMIN_URL = args.string(
  'database-url',
  process.env.SCALE_TEST_DATABASE_URL ?? 'postgres://scale:scale@127.0.0.1:5432/postgres',
);
const NATS_URL = process.env.SCALE_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
if (!Number.isInteger(JOBS) || JOBS < 1000 || !Number.isInteger(SAMPLES) || SAMPLES < 1) {
  console.error(USAGE);
  process.exit(2);
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const log = (text: string) => process.stderr.write(`${text}\n`);

/**
 * 20 job types (type-20 holds 0.1% of the jobs, a selective filter), 20 nodes; statuses 70% COMPLETED, 10%
 * FAILED (builtin errors), 8% QUEUED, 5% CANCELED, 1% RUNNING, 1% PENDING; last_modified spread over 90 days
 * in id order; half the jobs in recipes of 2, a fifth in batches of 1,000; 5% superseded. One execution per
 * started job. FK checks are off for the load only (session_replication_role), as a bulk restore does.
 */
const LOAD_SQL = (jobs: number) => [
  'set session_replication_role = replica',
  `insert into job_type (name, version, title, description, docker_image, manifest)
   select 'type-' || lpad(i::text, 2, '0'), '1.0.0', 'Type ' || i, 'Benchmark job type ' || i, 'bench:1',
     jsonb_build_object('seedVersion', '1.0.0', 'job', jsonb_build_object(
       'name', 'type-' || lpad(i::text, 2, '0'), 'jobVersion', '1.0.0', 'packageVersion', '1.0.0', 'timeout', 600,
       'tags', jsonb_build_array(case when i % 4 = 0 then 'system' else 'processing' end),
       'resources', jsonb_build_object('scalar', jsonb_build_array(jsonb_build_object('name', 'cpus', 'value', 1))),
       'interface', jsonb_build_object('command', 'run \${INPUT}',
         'inputs', jsonb_build_object('files', '[]'::jsonb, 'json', jsonb_build_array(jsonb_build_object(
           'name', 'INPUT', 'type', 'string', 'required', true))),
         'outputs', jsonb_build_object('files', '[]'::jsonb, 'json', '[]'::jsonb),
         'mounts', '[]'::jsonb, 'settings', '[]'::jsonb),
       'errors', '[]'::jsonb))
   from generate_series(1, 20) i`,
  `insert into job_type_revision (job_type_id, revision_num, docker_image, manifest)
   select id, 1, docker_image, manifest from job_type`,
  `insert into node (agent_id, hostname) select 'agent-' || i, 'host-' || i || '.bench' from generate_series(1, 20) i`,
  `insert into job (job_type_id, job_type_rev_id, status, priority, max_tries, num_exes, input, input_file_size,
                    error_id, node_id, is_superseded, superseded, superseded_job_id, root_superseded_job_id,
                    recipe_id, batch_id, created, queued, started, ended, last_status_change, last_modified)
   select jt, jt, st, 100, 3, case when st in ('PENDING', 'QUEUED') then 0 else 1 end,
     jsonb_build_object('files', '{}'::jsonb, 'json', jsonb_build_object('INPUT', 'value-' || i)), 0,
     case when st = 'FAILED' then errors[1 + i % array_length(errors, 1)] end,
     case when st not in ('PENDING', 'QUEUED') then 1 + i % 20 end,
     i % 20 = 0, case when i % 20 = 0 then t + interval '40 seconds' end,
     case when i % 20 = 1 and i > 1 then i - 1 end, case when i % 20 = 1 and i > 1 then i - 1 end,
     case when i % 2 = 0 then i / 4 end, case when i % 5 = 0 then 1 + i / 5000 end,
     t, case when st <> 'PENDING' then t + interval '1 second' end,
     case when st not in ('PENDING', 'QUEUED') then t + interval '2 seconds' end,
     case when st in ('COMPLETED', 'FAILED', 'CANCELED') then t + interval '30 seconds' end,
     t + interval '30 seconds', t + interval '31 seconds'
   from (
     select i, case when i % 1000 = 0 then 20 else 1 + (hashint4(i) & 2147483647) % 19 end as jt,
       (array['COMPLETED','COMPLETED','COMPLETED','COMPLETED','COMPLETED','COMPLETED','COMPLETED','FAILED','QUEUED',
              'CANCELED'])[1 + (hashint4(i + 7) & 2147483647) % 10] as s0,
       now() - interval '90 days' + i * (interval '90 days' / ${jobs}) as t,
       (select array_agg(id order by id) from error where is_builtin) as errors
     from generate_series(1, ${jobs}) i
   ) g,
   lateral (select case when s0 = 'QUEUED' and i % 10 = 1 then 'RUNNING'
                        when s0 = 'QUEUED' and i % 10 = 2 then 'PENDING' else s0 end as st) s`,
  `insert into job_exe (job_id, job_type_id, exe_num, cluster_id, node_id, epoch, docker_image, timeout,
                        input_file_size, resources, configuration, status, error_id, queued, started, ended, created)
   select id, job_type_id, 1, 'scale_' || id || '_1', node_id, 1, 'bench:1', 600, 0,
     '{"cpus": 1, "mem": 128, "disk": 0, "gpus": 0}', '{}', status, error_id, queued, started, ended, queued
   from job where num_exes = 1`,
  'set session_replication_role = origin',
];

async function prepareDatabase(): Promise<Orm> {
  const admin = await openOrm({ url: ADMIN_URL, poolSize: 1 });
  const url = withDatabase(ADMIN_URL, DATABASE);
  try {
    const exists = (await admin.em.fork().execute(`select 1 from pg_database where datname = ?`, [DATABASE])).length;
    if (exists && REUSE) {
      const orm = await openOrm({ url });
      const [row] = await orm.em.fork().execute<{ n: string }[]>('select count(*) as n from job');
      if (Number(row?.n) === JOBS) {
        log(`reusing ${DATABASE} with ${JOBS} jobs`);
        await migrate(orm);
        return orm;
      }
      await orm.close();
    }
    await admin.em.fork().execute(`drop database if exists ${DATABASE} with (force)`);
    await admin.em.fork().execute(`create database ${DATABASE}`);
  } finally {
    await admin.close();
  }
  const orm = await openOrm({ url });
  await migrate(orm);
  const started = performance.now();
  // One connection for the whole load: session_replication_role is a session setting.
  await orm.em.fork().transactional(async (em) => {
    for (const sql of LOAD_SQL(JOBS)) await em.execute(sql);
  });
  const loaded = performance.now();
  await orm.em.fork().execute('vacuum analyze');
  log(
    `loaded ${JOBS} jobs in ${((loaded - started) / 1000).toFixed(1)} s, vacuum analyze ${((performance.now() - loaded) / 1000).toFixed(1)} s`,
  );
  return orm;
}

async function timeIt(run: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 2; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

interface Case {
  name: string;
  url: string;
}

function cases(ids: { someJobs: number[]; recipe: number; batch: number; error: number }): Case[] {
  const list: Case[] = [
    { name: 'v6 default (last_modified)', url: '/v6/jobs/' },
    { name: 'v6 status=COMPLETED (70%)', url: '/v6/jobs/?status=COMPLETED' },
    { name: 'v6 status=FAILED (10%)', url: '/v6/jobs/?status=FAILED' },
    { name: 'v6 status=RUNNING|PENDING', url: '/v6/jobs/?status=RUNNING&status=PENDING' },
    { name: 'v6 job_id ×10', url: `/v6/jobs/?${ids.someJobs.map((id) => `job_id=${id}`).join('&')}` },
    { name: 'v6 job_type_id (5%)', url: '/v6/jobs/?job_type_id=3' },
    { name: 'v6 job_type_id (0.1%)', url: '/v6/jobs/?job_type_id=20' },
    {
      name: 'v6 job_type_id ×5 (26%)',
      url: '/v6/jobs/?job_type_id=1&job_type_id=2&job_type_id=3&job_type_id=4&job_type_id=5',
    },
    { name: 'v6 job_type_name', url: '/v6/jobs/?job_type_name=type-07' },
    { name: 'v6 batch_id', url: `/v6/jobs/?batch_id=${ids.batch}` },
    { name: 'v6 recipe_id', url: `/v6/jobs/?recipe_id=${ids.recipe}` },
    { name: 'v6 error_category=SYSTEM', url: '/v6/jobs/?error_category=SYSTEM' },
    { name: 'v6 error_id', url: `/v6/jobs/?error_id=${ids.error}` },
    { name: 'v6 is_superseded=true (5%)', url: '/v6/jobs/?is_superseded=true' },
    { name: 'v6 is_superseded=false (95%)', url: '/v6/jobs/?is_superseded=false' },
    { name: 'v6 started=P1D', url: '/v6/jobs/?started=P1D' },
    { name: 'v6 started=P30D&ended=P29D', url: '/v6/jobs/?started=P30D&ended=P29D' },
    { name: 'v6 status=FAILED&order=-last_modified', url: '/v6/jobs/?status=FAILED&order=-last_modified' },
    { name: 'v6 job_type_id (0.1%)&order=-started', url: '/v6/jobs/?job_type_id=20&order=-started' },
    { name: 'v6 page 50 (offset 4,900)', url: '/v6/jobs/?order=-last_modified&page=50' },
  ];
  for (const field of ['id', 'created', 'queued', 'started', 'ended', 'last_status_change', 'last_modified']) {
    list.push({ name: `v6 order=${field}`, url: `/v6/jobs/?order=${field}` });
    list.push({ name: `v6 order=-${field}`, url: `/v6/jobs/?order=-${field}` });
  }
  list.push(
    { name: 'v5 /jobs/ default (not superseded)', url: '/jobs/' },
    { name: 'v5 /jobs/ job_type_category=system', url: '/jobs/?job_type_category=system' },
    {
      name: 'v5 /jobs/ error_category=SYSTEM&order=-last_modified',
      url: '/jobs/?error_category=SYSTEM&order=-last_modified',
    },
    { name: 'v5 /jobs/ include_superseded=true', url: '/jobs/?include_superseded=true' },
    { name: 'v5 /jobs/updates/ default', url: '/jobs/updates/' },
    { name: 'v5 /jobs/updates/ started=P1D', url: '/jobs/updates/?started=P1D' },
    { name: 'v5 /jobs/executions/ default', url: '/jobs/executions/' },
    { name: 'v5 /jobs/executions/ status=FAILED', url: '/jobs/executions/?status=FAILED' },
  );
  return list.map((c) => ({ ...c, url: `${c.url}${c.url.includes('?') ? '&' : '?'}page_size=100` }));
}

const fmt = (ms: number) => ms.toFixed(1).padStart(7);

async function main() {
  const startedAt = new Date().toISOString();
  const orm = await prepareDatabase();
  const nc = await connectNats(NATS_URL, 'bench-p8');
  const app = buildServer({
    orm,
    nc,
    subjects: subjectsFor('benchp8'),
    log: createLogger({ service: 'api', level: 'silent' }),
    version: 'bench',
  });
  await app.ready();
  try {
    const em = orm.em.fork();
    const pick = async (sql: string) => Number((await em.execute<{ id: string }[]>(sql))[0]?.id);
    const ids = {
      someJobs: Array.from({ length: 10 }, (_, i) => 1 + Math.floor(((i + 0.5) * JOBS) / 10)),
      recipe: await pick('select recipe_id as id from job where recipe_id is not null order by id desc limit 1'),
      batch: await pick('select batch_id as id from job where batch_id is not null order by id desc limit 1'),
      error: await pick('select error_id as id from job where error_id is not null limit 1'),
    };

    // The limits this run is compared with, on the same pool: a plain indexed SELECT of one page and the bare
    // exact count of the whole table (what any exact "count" of a broad filter costs at this size).
    const plainSql = 'select * from job order by last_modified desc, id desc limit 100';
    const plain = await timeIt(() => orm.em.fork().execute(plainSql));
    const countAll = await timeIt(() => orm.em.fork().execute('select count(*) from job'));
    log(`plain indexed SELECT (${plainSql}): p50 ${plain.p50.toFixed(2)} ms, p99 ${plain.p99.toFixed(2)} ms`);
    log(`select count(*) from job: p50 ${countAll.p50.toFixed(2)} ms, p99 ${countAll.p99.toFixed(2)} ms`);

    const results: { name: string; url: string; count: number; p50: number; p99: number }[] = [];
    for (const c of cases(ids)) {
      const first = await app.inject({ method: 'GET', url: c.url });
      if (first.statusCode !== 200) throw new Error(`${c.url}: ${first.statusCode} ${first.body}`);
      const count = first.json().count as number;
      const timing = await timeIt(async () => {
        const res = await app.inject({ method: 'GET', url: c.url });
        if (res.statusCode !== 200) throw new Error(`${c.url}: ${res.statusCode}`);
      });
      results.push({ name: c.name, url: c.url, count, ...timing });
      log(`${c.name}: p50 ${timing.p50.toFixed(1)} ms, p99 ${timing.p99.toFixed(1)} ms`);
    }

    const name = 'case'.padEnd(52);
    console.log(`\nP8 job lists: ${JOBS.toLocaleString('en')} jobs, page_size 100, ${SAMPLES} timed requests per case`);
    console.log('through the real API handlers (Fastify inject), one request at a time\n');
    console.log(`${name}  matches    p50 ms   p99 ms  p50/plain  p99/plain  p99 ≤ ${TARGET_P99_MS}`);
    console.log(
      `${'plain indexed SELECT of 100 jobs (limit)'.padEnd(52)}  ${'-'.padStart(7)}  ${fmt(plain.p50)}  ${fmt(plain.p99)}`,
    );
    console.log(
      `${'select count(*) from job (limit)'.padEnd(52)}  ${'-'.padStart(7)}  ${fmt(countAll.p50)}  ${fmt(countAll.p99)}`,
    );
    for (const r of results) {
      const ratio50 = `${(r.p50 / plain.p50).toFixed(1)}×`.padStart(9);
      const ratio99 = `${(r.p99 / plain.p99).toFixed(1)}×`.padStart(9);
      const ok = r.p99 <= TARGET_P99_MS ? 'yes' : 'NO';
      console.log(
        `${r.name.padEnd(52)}  ${String(r.count).padStart(7)}  ${fmt(r.p50)}  ${fmt(r.p99)}  ${ratio50}  ${ratio99}  ${ok}`,
      );
    }
    const worst = results.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    const met = results.filter((r) => r.p99 <= TARGET_P99_MS).length;
    console.log(
      `\n${met}/${results.length} cases with p99 ≤ ${TARGET_P99_MS} ms; worst p99 ${worst.p99.toFixed(1)} ms (${worst.name})`,
    );

    // Two rows per case: p99 against the target and the plain SELECT's p99, p50 against the plain SELECT's p50.
    const rows: ResultRow[] = [];
    for (const r of results) {
      rows.push({
        figure: `${r.name}: p99`,
        measured: round(r.p99),
        unit: 'ms',
        target: `≤ ${TARGET_P99_MS} ms`,
        limit: { label: 'plain indexed SELECT p99', value: round(plain.p99) },
      });
      rows.push({
        figure: `${r.name}: p50`,
        measured: round(r.p50),
        unit: 'ms',
        limit: { label: 'plain indexed SELECT p50', value: round(plain.p50) },
      });
    }
    writeResult(
      {
        name: 'p8-job-lists',
        targets: ['P8'],
        startedAt,
        options: { jobs: JOBS, samples: SAMPLES, reuse: REUSE, pageSize: 100 },
        simulated: [],
        rows,
        details: {
          via: 'Fastify inject (the real routes, validation, SQL and serialization), one request at a time',
          limits: {
            plainIndexedSelect: { sql: plainSql, ...plain },
            countAll: { sql: 'select count(*) from job', ...countAll },
          },
          cases: results,
          summary: { met, total: results.length, worstP99Ms: worst.p99, worstCase: worst.name },
        },
      },
      args.given.out === undefined ? undefined : args.string('out', ''),
    );
  } finally {
    await app.close();
    await nc.close();
    await orm.close();
    // Loading a million jobs takes a minute or two: --reuse keeps the database for the next run.
    if (!REUSE) await dropDatabase();
  }
}

async function dropDatabase(): Promise<void> {
  const admin = await openOrm({ url: ADMIN_URL, poolSize: 1 });
  try {
    await admin.em.fork().execute(`drop database if exists ${DATABASE} with (force)`);
  } finally {
    await admin.close();
  }
}

await main();
