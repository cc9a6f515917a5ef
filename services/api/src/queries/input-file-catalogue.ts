/** What the files catalogue knows about the files a job input names, for validating the input before queueing. */
import type { Data } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import type { CatalogueEntry } from '../domain/job-input.ts';

export async function inputFileCatalogue(em: EntityManager, input: Data): Promise<Map<number, CatalogueEntry>> {
  const ids = [...new Set(Object.values(input.files).flat())];
  if (ids.length === 0) return new Map();
  const rows = await em.execute<{ id: string; is_deleted: boolean }[]>(
    'select id, is_deleted from scale_file where id in (?)',
    [ids],
  );
  return new Map(rows.map((r) => [Number(r.id), { deleted: r.is_deleted }]));
}
