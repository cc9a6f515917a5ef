/**
 * P10 (../shared/BENCHMARKS.md): bulk cancel and requeue by filter of 100k jobs — target ≤ 10 s, asynchronous (202).
 *
 *   ./scale bench p10-bulk-cancel            100,000 queued jobs
 *   ./scale bench p10-bulk-cancel --small    2,000 jobs (a smoke run)
 *
 * The jobs are bulk-inserted (generate_series) into the bench's own database; the real scheduler runs paused with
 * no node, so nothing is placed. Timed: the cancel-jobs and requeue-jobs commands by filter (job_type_ids) over
 * NATS request/reply, each answered after its one transaction commits, and the time until the scheduler's outbox
 * relay has published every resulting status event; then the same through the real API (POST /v6/jobs/cancel/ and
 * /v6/jobs/requeue/, 202). Beside them, measured in the same run on the same rows: a raw set-based UPDATE of the
 * 100k rows (the limit for the commands) and raw JetStream publishes of as many events (the limit for the relay).
 * Not a test: it asserts nothing about time.
 */
import { CancelJobsResult, RequeueJobsResult, UpdateSchedulerResult } from '@scale/contracts';
import { requestCommand } from '@scale/runtime';
import { parseArgs } from './lib/args.ts';
import { runBench } from './lib/cleanup.ts';
import { benchDatabase, benchNats, startApi, startScheduler } from './lib/infra.ts';
import { insertJobType, insertQueuedJobs } from './lib/jobs.ts';
import { measureJetStreamPublish } from './lib/nats-limits.ts';
import { printTable, type ResultRow, writeResult } from './lib/result.ts';
import { nowMs, round, waitFor } from './lib/stats.ts';

const USAGE = `usage: ./scale bench p10-bulk-cancel [options]
  --jobs N     queued jobs to cancel and requeue (default 100000; --small: 2000)
  --no-api     skip the API path (POST /v6/jobs/cancel/ and /v6/jobs/requeue/)
  --out PATH   where to write the JSON result (default bench/results/p10-bulk-cancel-<time>.json)
  --small      a quick smoke run`;

const args = parseArgs(USAGE, ['jobs', 'no-api']);
const small = args.flag('small');
const options = { jobs: args.number('jobs', small ? 2000 : 100_000), api: !args.flag('no-api'), small };
const COMMAND_TIMEOUT_MS = 600_000;
const progress = (text: string) => process.stderr.write(`[p10] ${text}\n`);

