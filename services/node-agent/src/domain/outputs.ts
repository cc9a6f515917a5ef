/** Output capture, the post task (reference/scale.md 7.2). Pure: the adapter reads the directory. */
import type { Data, ExecutionFailure, LaunchExecution } from '@scale/contracts';
import { matchGlob } from './glob.ts';

export const SEED_OUTPUTS_FILE = 'seed.outputs.json';

type Outputs = LaunchExecution['manifest']['job']['interface']['outputs'];
type JsonType = Outputs['json'][number]['type'];

/** What the adapter found in seed.outputs.json. */
export type SeedOutputsFile =
  | { kind: 'absent' }
  | { kind: 'unreadable'; message: string }
  | { kind: 'parsed'; value: unknown };

export interface CaptureInput {
  outputs: Outputs;
  seedOutputs: SeedOutputsFile;
  /** Regular files under OUTPUT_DIR, relative, '/'-separated. */
  files: readonly string[];
}

export type CaptureResult =
  | {
      ok: true;
      data: Data;
      /** Files matched per file output name (relative to OUTPUT_DIR), for storing in the output workspaces. */
      matches: Record<string, string[]>;
      warnings: string[];
    }
  | { ok: false; failure: Extract<ExecutionFailure, { type: 'OUTPUT' }> };

type OutputError = Extract<ExecutionFailure, { type: 'OUTPUT' }>['error'];
const fail = (error: OutputError, message: string): CaptureResult => ({
  ok: false,
  failure: { type: 'OUTPUT', error, message },
});

export function hasJsonType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
  }
}

/** Protocol files are not job products, so a broad pattern such as `*.json` must not count them. */
function isProtocolFile(path: string): boolean {
  return path === SEED_OUTPUTS_FILE || path.endsWith('.metadata.json');
}

export function captureOutputs({ outputs, seedOutputs, files }: CaptureInput): CaptureResult {
  const warnings: string[] = [];
  const json: Record<string, unknown> = {};

  if (seedOutputs.kind === 'unreadable') {
    return fail('invalid-results-manifest', `${SEED_OUTPUTS_FILE}: ${seedOutputs.message}`);
  }
  if (seedOutputs.kind === 'absent') {
    const required = outputs.json.filter((o) => o.required).map((o) => o.name);
    if (required.length > 0) {
      return fail(
        'invalid-results-manifest',
        `${SEED_OUTPUTS_FILE} is missing but these json outputs are required: ${required.join(', ')}`,
      );
    }
    if (outputs.json.length > 0) warnings.push(`${SEED_OUTPUTS_FILE} is missing`);
  } else {
    const document = seedOutputs.value;
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      return fail('invalid-results-manifest', `${SEED_OUTPUTS_FILE} must hold a JSON object`);
    }
    // Unknown keys are ignored, as Scale does.
    for (const output of outputs.json) {
      const key = output.key ?? output.name;
      const value = Object.hasOwn(document, key) ? (document as Record<string, unknown>)[key] : undefined;
      if (value === undefined) {
        if (output.required) return fail('invalid-results-manifest', `required json output "${key}" is missing`);
        continue;
      }
      if (!hasJsonType(value, output.type)) {
        return fail('invalid-results-manifest', `json output "${key}" must be of type ${output.type}`);
      }
      json[output.name] = value;
    }
  }

  const products = files.filter((path) => !isProtocolFile(path));
  const matched: Record<string, string[]> = {};
  for (const output of outputs.files) {
    const matches = matchGlob(output.pattern, products);
    if (matches.length === 0 && output.required) {
      return fail('missing-required-output', `no file matches "${output.pattern}" for output "${output.name}"`);
    }
    if (matches.length > 1 && !output.multiple) {
      return fail(
        'unexpected-multiple-outputs',
        `${matches.length} files match "${output.pattern}" for output "${output.name}", which takes one`,
      );
    }
    if (matches.length > 0) matched[output.name] = matches;
  }
  // data.files stays empty: file ids exist once the scheduler registers the stored files.
  return { ok: true, data: { files: {}, json }, matches: matched, warnings };
}
