/** Checks a job's input Data against its manifest's interface (Seed inputs), before the job is queued. */
import type { Data, SeedManifest } from '@scale/contracts';

type JsonType = SeedManifest['job']['interface']['inputs']['json'][number]['type'];

export interface InputIssue {
  kind: 'files' | 'json';
  /** Input name as the client sent it (or as the manifest declares it, for a missing one). */
  name: string;
  message: string;
}

/** What the files catalogue says about the files an input names (loaded by the caller). */
export interface CatalogueEntry {
  deleted: boolean;
}

export function jsonTypeOf(value: unknown): JsonType | 'null' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    default:
      return 'object';
  }
}

function matchesType(value: unknown, type: JsonType): boolean {
  const actual = jsonTypeOf(value);
  // Every integer is also a JSON Schema number.
  return actual === type || (type === 'number' && actual === 'integer');
}

/**
 * Every problem with `data` for this manifest; empty when the job can be queued. `catalogue` holds the files of
 * `data.files` that exist (a file missing from it does not exist).
 */
export function validateJobInput(
  manifest: SeedManifest,
  data: Data,
  catalogue: ReadonlyMap<number, CatalogueEntry> = new Map(),
): InputIssue[] {
  const issues: InputIssue[] = [];
  const { files, json } = manifest.job.interface.inputs;
  const fileNames = new Set(files.map((f) => f.name));
  const jsonInputs = new Map(json.map((j) => [j.name, j]));

  for (const [name, value] of Object.entries(data.json)) {
    const input = jsonInputs.get(name);
    if (!input) {
      issues.push({
        kind: 'json',
        name,
        message: fileNames.has(name) ? `"${name}" is a file input` : `unknown input "${name}"`,
      });
    } else if (!matchesType(value, input.type)) {
      issues.push({ kind: 'json', name, message: `must be of type ${input.type}, got ${jsonTypeOf(value)}` });
    }
  }
  for (const input of json) {
    if (input.required && !(input.name in data.json)) {
      issues.push({ kind: 'json', name: input.name, message: 'required input is missing' });
    }
  }
  const fileInputs = new Map(files.map((f) => [f.name, f]));
  for (const [name, ids] of Object.entries(data.files)) {
    const input = fileInputs.get(name);
    if (!input) {
      issues.push({
        kind: 'files',
        name,
        message: jsonInputs.has(name) ? `"${name}" is a json input` : `unknown input "${name}"`,
      });
      continue;
    }
    if (!input.multiple && ids.length > 1) {
      issues.push({ kind: 'files', name, message: `takes one file, got ${ids.length}` });
    }
    for (const id of ids) {
      const entry = catalogue.get(id);
      if (!entry) issues.push({ kind: 'files', name, message: `file ${id} does not exist` });
      else if (entry.deleted) issues.push({ kind: 'files', name, message: `file ${id} has been deleted` });
    }
  }
  for (const input of files) {
    if (input.required && (data.files[input.name] ?? []).length === 0) {
      issues.push({ kind: 'files', name: input.name, message: 'required input is missing' });
    }
  }
  return issues;
}
