/**
 * Registers the files an execution stored in its output workspaces as PRODUCT entries of the catalogue, in the
 * transaction that records the execution's end, and returns the output Data with their new ids. The execution row
 * is locked and live when this runs (applyTaskUpdate), so a repeated report never registers twice.
 */
import type { Data, TaskUpdate } from '@scale/contracts';
import type { EntityManager } from '@scale/db';

type Completed = Extract<TaskUpdate, { status: 'COMPLETED' }>;

export async function registerOutputFiles(
  em: EntityManager,
  exe: { id: number },
  update: Pick<Completed, 'output' | 'outputFiles'>,
): Promise<Data> {
  const files = update.outputFiles ?? [];
  if (files.length === 0) return update.output;
  // One entry per stored file, even when two outputs' patterns matched it (one statement cannot upsert a row twice).
  const distinct = [...new Map(files.map((f) => [`${f.workspaceId}:${f.path}`, f])).values()];
  // A path already catalogued in that workspace was just overwritten by this product: the entry becomes the product's.
  const rows = await em.execute<{ id: string; workspace_id: number; file_path: string }[]>(
    `insert into scale_file (file_name, file_type, media_type, file_size, file_path, workspace_id,
                             job_exe_id, job_id, job_type_id, job_output)
     select x.file_name, 'PRODUCT', x.media_type, x.file_size, x.file_path, w.id, e.id, e.job_id, e.job_type_id, x.job_output
       from jsonb_to_recordset(?::jsonb) as x(file_name text, media_type text, file_size bigint, file_path text,
                                              workspace_id integer, job_output text)
       join workspace w on w.id = x.workspace_id
       join job_exe e on e.id = ?
     on conflict (workspace_id, file_path) where not is_deleted do update
       set file_name = excluded.file_name, file_type = 'PRODUCT', media_type = excluded.media_type,
           file_size = excluded.file_size, job_exe_id = excluded.job_exe_id, job_id = excluded.job_id,
           job_type_id = excluded.job_type_id, job_output = excluded.job_output, last_modified = now()
     returning id, workspace_id, file_path`,
    [
      JSON.stringify(
        distinct.map((f) => ({
          file_name: f.fileName,
          media_type: f.mediaType,
          file_size: f.size,
          file_path: f.path,
          workspace_id: f.workspaceId,
          job_output: f.outputName,
        })),
      ),
      exe.id,
    ],
  );
  const idByLocation = new Map(rows.map((r) => [`${r.workspace_id}:${r.file_path}`, Number(r.id)]));
  const byOutput: Record<string, number[]> = {};
  for (const file of files) {
    const id = idByLocation.get(`${file.workspaceId}:${file.path}`);
    if (id === undefined) continue;
    byOutput[file.outputName] = [...(byOutput[file.outputName] ?? []), id];
  }
  return { files: { ...update.output.files, ...byOutput }, json: update.output.json };
}
