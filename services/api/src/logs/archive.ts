/** Reads of the Postgres log archive (`log_line`, written by services/log-archiver; the API only reads it). */
import type { EntityManager } from '@scale/db';
import type { LogLine, LogSelector } from '../domain/log-lines.ts';

interface Row {
  n: number | string;
  stream: 'stdout' | 'stderr';
  ts: Date | string;
  line: string;
}

function toLine(row: Row): LogLine {
  return { n: Number(row.n), stream: row.stream, ts: new Date(row.ts).toISOString(), line: row.line };
}

function streamFilter(selector: LogSelector, params: unknown[]): string {
  if (selector === 'combined') return '';
  params.push(selector);
  return ' and stream = ?';
}

/** The first `limit` archived lines in Scale's order (timestamp, then line number), from `since` on. */
export async function readArchivedHistory(
  em: EntityManager,
  query: { jobExeId: number; selector: LogSelector; since?: Date; limit: number },
): Promise<LogLine[]> {
  const params: unknown[] = [query.jobExeId];
  let sql = 'select n, stream, ts, line from log_line where job_exe_id = ?';
  sql += streamFilter(query.selector, params);
  if (query.since) {
    sql += ' and ts >= ?';
    params.push(query.since);
  }
  sql += ' order by ts, n limit ?';
  params.push(query.limit);
  return (await em.execute<Row[]>(sql, params)).map(toLine);
}

/** Up to `limit` archived lines numbered above `afterN`, by line number: one page of a follower's catch-up. */
export async function readArchivedPage(
  em: EntityManager,
  query: { jobExeId: number; selector: LogSelector; afterN: number; limit: number },
): Promise<LogLine[]> {
  const params: unknown[] = [query.jobExeId, query.afterN];
  let sql = 'select n, stream, ts, line from log_line where job_exe_id = ? and n > ?';
  sql += streamFilter(query.selector, params);
  sql += ' order by n limit ?';
  params.push(query.limit);
  return (await em.execute<Row[]>(sql, params)).map(toLine);
}

/** The highest archived line number of the execution on the selected streams; 0 when none is archived. */
export async function readArchivedLastN(
  em: EntityManager,
  query: { jobExeId: number; selector: LogSelector },
): Promise<number> {
  const params: unknown[] = [query.jobExeId];
  let sql = 'select max(n) as n from log_line where job_exe_id = ?';
  sql += streamFilter(query.selector, params);
  const rows = await em.execute<{ n: number | string | null }[]>(sql, params);
  return Number(rows[0]?.n ?? 0);
}