runBench(async (cleanup) => {
  const startedAt = new Date().toISOString();
  const db = await benchDatabase(cleanup, 'p10', 2);
  const nats = await benchNats(cleanup, 'p10');
  progress(`inserting ${options.jobs} queued jobs`);
  const type = await insertJobType(db.pool, { name: 'bench-p10', cpus: 1, memMiB: 1024 });
  await insertQueuedJobs(db.pool, type, options.jobs);
  const scheduler = await startScheduler(cleanup, { databaseUrl: db.url, natsUrl: nats.url, subjects: nats.subjects });
  await requestCommand(
    nats.nc,
    nats.subjects.command('scheduler', 'update-scheduler'),
    { isPaused: true },
    UpdateSchedulerResult,
  );

  const count = async (status: string) =>
    (
      await db.pool.query<{ n: number }>('select count(*)::int as n from job where job_type_id = $1 and status = $2', [
        type.jobTypeId,
        status,
      ])
    ).rows[0]!.n;
  const outboxEmpty = async () =>
    (await db.pool.query<{ n: number }>('select count(*)::int as n from outbox')).rows[0]!.n === 0;
  const settle = async () => {
    await waitFor(outboxEmpty, 'the outbox to drain', COMMAND_TIMEOUT_MS, 20);
    await db.pool.query('vacuum analyze job');
    await db.pool.query('vacuum analyze outbox');
  };
  const expectAll = async (status: string, what: string) => {
    const n = await count(status);
    if (n !== options.jobs) throw new Error(`${what}: ${n} of ${options.jobs} jobs are ${status}`);
  };
  const timed = async (fn: () => Promise<unknown>) => {
    const t = nowMs();
    await fn();
    return nowMs() - t;
  };
  await settle();

  progress('raw set-based UPDATEs');
  const rawCancelMs = await timed(() =>
    db.pool.query(
      `update job set status = 'CANCELED', ended = now(), unplaceable = false, queue_reason = null,
              last_status_change = now(), last_modified = now()
        where job_type_id = $1 and status not in ('CANCELED', 'COMPLETED')`,
      [type.jobTypeId],
    ),
  );
  await expectAll('CANCELED', 'raw cancel');
  await settle();
  const rawRequeueMs = await timed(() =>
    db.pool.query(
      `update job set status = 'QUEUED', num_exes = num_exes + 1, queued = now(), ended = null, error_id = null,
              node_id = null, last_status_change = now(), last_modified = now()
        where job_type_id = $1 and status in ('FAILED', 'CANCELED')`,
      [type.jobTypeId],
    ),
  );
  await expectAll('QUEUED', 'raw requeue');
  await settle();
  // What the job table's indexes and count triggers cost: the same UPDATE on a bare copy of the rows.
  await db.pool.query('create table bench_job_plain as select * from job where job_type_id = $1', [type.jobTypeId]);
  await db.pool.query('vacuum analyze bench_job_plain');
  const plainCancelMs = await timed(() =>
    db.pool.query(
      `update bench_job_plain set status = 'CANCELED', ended = now(), unplaceable = false, queue_reason = null,
              last_status_change = now(), last_modified = now()
        where job_type_id = $1 and status not in ('CANCELED', 'COMPLETED')`,
      [type.jobTypeId],
    ),
  );
  await db.pool.query('drop table bench_job_plain');
  const jobIndexes = (
    await db.pool.query<{ n: number }>(`select count(*)::int as n from pg_indexes where tablename = 'job'`)
  ).rows[0]!.n;
  const jobTriggers = (
    await db.pool.query<{ n: number }>(
      `select count(*)::int as n from pg_trigger where tgrelid = 'job'::regclass and not tgisinternal`,
    )
  ).rows[0]!.n;

  progress(`raw JetStream publishes of ${options.jobs} events`);
  const rawPublishPerSecond = await measureJetStreamPublish(nats.nc, nats.subjects, {
    messages: options.jobs,
    window: 200,
  });
  await db.pool.query('vacuum analyze job');

  /** Sends a bulk command, then waits for its status events to leave the outbox. */
  const viaNats = async (verb: 'cancel-jobs' | 'requeue-jobs') => {
    const started = nowMs();
    const filter = { jobTypeIds: [type.jobTypeId] };
    const result =
      verb === 'cancel-jobs'
        ? (
            await requestCommand(
              nats.nc,
              nats.subjects.command('scheduler', verb),
              { filter },
              CancelJobsResult,
              COMMAND_TIMEOUT_MS,
            )
          ).canceled
        : (
            await requestCommand(
              nats.nc,
              nats.subjects.command('scheduler', verb),
              { filter },
              RequeueJobsResult,
              COMMAND_TIMEOUT_MS,
            )
          ).requeued;
    const replyMs = nowMs() - started;
    await waitFor(outboxEmpty, 'the outbox to drain', COMMAND_TIMEOUT_MS, 20);
    const relayedMs = nowMs() - started;
    if (result !== options.jobs) throw new Error(`${verb} changed ${result} of ${options.jobs} jobs`);
    return { replyMs, relayedMs };
  };

  progress('cancel-jobs over NATS');
  const natsCancel = await viaNats('cancel-jobs');
  await expectAll('CANCELED', 'cancel-jobs');
  await settle();
  progress('requeue-jobs over NATS');
  const natsRequeue = await viaNats('requeue-jobs');
  await expectAll('QUEUED', 'requeue-jobs');
  await settle();

  let apiPath:
    | { status: 'absent' | 'skipped'; reason: string }
    | {
        status: 'measured';
        cancel: { httpStatus: number; replyMs: number; doneMs: number; relayedMs: number };
        requeue: { httpStatus: number; replyMs: number; doneMs: number; relayedMs: number };
      } = { status: 'skipped', reason: '--no-api' };
  if (options.api) {
    progress('the API path');
    const api = await startApi(cleanup, { databaseUrl: db.url, natsUrl: nats.url, subjects: nats.subjects });
    const viaApi = async (path: string, doneStatus: string) => {
      const started = nowMs();
      const response = await fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ job_type_ids: [type.jobTypeId] }),
      });
      await response.arrayBuffer();
      const replyMs = nowMs() - started;
      if (response.status === 404) return { httpStatus: 404, replyMs, doneMs: Number.NaN, relayedMs: Number.NaN };
      // A 202 may come before the work is done (or the API may time out first): done is when every job moved.
      await waitFor(async () => (await count(doneStatus)) === options.jobs, `${path} to finish`, COMMAND_TIMEOUT_MS);
      const doneMs = nowMs() - started;
      await waitFor(outboxEmpty, 'the outbox to drain', COMMAND_TIMEOUT_MS, 20);
      return { httpStatus: response.status, replyMs, doneMs, relayedMs: nowMs() - started };
    };
    const cancel = await viaApi('/v6/jobs/cancel/', 'CANCELED');
    if (cancel.httpStatus === 404) {
      apiPath = { status: 'absent', reason: 'POST /v6/jobs/cancel/ answered 404 (route not in this build)' };
    } else {
      await settle();
      const requeue = await viaApi('/v6/jobs/requeue/', 'QUEUED');
      await settle();
      apiPath = { status: 'measured', cancel, requeue };
    }
    await api.stop();
  }

  const rawLimit = (what: string, ms: number) => ({
    label: `raw set-based UPDATE of the same ${options.jobs} rows (${what})`,
    value: round(ms / 1000, 3),
  });
  const relayLimit = {
    label: `raw JetStream publish of ${options.jobs} msgs, windows of 200`,
    value: round(options.jobs / rawPublishPerSecond, 3),
  };
  const seconds = (ms: number) => round(ms / 1000, 3);
  const rows: ResultRow[] = [
    {
      figure: `cancel ${options.jobs} by filter: cancel-jobs command round trip (NATS)`,
      measured: seconds(natsCancel.replyMs),
      unit: 's',
      target: '≤ 10 s',
      limit: rawLimit('cancel', rawCancelMs),
    },
    {
      figure: `requeue ${options.jobs} by filter: requeue-jobs command round trip (NATS)`,
      measured: seconds(natsRequeue.replyMs),
      unit: 's',
      target: '≤ 10 s',
      limit: rawLimit('requeue', rawRequeueMs),
    },
    {
      figure: `raw cancel UPDATE on job (${jobIndexes} indexes, ${jobTriggers} triggers)`,
      measured: seconds(rawCancelMs),
      unit: 's',
      target: '',
      limit: { label: 'the same UPDATE on a bare copy: no index, no trigger', value: seconds(plainCancelMs) },
    },
    {
      figure: 'cancel: command sent → every status event relayed',
      measured: seconds(natsCancel.relayedMs),
      unit: 's',
      target: '',
      limit: relayLimit,
    },
    {
      figure: 'requeue: command sent → every status event relayed',
      measured: seconds(natsRequeue.relayedMs),
      unit: 's',
      target: '',
      limit: relayLimit,
    },
  ];
  if (apiPath.status === 'measured') {
    for (const [what, m, raw] of [
      ['cancel', apiPath.cancel, rawCancelMs],
      ['requeue', apiPath.requeue, rawRequeueMs],
    ] as const) {
      rows.push(
        {
          figure: `POST /v6/jobs/${what}/ → HTTP ${m.httpStatus}`,
          measured: seconds(m.replyMs),
          unit: 's',
          target: '≤ 10 s, 202',
          limit: rawLimit(what, raw),
        },
        {
          figure: `POST /v6/jobs/${what}/ → every job ${what === 'cancel' ? 'CANCELED' : 'QUEUED'}`,
          measured: seconds(m.doneMs),
          unit: 's',
          target: '≤ 10 s',
          limit: rawLimit(what, raw),
        },
      );
    }
  }
  const simulated = [
    'Nothing is simulated: the real scheduler process (paused, no node) on PostgreSQL and nats-server' +
      (apiPath.status === 'measured' ? ', and the real API process.' : '.') +
      ` The ${options.jobs} jobs were bulk-inserted with SQL (generate_series).`,
    'The commands answer after their one transaction commits; the status events follow through the outbox relay.',
  ];
  if (apiPath.status !== 'measured') simulated.push(`API path not measured: ${apiPath.reason}.`);
  printTable(`P10 bulk cancel / requeue by filter: ${options.jobs} jobs`, rows, simulated);
  writeResult(
    {
      name: 'p10-bulk-cancel',
      targets: ['P10'],
      startedAt,
      options,
      simulated,
      rows,
      details: {
        rawCancelMs: round(rawCancelMs, 1),
        rawRequeueMs: round(rawRequeueMs, 1),
        plainCopyCancelMs: round(plainCancelMs, 1),
        jobIndexes,
        jobTriggers,
        rawJetStreamPublishPerSecond: round(rawPublishPerSecond),
        natsCancel,
        natsRequeue,
        apiPath,
        schedulerPasses: scheduler.passes.length,
      },
    },
    args.given.out === undefined ? undefined : args.string('out', ''),
  );
});
