/** Writes archive rows into `log_line` (this service is its only writer). */
import type { EntityManager } from '@scale/db';
import type { ArchiveRow } from '../domain/rows.ts';

/**
 * Inserts the rows in one statement; a line already archived (a redelivered message, a re-published line) is
 * skipped by its key, so the write is idempotent. Returns how many rows were new.
 */
export async function insertLines(em: EntityManager, rows: readonly ArchiveRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  // One JSON parameter instead of 5 × N placeholders: the statement stays the same size whatever the batch.
  const result = await em.execute<{ inserted: number | string }[]>(
    `with inserted as (
       insert into log_line (job_exe_id, n, stream, ts, line)
       select job_exe_id, n, stream, ts, line
       from json_to_recordset(?::json) as r(job_exe_id bigint, n integer, stream varchar, ts timestamptz, line text)
       on conflict (job_exe_id, n) do nothing
       returning 1
     )
     select count(*) as inserted from inserted`,
    [JSON.stringify(rows)],
  );
  return Number(result[0]?.inserted ?? 0);
}

/**
 * SQLSTATE classes that say "this row cannot be stored" (data exception, integrity violation): retrying the same
 * row cannot help. Anything else (connection lost, shutdown, out of resources) is worth retrying later.
 */
export function isRowError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23)/.test(code);
}
