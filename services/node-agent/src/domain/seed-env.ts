/** The container environment a Seed executor must provide (reference/scale.md 7.1). Pure. */
import type { ExecutionFailure, LaunchExecution } from '@scale/contracts';

/** Where the output volume is mounted in every job container. */
export const OUTPUT_DIR = '/scale/output_data';

/** Seed rule: upper-case, '-' becomes '_', anything outside [A-Z0-9_] is dropped. */
export function normaliseEnvName(name: string): string {
  return name
    .toUpperCase()
    .replaceAll('-', '_')
    .replace(/[^A-Z0-9_]/g, '');
}

/** JSON inputs: strings go in as they are, everything else as its JSON text (numbers and booleans read naturally). */
export function envValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export type SeedEnvResult = { ok: true; env: Record<string, string> } | { ok: false; failure: ExecutionFailure };

const launchFailure = (message: string): SeedEnvResult => ({ ok: false, failure: { type: 'LAUNCH', message } });

/** `inputFileEnv`: the file input variables (domain/inputs.ts), which name paths in the container. */
export function buildSeedEnv(launch: LaunchExecution, inputFileEnv: Record<string, string> = {}): SeedEnvResult {
  const iface = launch.manifest.job.interface;
  const env: Record<string, string> = { ...inputFileEnv };

  for (const input of iface.inputs.json) {
    const value = launch.input.json[input.name];
    // Optional inputs that are absent stay unset, so the command sees an empty expansion.
    if (value === undefined) {
      if (input.required) return launchFailure(`required json input "${input.name}" has no value`);
      continue;
    }
    env[normaliseEnvName(input.name)] = envValue(value);
  }

  for (const setting of iface.settings) {
    const value = launch.settings[setting.name];
    if (value === undefined) {
      return {
        ok: false,
        failure: { type: 'PRE', error: 'missing-setting', message: `setting "${setting.name}" has no value` },
      };
    }
    env[normaliseEnvName(setting.name)] = value;
  }

  // Platform variables come last so a user input or setting cannot shadow them.
  env.OUTPUT_DIR = OUTPUT_DIR;
  for (const scalar of launch.manifest.job.resources.scalar) {
    env[`ALLOCATED_${normaliseEnvName(scalar.name)}`] = String(scalar.value);
  }
  // The allocation is what the job really got, so it wins over the manifest's request.
  const { cpus, mem, disk, gpus } = launch.resources;
  Object.assign(env, {
    ALLOCATED_CPUS: String(cpus),
    ALLOCATED_MEM: String(mem),
    ALLOCATED_DISK: String(disk),
    ALLOCATED_GPUS: String(gpus),
    SCALE_JOB_ID: String(launch.token.jobId),
    SCALE_EXE_NUM: String(launch.token.exeNum),
  });
  return { ok: true, env };
}

/** Docker wants KEY=value strings. */
export function envList(env: Record<string, string>): string[] {
  return Object.entries(env).map(([key, value]) => `${key}=${value}`);
}
