/**
 * Where captured output files go (the second half of the post task): each file output's matches are copied into
 * its output workspace under a path that depends on the execution only, so a post task that runs again (after an
 * agent restart) writes the same files, never new ones. Pure.
 */
import {
  type ExecutionFailure,
  type LaunchExecution,
  mediaTypeOf,
  type OutputWorkspace,
  WorkspacePath,
} from '@scale/contracts';

export interface OutputStore {
  outputName: string;
  /** Relative to OUTPUT_DIR. */
  source: string;
  workspace: OutputWorkspace;
  /** Relative to the workspace root. */
  path: string;
  fileName: string;
  mediaType: string;
}

export type StorePlan =
  | { ok: true; stores: OutputStore[]; warnings: string[] }
  | { ok: false; failure: Extract<ExecutionFailure, { type: 'OUTPUT' }> };

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Scale's product layout: `<job type>/<version>/<yyyy>/<mm>/<dd>/job_exe_<id>/<path in OUTPUT_DIR>`. `day` is
 * when the main task started (UTC), which a restarted agent reads back from Docker.
 */
export function productPath(launch: LaunchExecution, day: Date, source: string): string {
  const date = `${day.getUTCFullYear()}/${pad(day.getUTCMonth() + 1)}/${pad(day.getUTCDate())}`;
  return `${launch.jobTypeName}/${launch.jobTypeVersion}/${date}/job_exe_${launch.token.jobExeId}/${source}`;
}

export function planOutputStores(launch: LaunchExecution, matches: Record<string, string[]>, day: Date): StorePlan {
  const stores: OutputStore[] = [];
  const warnings: string[] = [];
  for (const output of launch.manifest.job.interface.outputs.files) {
    const sources = matches[output.name] ?? [];
    if (sources.length === 0) continue;
    const workspace = launch.outputWorkspaces?.[output.name];
    if (!workspace) {
      warnings.push(`output "${output.name}" has no output workspace configured: its files are not stored`);
      continue;
    }
    for (const source of sources) {
      const path = productPath(launch, day, source);
      if (!WorkspacePath.safeParse(path).success) {
        return {
          ok: false,
          failure: {
            type: 'OUTPUT',
            error: 'output-capture-error',
            message: `output file "${source}" cannot be stored: its name is not a valid workspace path`,
          },
        };
      }
      const fileName = source.slice(source.lastIndexOf('/') + 1);
      stores.push({
        outputName: output.name,
        source,
        workspace,
        path,
        fileName,
        mediaType: output.mediaType ?? mediaTypeOf(fileName),
      });
    }
  }
  return { ok: true, stores, warnings };
}
