/**
 * File inputs, the first half of the pre task (reference/scale.md 7.1): where each input file appears in the
 * container and the environment variable that names it. Pure: the execution layer checks the files on disk.
 */
import type { ExecutionFailure, LaunchExecution } from '@scale/contracts';
import { normaliseEnvName } from './seed-env.ts';

/** Input files appear under this folder, one sub-folder per input. */
export const INPUT_DIR = '/scale/input_data';

export interface InputPlacement {
  inputName: string;
  fileId: number;
  /** The workspace folder on the host. */
  hostRoot: string;
  /** Relative to hostRoot. */
  path: string;
  /** Absolute path in the container. */
  target: string;
  /** Bytes, from the catalogue. */
  size: number;
}

export type InputPlan =
  | { ok: true; files: InputPlacement[]; env: Record<string, string> }
  | { ok: false; failure: ExecutionFailure };

const pre = (error: 'missing-file' | 'deleted-file', message: string): InputPlan => ({
  ok: false,
  failure: { type: 'PRE', error, message },
});

/** A catalogue file name used as one path segment; anything that is not a plain name falls back to the id. */
function containerFileName(fileId: number, fileName: string): string {
  return fileName === '.' || fileName === '..' || fileName.includes('/') || fileName.includes('\0')
    ? `file-${fileId}`
    : fileName;
}

/**
 * Seed: one variable per file input, holding the file's absolute path, or the folder holding all of its files
 * when the input takes several. Optional inputs without files stay unset.
 */
export function planInputFiles(launch: LaunchExecution): InputPlan {
  const files: InputPlacement[] = [];
  const env: Record<string, string> = {};
  for (const input of launch.manifest.job.interface.inputs.files) {
    const ids = launch.input.files[input.name] ?? [];
    if (ids.length === 0) {
      if (input.required) return pre('missing-file', `required file input "${input.name}" has no file`);
      continue;
    }
    if (!input.multiple && ids.length > 1) {
      return {
        ok: false,
        failure: { type: 'LAUNCH', message: `file input "${input.name}" takes one file, got ${ids.length}` },
      };
    }
    const staged = new Map((launch.inputFiles?.[input.name] ?? []).map((f) => [f.fileId, f]));
    const dir = `${INPUT_DIR}/${input.name}`;
    const taken = new Set<string>();
    for (const id of ids) {
      const file = staged.get(id);
      if (!file) return pre('missing-file', `file ${id} of input "${input.name}" is not in the catalogue`);
      if (file.deleted) return pre('deleted-file', `file ${id} of input "${input.name}" has been deleted`);
      let name = containerFileName(id, file.fileName);
      // Two files of one input may share a name (different workspaces or folders): keep both.
      if (taken.has(name)) name = `${id}-${name}`;
      taken.add(name);
      files.push({
        inputName: input.name,
        fileId: id,
        hostRoot: file.broker.hostPath,
        path: file.path,
        target: `${dir}/${name}`,
        size: file.size,
      });
    }
    env[normaliseEnvName(input.name)] = input.multiple ? dir : (files.at(-1)?.target ?? dir);
  }
  return { ok: true, files, env };
}
