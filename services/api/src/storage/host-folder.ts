/**
 * The API's view of host-broker workspaces: in this deployment the workspace folders are on the API's host too
 * (the same path as on the nodes), which is how a registered file is checked and measured. Paths are resolved
 * with their links and must stay inside the workspace folder.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, mkdir, realpath, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';

export type FolderState = 'present' | 'missing' | 'not-a-folder';

export async function folderState(path: string): Promise<FolderState> {
  try {
    return (await stat(path)).isDirectory() ? 'present' : 'not-a-folder';
  } catch {
    return 'missing';
  }
}

export type FileLookup =
  | { ok: true; size: number }
  | { ok: false; reason: 'no-workspace-folder' | 'missing' | 'outside' | 'not-a-file' };

const isUnder = (path: string, root: string): boolean => path === root || path.startsWith(`${root}/`);

/** Finds a file by its path relative to a workspace folder. */
export async function lookUpFile(hostRoot: string, relativePath: string): Promise<FileLookup> {
  let root: string;
  try {
    root = await realpath(hostRoot);
  } catch {
    return { ok: false, reason: 'no-workspace-folder' };
  }
  let real: string;
  try {
    real = await realpath(join(root, relativePath));
  } catch {
    return { ok: false, reason: 'missing' };
  }
  // A link may lead anywhere on the host; only files really inside the workspace can be catalogued.
  if (!isUnder(real, root)) return { ok: false, reason: 'outside' };
  const stats = await stat(real);
  return stats.isFile() ? { ok: true, size: stats.size } : { ok: false, reason: 'not-a-file' };
}

/** Writing an upload failed for a reason the client can act on. */
export type WriteRefusal = 'no-workspace-folder' | 'exists' | 'outside';

/**
 * Writes `body` to `relativePath` inside the workspace folder without ever replacing a file: the bytes go to a
 * temporary file first, which is then hard-linked to its name (the link fails if the name exists) and removed.
 * A reader never sees a partial file. Folders are created as needed, and must stay inside the workspace.
 */
export async function writeNewFile(
  hostRoot: string,
  relativePath: string,
  body: NodeJS.ReadableStream,
): Promise<{ ok: true; size: number } | { ok: false; reason: WriteRefusal }> {
  let root: string;
  try {
    root = await realpath(hostRoot);
  } catch {
    return { ok: false, reason: 'no-workspace-folder' };
  }
  const dir = dirname(join(root, relativePath));
  // Checked before anything is made: a link inside the workspace must not get folders created elsewhere.
  if (!isUnder(await realpath(await nearestExisting(dir)), root)) return { ok: false, reason: 'outside' };
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const realDir = await realpath(dir);
  if (!isUnder(realDir, root)) return { ok: false, reason: 'outside' };
  const target = join(realDir, basename(relativePath));
  const temporary = join(realDir, `.${basename(relativePath)}.${randomBytes(6).toString('hex')}.upload`);
  try {
    await pipeline(body, createWriteStream(temporary, { flags: 'wx', mode: 0o644 }));
    try {
      await link(temporary, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { ok: false, reason: 'exists' };
      throw err;
    }
    return { ok: true, size: (await stat(target)).size };
  } finally {
    await rm(temporary, { force: true });
  }
}

async function nearestExisting(path: string): Promise<string> {
  for (let current = path; ; current = dirname(current)) {
    try {
      await stat(current);
      return current;
    } catch {
      if (current === dirname(current)) return current;
    }
  }
}
