/**
 * SOURCE files of host workspaces: catalogue one already there (registration), or write one from the request
 * (upload). The workspace must exist and be active, the path must stay inside it; a registered file must be a
 * regular file, whose size is read from disk. Registering a path that is catalogued already answers with its
 * entry (size refreshed), so a retried request makes no second entry; an upload never replaces a file.
 */
import { mediaTypeOf } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { ValidationError } from '@scale/runtime';
import { type FileRecord, findFile } from '../queries/files.ts';
import { findWorkspace } from '../queries/workspaces.ts';
import type { RegisterFileBody } from '../schemas/files.ts';
import { type FileLookup, lookUpFile, type WriteRefusal, writeNewFile } from '../storage/host-folder.ts';

const LOOKUP_MESSAGES: Record<Exclude<FileLookup, { ok: true }>['reason'], (path: string, folder: string) => string> = {
  'no-workspace-folder': (_, folder) => `The workspace folder ${folder} does not exist on this host.`,
  missing: (path) => `No file ${path} in this workspace.`,
  outside: (path) => `${path} leads out of the workspace folder.`,
  'not-a-file': (path) => `${path} is not a regular file.`,
};

async function hostWorkspace(em: EntityManager, workspaceId: number): Promise<{ id: number; hostPath: string }> {
  const workspace = await findWorkspace(em, workspaceId);
  if (!workspace) throw ValidationError.field('workspace_id', `Workspace ${workspaceId} does not exist.`);
  if (!workspace.isActive) {
    throw ValidationError.field('workspace_id', `Workspace ${workspace.name} is not active.`);
  }
  const hostPath = workspace.jsonConfig.broker.type === 'host' ? workspace.jsonConfig.broker.host_path : undefined;
  if (typeof hostPath !== 'string') {
    throw ValidationError.field('workspace_id', `Workspace ${workspace.name} does not use the host broker.`);
  }
  return { id: workspace.id, hostPath };
}

/** Inserts the SOURCE entry, or refreshes the size of the live entry already at that path. */
async function catalogue(
  em: EntityManager,
  workspaceId: number,
  size: number,
  body: Omit<RegisterFileBody, 'workspace_id'>,
): Promise<{ file: FileRecord; created: boolean }> {
  const fileName = body.file_path.slice(body.file_path.lastIndexOf('/') + 1);
  const [row] = await em.execute<{ id: string; inserted: boolean }[]>(
    `insert into scale_file (file_name, file_type, media_type, file_size, file_path, workspace_id, data_type_tags,
                             data_started, data_ended, source_started, source_ended)
     values (?, 'SOURCE', ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (workspace_id, file_path) where not is_deleted do update
       set file_size = excluded.file_size, last_modified = now()
     returning id, (xmax = 0) as inserted`,
    [
      fileName,
      body.media_type ?? mediaTypeOf(fileName),
      size,
      body.file_path,
      workspaceId,
      JSON.stringify(body.data_type_tags ?? []),
      body.data_started ?? null,
      body.data_ended ?? null,
      body.source_started ?? null,
      body.source_ended ?? null,
    ],
  );
  const file = await findFile(em.fork(), Number(row!.id));
  return { file: file!, created: row!.inserted };
}

export async function registerFile(
  em: EntityManager,
  body: RegisterFileBody,
): Promise<{ file: FileRecord; created: boolean }> {
  const workspace = await hostWorkspace(em, body.workspace_id);
  const found = await lookUpFile(workspace.hostPath, body.file_path);
  if (!found.ok) {
    throw ValidationError.field('file_path', LOOKUP_MESSAGES[found.reason](body.file_path, workspace.hostPath));
  }
  return catalogue(em, workspace.id, found.size, body);
}

const WRITE_MESSAGES: Record<WriteRefusal, (path: string, folder: string) => string> = {
  'no-workspace-folder': (_, folder) => `The workspace folder ${folder} does not exist on this host.`,
  exists: (path) => `A file already exists at ${path}; register it with POST /v6/files/ instead.`,
  outside: (path) => `${path} leads out of the workspace folder.`,
};

/** Writes the request body as a new file of a host workspace (never replacing one), then catalogues it. */
export async function uploadFile(
  em: EntityManager,
  workspaceId: number,
  target: Omit<RegisterFileBody, 'workspace_id'>,
  content: NodeJS.ReadableStream,
): Promise<FileRecord> {
  const workspace = await hostWorkspace(em, workspaceId);
  const written = await writeNewFile(workspace.hostPath, target.file_path, content);
  if (!written.ok) {
    throw ValidationError.field('file_path', WRITE_MESSAGES[written.reason](target.file_path, workspace.hostPath));
  }
  return (await catalogue(em, workspace.id, written.size, target)).file;
}
