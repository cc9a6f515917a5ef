/**
 * Scale's host broker on this node: a workspace is a folder at the same path on every host. Input files are
 * bind-mounted read-only from it (no copy); output files are copied into it. Paths are resolved with their links
 * and must stay inside the workspace folder, so neither a link in a workspace nor one made by a job can point the
 * agent at another file of the host.
 */
import { randomBytes } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** The file is not there (or not a regular file inside its workspace): a data problem, not the node's. */
export class MissingFileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MissingFileError';
  }
}

function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

async function realRoot(hostRoot: string): Promise<string> {
  try {
    return await realpath(hostRoot);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') throw new MissingFileError(`workspace folder ${hostRoot} does not exist`);
    throw err;
  }
}

export interface WorkspaceFile {
  /** Real path on the host (links resolved). */
  path: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
}

/** Finds a catalogued file on this host. Throws MissingFileError when it is not a regular file in its workspace. */
export async function resolveWorkspaceFile(hostRoot: string, relativePath: string): Promise<WorkspaceFile> {
  const root = await realRoot(hostRoot);
  let path: string;
  try {
    path = await realpath(join(root, relativePath));
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') {
      throw new MissingFileError(`${relativePath} does not exist in workspace folder ${hostRoot}`);
    }
    throw err;
  }
  if (!isUnder(path, root)) throw new MissingFileError(`${relativePath} leads out of workspace folder ${hostRoot}`);
  const stats = await stat(path);
  if (!stats.isFile()) throw new MissingFileError(`${relativePath} in workspace folder ${hostRoot} is not a file`);
  return { path, size: stats.size, mode: stats.mode, uid: stats.uid, gid: stats.gid };
}

/**
 * Copies `sourcePath` (never through a link) to `targetPath`, through a temporary file and a rename, so a reader
 * never sees a half-written file and a repeated copy replaces the first. Returns the bytes copied.
 * `sourceRoot` and `targetRoot` bound where the real source and target folders may be.
 */
export async function copyFileInto(
  source: { root: string; path: string },
  target: { root: string; path: string },
): Promise<number> {
  const sourceRoot = await realpath(source.root);
  const realSource = await realpath(source.path);
  if (!isUnder(realSource, sourceRoot)) throw new Error(`${source.path} leads out of ${source.root}`);
  const targetRoot = await realRoot(target.root);
  const targetDir = dirname(join(targetRoot, target.path));
  await mkdir(targetDir, { recursive: true, mode: 0o755 });
  const realTargetDir = await realpath(targetDir);
  if (!isUnder(realTargetDir, targetRoot)) throw new Error(`${target.path} leads out of ${target.root}`);

  const handle = await open(realSource, constants.O_RDONLY | constants.O_NOFOLLOW);
  const temporary = join(realTargetDir, `.${basename(target.path)}.${randomBytes(6).toString('hex')}.part`);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Error(`${source.path} is not a regular file`);
    await pipeline(
      handle.createReadStream({ autoClose: false }),
      createWriteStream(temporary, { flags: 'wx', mode: 0o644 }),
    );
    await rename(temporary, join(realTargetDir, basename(target.path)));
    return stats.size;
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  } finally {
    await handle.close();
  }
}
