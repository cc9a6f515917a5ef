/**
 * When a job is queued: checks that the files of its input exist in the catalogue, links them to the job
 * (job_input_file) and records its input size, which inputMultiplier resources are computed from.
 */
import type { Data } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { ValidationError } from '@scale/runtime';
import { type CatalogueFile, checkInputFiles } from '../domain/job-files.ts';

/** Throws ValidationError (naming `<field>.files.<input>`) for an unknown or deleted file; runs in the caller's transaction. */
export async function recordJobInputFiles(em: EntityManager, jobId: number, input: Data, field: string): Promise<void> {
  const ids = [...new Set(Object.values(input.files).flat())];
  if (ids.length === 0) return;
  const rows = await em.execute<{ id: string; file_size: string; is_deleted: boolean }[]>(
    'select id, file_size, is_deleted from scale_file where id in (?)',
    [ids],
  );
  const catalogue = new Map<number, CatalogueFile>(
    rows.map((r) => [Number(r.id), { id: Number(r.id), size: Number(r.file_size), deleted: r.is_deleted }]),
  );
  const check = checkInputFiles(input, catalogue, field);
  if (check.issues.length > 0) {
    const [first] = check.issues;
    throw new ValidationError(`${first?.field}: ${first?.message}`, check.issues);
  }
  await em.execute(
    `insert into job_input_file (job_id, input_file_id, job_input)
     select ?, x.file_id, x.name from jsonb_to_recordset(?::jsonb) as x(file_id bigint, name text)
     on conflict do nothing`,
    [jobId, JSON.stringify(check.links.map((l) => ({ file_id: l.fileId, name: l.name })))],
  );
  await em.execute('update job set input_file_size = ? where id = ?', [check.sizeMiB, jobId]);
}
