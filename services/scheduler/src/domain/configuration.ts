/**
 * The configuration an execution runs with: its job type's, with what the job itself carries (a recipe's output
 * workspaces, mounts and settings) laid over it, entry by entry.
 */
import type { JobConfigurationOverride } from '@scale/contracts';

/** `T`: the job type configuration, of which only these three entries are merged (priority and the rest are kept). */
export function effectiveConfiguration<T extends JobConfigurationOverride>(
  type: T | null,
  job: JobConfigurationOverride | null,
): T | null {
  if (!job) return type;
  const base = type ?? ({} as T);
  const merged: T = { ...base };
  if (job.settings) merged.settings = { ...base.settings, ...job.settings };
  if (job.mounts) merged.mounts = { ...base.mounts, ...job.mounts };
  if (job.output_workspaces) {
    const defaultWorkspace = job.output_workspaces.default ?? base.output_workspaces?.default;
    merged.output_workspaces = {
      ...(defaultWorkspace === undefined ? {} : { default: defaultWorkspace }),
      outputs: { ...base.output_workspaces?.outputs, ...job.output_workspaces.outputs },
    };
  }
  return merged;
}
