/**
 * One model of "a named value a node takes or produces", whatever declared it: a recipe input interface, a Seed
 * manifest's inputs and outputs, a condition's interface. Connections are checked and data is wired in terms of it.
 */
import type { Data } from './data.ts';
import type { RecipeInterface } from './recipe-definition.ts';
import type { SeedManifest } from './seed.ts';

type JsonTypeName = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';

export interface Param {
  name: string;
  kind: 'files' | 'json';
  required: boolean;
  /** Files only: takes or produces more than one file. */
  multiple: boolean;
  /** JSON only. */
  type?: JsonTypeName;
  /** Files only: accepted or produced media types; empty means any. */
  mediaTypes: string[];
}

export type Params = ReadonlyMap<string, Param>;

/** The inputs and outputs of a node, by name. */
export interface NodeInterfaces {
  inputs: Params;
  outputs: Params;
}

export function interfaceParams(iface: RecipeInterface): Map<string, Param> {
  const params = new Map<string, Param>();
  for (const f of iface.files ?? []) {
    params.set(f.name, {
      name: f.name,
      kind: 'files',
      required: f.required ?? true,
      multiple: f.multiple ?? false,
      mediaTypes: f.media_types ?? [],
    });
  }
  for (const j of iface.json ?? []) {
    params.set(j.name, {
      name: j.name,
      kind: 'json',
      required: j.required ?? true,
      multiple: false,
      type: j.type,
      mediaTypes: [],
    });
  }
  return params;
}

/** A job type's inputs and outputs from its Seed manifest. */
export function manifestInterfaces(manifest: SeedManifest): NodeInterfaces {
  const { inputs, outputs } = manifest.job.interface;
  const inputParams = new Map<string, Param>();
  for (const f of inputs.files) {
    inputParams.set(f.name, {
      name: f.name,
      kind: 'files',
      required: f.required,
      multiple: f.multiple,
      mediaTypes: f.mediaTypes ?? [],
    });
  }
  for (const j of inputs.json) {
    inputParams.set(j.name, {
      name: j.name,
      kind: 'json',
      required: j.required,
      multiple: false,
      type: j.type,
      mediaTypes: [],
    });
  }
  const outputParams = new Map<string, Param>();
  for (const f of outputs.files) {
    outputParams.set(f.name, {
      name: f.name,
      kind: 'files',
      required: f.required,
      multiple: f.multiple,
      mediaTypes: f.mediaType ? [f.mediaType] : [],
    });
  }
  for (const j of outputs.json) {
    outputParams.set(j.name, {
      name: j.name,
      kind: 'json',
      required: j.required,
      multiple: false,
      type: j.type,
      mediaTypes: [],
    });
  }
  return { inputs: inputParams, outputs: outputParams };
}

/** JSON Schema type of a value; integers are also numbers. */
export function jsonTypeOf(value: unknown): JsonTypeName | 'null' {
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

/** A value of type `source` may be given to a parameter of type `target` (an integer is also a number). */
export function jsonTypeAccepts(target: JsonTypeName, source: JsonTypeName | 'null'): boolean {
  return target === source || (target === 'number' && source === 'integer');
}

/** One problem with data given to an interface: the parameter, and what is wrong. */
export interface DataIssue {
  kind: 'files' | 'json';
  name: string;
  message: string;
}

/**
 * Every problem with `data` for these parameters: unknown names, wrong kinds or JSON types, several files for a
 * single-file parameter, missing required values. File ids are not resolved here (the caller checks they exist).
 */
export function dataIssues(params: Params, data: Data): DataIssue[] {
  const issues: DataIssue[] = [];
  for (const [name, value] of Object.entries(data.json)) {
    const param = params.get(name);
    if (!param) issues.push({ kind: 'json', name, message: `unknown input "${name}"` });
    else if (param.kind !== 'json') issues.push({ kind: 'json', name, message: `"${name}" is a file input` });
    else if (!jsonTypeAccepts(param.type!, jsonTypeOf(value))) {
      issues.push({ kind: 'json', name, message: `must be of type ${param.type}, got ${jsonTypeOf(value)}` });
    }
  }
  for (const [name, ids] of Object.entries(data.files)) {
    const param = params.get(name);
    if (!param) issues.push({ kind: 'files', name, message: `unknown input "${name}"` });
    else if (param.kind !== 'files') issues.push({ kind: 'files', name, message: `"${name}" is a json input` });
    else if (ids.length > 1 && !param.multiple) {
      issues.push({ kind: 'files', name, message: `takes one file, got ${ids.length}` });
    }
  }
  for (const param of params.values()) {
    if (!param.required) continue;
    const present = param.kind === 'json' ? param.name in data.json : (data.files[param.name] ?? []).length > 0;
    if (!present) issues.push({ kind: param.kind, name: param.name, message: 'required input is missing' });
  }
  return issues;
}
