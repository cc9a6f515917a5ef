/**
 * Raw Postgres limits measured in the same run as a benchmark, with the method of reference/peers.md §5a: a queue
 * table with a partial index on (priority, id) where state = 'queued', claimed with FOR UPDATE SKIP LOCKED.
 */
import type pg from 'pg';
import { nowMs, type Summary, summarize } from './stats.ts';

const TABLE = 'bench_claim';

async function prepareQueue(pool: pg.Pool, rows: number): Promise<void> {
  await pool.query(`drop table if exists ${TABLE}`);
  await pool.query(`create table ${TABLE} (
    id bigserial primary key, priority integer not null, state text not null, node text,
    payload jsonb not null, updated timestamptz not null default now())`);
  await pool.query(`create index ${TABLE}_queue on ${TABLE} (priority, id) where state = 'queued'`);
  await pool.query(
    `insert into ${TABLE} (priority, state, payload)
     select 100, 'queued', '{"files": {}, "json": {}}'::jsonb from generate_series(1, $1::int)`,
    [rows],
  );
}

async function resetQueue(pool: pg.Pool): Promise<void> {
  await pool.query(`update ${TABLE} set state = 'queued', node = null`);
  await pool.query(`vacuum analyze ${TABLE}`);
}

export interface ClaimRate {
  rows: number;
  batch: number;
  clients: number;
  /** Jobs claimed per second, per round. */
  roundsPerSecond: number[];
  /** The median round. */
  jobsPerSecond: number;
  txnMs: Summary;
}

/**
 * `clients` connections each loop over transactions claiming `batch` queued rows (UPDATE … WHERE id IN (SELECT …
 * ORDER BY priority, id LIMIT batch FOR UPDATE SKIP LOCKED)) until all `rows` are claimed; repeated `rounds` times.
 */
export async function measureClaimRate(
  pool: pg.Pool,
  options: { rows: number; batch: number; clients: number; rounds: number },
): Promise<ClaimRate> {
  await prepareQueue(pool, options.rows);
  const roundsPerSecond: number[] = [];
  const txn: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    await resetQueue(pool);
    const clients = await Promise.all(Array.from({ length: options.clients }, () => pool.connect()));
    try {
      const started = nowMs();
      await Promise.all(
        clients.map(async (client, i) => {
          for (;;) {
            const t = nowMs();
            const result = await client.query(
              `update ${TABLE} set state = 'running', node = $1, updated = now()
                where id in (select id from ${TABLE} where state = 'queued' order by priority, id
                              limit $2 for update skip locked)`,
              [`node-${i}`, options.batch],
            );
            if (!result.rowCount) break;
            txn.push(nowMs() - t);
          }
        }),
      );
      roundsPerSecond.push(options.rows / ((nowMs() - started) / 1000));
    } finally {
      for (const client of clients) client.release();
    }
  }
  const sorted = [...roundsPerSecond].sort((a, b) => a - b);
  return { ...options, roundsPerSecond, jobsPerSecond: sorted[Math.floor(sorted.length / 2)]!, txnMs: summarize(txn) };
}

/**
 * One client, one transaction per `window` rows: SELECT … LIMIT window FOR UPDATE SKIP LOCKED, UPDATE those rows,
 * COMMIT — the bare database work of a scheduling pass that claims and launches a window. Latency per transaction.
 */
export async function measureWindowClaim(
  pool: pg.Pool,
  options: { rows: number; window: number; rounds: number },
): Promise<Summary> {
  await prepareQueue(pool, options.rows);
  const samples: number[] = [];
  const client = await pool.connect();
  try {
    for (let round = 0; round < options.rounds; round++) {
      await resetQueue(pool);
      for (;;) {
        const t = nowMs();
        await client.query('begin');
        const claimed = await client.query<{ id: string }>(
          `select id from ${TABLE} where state = 'queued' order by priority, id limit $1 for update skip locked`,
          [options.window],
        );
        if (claimed.rowCount) {
          await client.query(`update ${TABLE} set state = 'running', node = 'n', updated = now() where id = any($1)`, [
            claimed.rows.map((r) => r.id),
          ]);
        }
        await client.query('commit');
        if (!claimed.rowCount) break;
        samples.push(nowMs() - t);
      }
    }
  } finally {
    client.release();
  }
  await pool.query(`drop table if exists ${TABLE}`);
  return summarize(samples);
}
