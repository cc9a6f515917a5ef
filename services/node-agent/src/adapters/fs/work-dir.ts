/**
 * The agent's folder on the host: one `exe-<jobExeId>/` per execution holding `launch.json` (the launch command,
 * kept so a restarted agent can still capture outputs and enforce the timeout), `logs.json` (how many output lines
 * are published, so a restarted agent goes on from there) and `output/` (the job's OUTPUT_DIR).
 * Everything under output/ was written by the job, so it is read without following links and with size limits.
 */
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SEED_OUTPUTS_FILE, type SeedOutputsFile } from '../../domain/outputs.ts';

const MAX_SEED_OUTPUTS_BYTES = 16 * 1024 * 1024;
const MAX_LISTED_FILES = 100_000;
const MAX_DEPTH = 32;

function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

export class WorkDir {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
  }

  exeDir(jobExeId: number): string {
    return join(this.root, `exe-${jobExeId}`);
  }

  outputDir(jobExeId: number): string {
    return join(this.exeDir(jobExeId), 'output');
  }

  /** Creates the execution's folders and records its launch command. Returns the output folder. */
  async prepare(jobExeId: number, launch: unknown): Promise<string> {
    const exeDir = this.exeDir(jobExeId);
    const outputDir = this.outputDir(jobExeId);
    // launch.json holds setting values (possibly secrets): only the agent may read it.
    await mkdir(exeDir, { recursive: true, mode: 0o700 });
    await writeFile(join(exeDir, 'launch.json'), JSON.stringify(launch), { mode: 0o600 });
    await mkdir(outputDir, { recursive: true });
    // Jobs run as nobody; mkdir's mode is cut by the umask, so set it explicitly.
    await chmod(outputDir, 0o777);
    return outputDir;
  }

  /** The recorded launch command (unvalidated), or undefined when there is none. */
  async readLaunch(jobExeId: number): Promise<unknown> {
    try {
      return JSON.parse(await readFile(join(this.exeDir(jobExeId), 'launch.json'), 'utf8'));
    } catch (err) {
      if (errorCode(err) === 'ENOENT' || err instanceof SyntaxError) return undefined;
      throw err;
    }
  }

  async readSeedOutputs(jobExeId: number): Promise<SeedOutputsFile> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      // O_NOFOLLOW: a job could otherwise point seed.outputs.json at any file on the host.
      handle = await open(join(this.outputDir(jobExeId), SEED_OUTPUTS_FILE), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return { kind: 'absent' };
      if (errorCode(err) === 'ELOOP') return { kind: 'unreadable', message: 'must be a regular file, not a link' };
      throw err;
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) return { kind: 'unreadable', message: 'must be a regular file' };
      if (stats.size > MAX_SEED_OUTPUTS_BYTES) {
        return { kind: 'unreadable', message: `larger than ${MAX_SEED_OUTPUTS_BYTES} bytes` };
      }
      const text = await handle.readFile('utf8');
      try {
        return { kind: 'parsed', value: JSON.parse(text) };
      } catch (err) {
        return { kind: 'unreadable', message: `not valid JSON (${(err as Error).message})` };
      }
    } finally {
      await handle.close();
    }
  }

  /** Regular files under output/, relative and '/'-separated. Links are neither followed nor listed. */
  async listOutputFiles(jobExeId: number): Promise<string[]> {
    const files: string[] = [];
    const walk = async (dir: string, prefix: string, depth: number): Promise<void> => {
      if (depth > MAX_DEPTH) return;
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (files.length >= MAX_LISTED_FILES) return;
        const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
        if (entry.isFile()) files.push(relative);
        else if (entry.isDirectory()) await walk(join(dir, entry.name), relative, depth + 1);
      }
    };
    try {
      await walk(this.outputDir(jobExeId), '', 0);
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
    }
    return files.sort();
  }

  /** Records that the execution's first `published` output lines are stored. Does nothing once the folder is gone. */
  async writeLogState(jobExeId: number, published: number): Promise<void> {
    const file = join(this.exeDir(jobExeId), 'logs.json');
    try {
      // Through a rename, so a crash mid-write never leaves a damaged record.
      await writeFile(`${file}.tmp`, JSON.stringify({ published }), { mode: 0o600 });
      await rename(`${file}.tmp`, file);
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
    }
  }

  /** Output lines an earlier run published (0 when unrecorded). */
  async readLogState(jobExeId: number): Promise<number> {
    try {
      const { published } = JSON.parse(await readFile(join(this.exeDir(jobExeId), 'logs.json'), 'utf8')) as {
        published?: unknown;
      };
      return typeof published === 'number' && Number.isInteger(published) && published > 0 ? published : 0;
    } catch (err) {
      if (errorCode(err) === 'ENOENT' || err instanceof SyntaxError) return 0;
      throw err;
    }
  }

  /**
   * Bytes under output/, every entry counted by its own size (links never followed), at any depth. Stops counting
   * once past `limit`, so a job that wrote millions of files is not walked to the end.
   */
  async outputBytes(jobExeId: number, limit: number): Promise<number> {
    let total = 0;
    const folders = [this.outputDir(jobExeId)];
    try {
      for (let dir = folders.pop(); dir !== undefined && total <= limit; dir = folders.pop()) {
        for (const entry of await readdir(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          total += (await lstat(path)).size;
          if (total > limit) break;
          if (entry.isDirectory()) folders.push(path);
        }
      }
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
    }
    return total;
  }

  /** Execution ids that still have a folder. */
  async listExecutions(): Promise<number[]> {
    const entries = await readdir(this.root, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && /^exe-\d+$/.test(e.name))
      .map((e) => Number(e.name.slice('exe-'.length)));
  }

  async remove(jobExeId: number): Promise<void> {
    await rm(this.exeDir(jobExeId), { recursive: true, force: true });
  }
}
