/**
 * The v5 job details' `inputs` and `outputs` (seed 001): each interface entry of the Seed manifest merged with
 * the job's value for it. A file value is whatever `file` makes of its id (the whole file object in the API; a
 * bare reference {id} when the file is unknown).
 */
import type { Data, SeedManifest } from '@scale/contracts';

export interface InterfaceValue {
  name: string;
  type: 'property' | 'file' | 'files';
  value: unknown;
}

/** Turns a file id into the value shown for it. */
export type FileResolver = (id: number) => unknown;

const reference: FileResolver = (id) => ({ id });

type FileEntry = { name: string; multiple?: boolean | undefined };

function fileValue(entry: FileEntry, ids: readonly number[] | undefined, file: FileResolver): InterfaceValue {
  if (entry.multiple) return { name: entry.name, type: 'files', value: (ids ?? []).map(file) };
  const [id] = ids ?? [];
  return { name: entry.name, type: 'file', value: id === undefined ? null : file(id) };
}

function merge(
  side: { files: FileEntry[]; json: { name: string }[] },
  data: Data | null | undefined,
  file: FileResolver,
) {
  return [
    ...side.files.map((f) => fileValue(f, data?.files[f.name], file)),
    ...side.json.map((j) => ({ name: j.name, type: 'property' as const, value: data?.json[j.name] ?? null })),
  ];
}

export function inputValues(manifest: SeedManifest, input: Data, file: FileResolver = reference): InterfaceValue[] {
  return merge(manifest.job.interface.inputs, input, file);
}

/** Null output (the job has not finished) gives every output with a null or empty value. */
export function outputValues(
  manifest: SeedManifest,
  output: Data | null | undefined,
  file: FileResolver = reference,
): InterfaceValue[] {
  return merge(manifest.job.interface.outputs, output, file);
}

/** Every file id a Data value names, each once. */
export function fileIdsOf(data: Data | null | undefined): number[] {
  return [...new Set(Object.values(data?.files ?? {}).flat())];
}
