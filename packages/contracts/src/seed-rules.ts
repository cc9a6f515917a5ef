/**
 * The rules a Seed manifest must pass to be registered as a job type, beyond the shape `SeedManifest` checks.
 *
 * They live apart from `SeedManifest` on purpose: stored manifests and the messages that carry them (launches) are
 * parsed with `SeedManifest`, so a rule added here later never makes an already registered job type unreadable.
 * Registration (the API's POST/PATCH/validation bodies) uses `RegisteredSeedManifest`.
 */
import { SeedManifest } from './seed.ts';

/** Scalar resources the platform knows: Seed's reserved names plus gpus. Any other name is a custom resource. */
export const STANDARD_SCALAR_RESOURCES: readonly string[] = ['cpus', 'mem', 'disk', 'sharedMem', 'gpus'];

/** Variables every job container gets besides its inputs, settings and `ALLOCATED_<RESOURCE>`. */
export const PLATFORM_ENV_VARS: readonly string[] = ['OUTPUT_DIR', 'SCALE_JOB_ID', 'SCALE_EXE_NUM'];

const ALLOCATED_PREFIX = 'ALLOCATED_';
const SCALAR_NAME = /^[a-zA-Z0-9_-]+$/;
const MEDIA_TYPE = /^[A-Za-z0-9!#$&^_.+*-]+\/[A-Za-z0-9!#$&^_.+*-]+$/;

/** Seed's environment variable rule: upper-case, '-' becomes '_', anything outside [A-Z0-9_] is dropped. */
export function seedEnvName(name: string): string {
  return name
    .toUpperCase()
    .replaceAll('-', '_')
    .replace(/[^A-Z0-9_]/g, '');
}

export type CommandScan = { ok: true; variables: string[] } | { ok: false; message: string };

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const DQUOTE_ESCAPABLE = new Set(['$', '`', '"', '\\', '\n']);

/** `$NAME` or `${NAME}` at `start` (a `$`): the name and the index after it, or undefined for a literal `$`. */
function readVariable(text: string, start: number): { name: string; end: number } | undefined {
  const next = text[start + 1];
  if (next === '{') {
    const close = text.indexOf('}', start + 2);
    if (close < 0) return undefined;
    const name = text.slice(start + 2, close);
    return VARIABLE_NAME.test(name) ? { name, end: close + 1 } : undefined;
  }
  if (next === undefined || !NAME_START.test(next)) return undefined;
  let end = start + 2;
  while (end < text.length && NAME_CHAR.test(text[end] ?? '')) end++;
  return { name: text.slice(start + 1, end), end };
}

/**
 * The variables a Seed command expands, read with the executor's quoting rules (no shell is involved): nothing
 * inside '…', `$VAR`/`${VAR}` elsewhere unless escaped with a backslash. Each name is listed once, in order.
 */
export function commandVariables(command: string): CommandScan {
  const found: string[] = [];
  const add = (name: string) => {
    if (!found.includes(name)) found.push(name);
  };
  let inDouble = false;
  let i = 0;
  while (i < command.length) {
    const c = command[i] as string;
    if (inDouble) {
      if (c === '"') inDouble = false;
      else if (c === '\\' && DQUOTE_ESCAPABLE.has(command[i + 1] ?? '')) i++;
      else if (c === '$') {
        const variable = readVariable(command, i);
        if (variable) {
          add(variable.name);
          i = variable.end;
          continue;
        }
      }
      i++;
    } else if (c === "'") {
      const close = command.indexOf("'", i + 1);
      if (close < 0) return { ok: false, message: 'unterminated single quote' };
      i = close + 1;
    } else if (c === '"') {
      inDouble = true;
      i++;
    } else if (c === '\\') {
      if (i + 1 >= command.length) return { ok: false, message: 'ends with a backslash' };
      i += 2;
    } else if (c === '$') {
      const variable = readVariable(command, i);
      if (variable) add(variable.name);
      i = variable ? variable.end : i + 1;
    } else {
      i++;
    }
  }
  if (inDouble) return { ok: false, message: 'unterminated double quote' };
  return { ok: true, variables: found };
}

/** One problem, with its path from the manifest root (e.g. ['job', 'interface', 'command']). */
export interface SeedIssue {
  path: (string | number)[];
  message: string;
}

type Interface = SeedManifest['job']['interface'];

/** Inputs and settings become environment variables; two of them must not become the same one. */
function envNameIssues(iface: Interface): SeedIssue[] {
  const issues: SeedIssue[] = [];
  const entries = [
    ...iface.inputs.files.map((f, index) => ({ kind: 'input', group: 'inputs.files', index, name: f.name })),
    ...iface.inputs.json.map((j, index) => ({ kind: 'input', group: 'inputs.json', index, name: j.name })),
    ...iface.settings.map((s, index) => ({ kind: 'setting', group: 'settings', index, name: s.name })),
  ];
  const seen = new Map<string, (typeof entries)[number]>();
  for (const entry of entries) {
    const path = ['job', 'interface', ...entry.group.split('.'), entry.index, 'name'];
    const env = seedEnvName(entry.name);
    if (PLATFORM_ENV_VARS.includes(env) || env.startsWith(ALLOCATED_PREFIX)) {
      issues.push({ path, message: `"${entry.name}" becomes $${env}, which the platform sets itself` });
      continue;
    }
    const previous = seen.get(env);
    // Identical names within a group, or shared by a file and a json input, are already reported by SeedManifest.
    const reportedByShape =
      previous?.name === entry.name && (previous.group === entry.group || entry.kind === previous.kind);
    if (previous && !reportedByShape) {
      issues.push({
        path,
        message: `"${entry.name}" becomes $${env}, as ${previous.kind} "${previous.name}" does`,
      });
    }
    if (!previous) seen.set(env, entry);
  }
  return issues;
}

function commandIssues(manifest: SeedManifest): SeedIssue[] {
  const iface = manifest.job.interface;
  if (iface.command === undefined) return [];
  const path = ['job', 'interface', 'command'];
  const scan = commandVariables(iface.command);
  if (!scan.ok) return [{ path, message: `command ${scan.message}` }];
  const declared = new Map<string, string>();
  for (const input of [...iface.inputs.files, ...iface.inputs.json]) declared.set(seedEnvName(input.name), input.name);
  for (const setting of iface.settings) declared.set(seedEnvName(setting.name), setting.name);
  const known = new Set([
    ...declared.keys(),
    ...PLATFORM_ENV_VARS,
    ...[...STANDARD_SCALAR_RESOURCES, ...manifest.job.resources.scalar.map((r) => r.name)].map(
      (name) => ALLOCATED_PREFIX + seedEnvName(name),
    ),
  ]);
  return scan.variables
    .filter((name) => !known.has(name))
    .map((name) => {
      // Seed upper-cases names, so `${text}` for an input "text" is the likely mistake.
      const meant = declared.get(seedEnvName(name));
      const hint = meant === undefined ? '' : ` (did you mean \${${seedEnvName(name)}} for "${meant}"?)`;
      return {
        path,
        message: `\${${name}} is not an input, a setting or a platform variable, so it would expand to nothing${hint}`,
      };
    });
}

function resourceIssues(manifest: SeedManifest): SeedIssue[] {
  const issues: SeedIssue[] = [];
  manifest.job.resources.scalar.forEach((resource, index) => {
    const path = ['job', 'resources', 'scalar', index];
    if (!SCALAR_NAME.test(resource.name)) {
      issues.push({ path: [...path, 'name'], message: 'must hold only letters, digits, _ and -' });
    }
    if (resource.name === 'gpus' && !Number.isInteger(resource.value)) {
      issues.push({ path: [...path, 'value'], message: 'gpus must be a whole number' });
    }
    if (resource.name === 'gpus' && resource.inputMultiplier !== undefined) {
      issues.push({ path: [...path, 'inputMultiplier'], message: 'gpus cannot grow with the input size' });
    }
  });
  return issues;
}

/** Path segments of a '/'-separated path that would climb out of its root. */
function climbsOut(path: string): boolean {
  return path.split('/').includes('..');
}

function outputIssues(iface: Interface): SeedIssue[] {
  const issues: SeedIssue[] = [];
  iface.outputs.files.forEach((output, index) => {
    const path = ['job', 'interface', 'outputs', 'files', index];
    if (output.pattern.startsWith('/')) {
      issues.push({ path: [...path, 'pattern'], message: 'must be a glob relative to OUTPUT_DIR' });
    } else if (climbsOut(output.pattern)) {
      issues.push({ path: [...path, 'pattern'], message: "must stay inside OUTPUT_DIR (no '..')" });
    }
    if (output.mediaType !== undefined && !MEDIA_TYPE.test(output.mediaType)) {
      issues.push({ path: [...path, 'mediaType'], message: 'must be a media type such as "text/plain"' });
    }
  });
  const keys = new Map<string, string>();
  iface.outputs.json.forEach((output, index) => {
    const key = output.key ?? output.name;
    const other = keys.get(key);
    if (other !== undefined) {
      issues.push({
        path: ['job', 'interface', 'outputs', 'json', index, output.key === undefined ? 'name' : 'key'],
        message: `seed.outputs.json key "${key}" is also read by output "${other}"`,
      });
    } else keys.set(key, output.name);
  });
  return issues;
}

function inputIssues(iface: Interface): SeedIssue[] {
  const issues: SeedIssue[] = [];
  iface.inputs.files.forEach((input, index) => {
    input.mediaTypes?.forEach((mediaType, m) => {
      if (!MEDIA_TYPE.test(mediaType)) {
        issues.push({
          path: ['job', 'interface', 'inputs', 'files', index, 'mediaTypes', m],
          message: 'must be a media type such as "text/plain"',
        });
      }
    });
  });
  return issues;
}

function mountIssues(iface: Interface): SeedIssue[] {
  const issues: SeedIssue[] = [];
  const paths = new Map<string, string>();
  iface.mounts.forEach((mount, index) => {
    const path = ['job', 'interface', 'mounts', index, 'path'];
    const normalised = mount.path.replace(/\/+$/, '') || '/';
    if (normalised === '/') issues.push({ path, message: 'cannot mount over the root of the container' });
    else if (climbsOut(mount.path)) issues.push({ path, message: "must not contain '..'" });
    const other = paths.get(normalised);
    if (other !== undefined) issues.push({ path, message: `"${mount.path}" is also the path of mount "${other}"` });
    else paths.set(normalised, mount.name);
  });
  return issues;
}

function errorIssues(manifest: SeedManifest): SeedIssue[] {
  const issues: SeedIssue[] = [];
  const names = new Set<string>();
  manifest.job.errors.forEach((error, index) => {
    // Errors are stored by (job type name, error name): two codes cannot share one row.
    if (names.has(error.name)) {
      issues.push({ path: ['job', 'errors', index, 'name'], message: `duplicate error name "${error.name}"` });
    }
    names.add(error.name);
  });
  return issues;
}

/** Every registration problem of a manifest that already has the `SeedManifest` shape. */
export function seedRegistrationIssues(manifest: SeedManifest): SeedIssue[] {
  const iface = manifest.job.interface;
  return [
    ...resourceIssues(manifest),
    ...inputIssues(iface),
    ...outputIssues(iface),
    ...mountIssues(iface),
    ...envNameIssues(iface),
    ...commandIssues(manifest),
    ...errorIssues(manifest),
  ];
}

/** `SeedManifest` plus the registration rules: what POST/PATCH of a job type accepts. */
export const RegisteredSeedManifest = SeedManifest.superRefine((manifest, ctx) => {
  for (const issue of seedRegistrationIssues(manifest)) {
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }
});

/** Names of the manifest's scalar resources that are not standard ones (Scale's `unmet_resources` candidates). */
export function customScalarNames(manifest: SeedManifest): string[] {
  return manifest.job.resources.scalar.map((r) => r.name).filter((name) => !STANDARD_SCALAR_RESOURCES.includes(name));
}
