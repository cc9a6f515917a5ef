/**
 * What a launch command carries about files, read in one go for a whole scheduling pass: the catalogue entries
 * of every input file, and the output workspaces and mounts of each job type configuration (agents hold no
 * database connection, so they get it all in the command).
 */
import type { Data, SeedManifest } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import {
  type FileLocation,
  type FilesConfiguration,
  type LaunchFiles,
  outputWorkspaceNames,
  resolveLaunchFiles,
  type WorkspaceRow,
} from '../domain/job-files.ts';

export interface LaunchFilesRow {
  /** The job id. */
  id: string | number;
  input: Data;
  manifest: SeedManifest;
  configuration: FilesConfiguration | null;
}

interface FileSqlRow {
  id: string;
  file_name: string;
  file_path: string;
  file_size: string;
  media_type: string;
  is_deleted: boolean;
  workspace_id: number;
  json_config: unknown;
}

/** The extra launch fields per job id. Jobs without files, outputs or mounts get an empty object. */
export async function launchFiles(
  em: EntityManager,
  rows: readonly LaunchFilesRow[],
): Promise<Map<number, LaunchFiles>> {
  const fileIds = [...new Set(rows.flatMap((r) => Object.values(r.input.files).flat()))];
  const names = [...new Set(rows.flatMap((r) => outputWorkspaceNames(r.configuration)))];
  const fileRows = fileIds.length
    ? await em.execute<FileSqlRow[]>(
        `select f.id, f.file_name, f.file_path, f.file_size, f.media_type, f.is_deleted, f.workspace_id, w.json_config
           from scale_file f join workspace w on w.id = f.workspace_id
          where f.id in (?)`,
        [fileIds],
      )
    : [];
  const workspaceRows = names.length
    ? await em.execute<{ id: number; name: string; is_active: boolean; json_config: unknown }[]>(
        'select id, name, is_active, json_config from workspace where name in (?)',
        [names],
      )
    : [];
  const files = new Map<number, FileLocation>(
    fileRows.map((f) => [
      Number(f.id),
      {
        id: Number(f.id),
        fileName: f.file_name,
        filePath: f.file_path,
        size: Number(f.file_size),
        mediaType: f.media_type,
        deleted: f.is_deleted,
        workspaceId: f.workspace_id,
        workspaceConfig: f.json_config,
      },
    ]),
  );
  const workspaces = new Map<string, WorkspaceRow>(
    workspaceRows.map((w) => [w.name, { id: w.id, name: w.name, isActive: w.is_active, config: w.json_config }]),
  );
  return new Map(rows.map((row) => [Number(row.id), resolveLaunchFiles(row, files, workspaces)]));
}
