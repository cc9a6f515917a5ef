/**
 * The v5 job details' `inputs` and `outputs` (seed 001): each interface entry of the Seed manifest merged with
 * the job's value for it. A file value is the file reference ({id}); the full file object belongs to the file
 * API, which owns the file table.
 */
import type { Data, SeedManifest } from '@scale/contracts';

export interface InterfaceValue {
  name: string;
  type: 'property' | 'file' | 'files';
  value: unknown;
}

type FileEntry = { name: string; multiple?: boolean | undefined };

function fileValue(entry: FileEntry, ids: readonly number[] | undefined): InterfaceValue {
  if (entry.multiple) return { name: entry.name, type: 'files', value: (ids ?? []).map((id) => ({ id })) };
  const [id] = ids ?? [];
  return { name: entry.name, type: 'file', value: id === undefined ? null : { id } };
}

function merge(side: { files: FileEntry[]; json: { name: string }[] }, data: Data | null | undefined) {
  return [
    ...side.files.map((f) => fileValue(f, data?.files[f.name])),
    ...side.json.map((j) => ({ name: j.name, type: 'property' as const, value: data?.json[j.name] ?? null })),
  ];
}

export function inputValues(manifest: SeedManifest, input: Data): InterfaceValue[] {
  return merge(manifest.job.interface.inputs, input);
}

/** Null output (the job has not finished) gives every output with a null or empty value. */
export function outputValues(manifest: SeedManifest, output: Data | null | undefined): InterfaceValue[] {
  return merge(manifest.job.interface.outputs, output);
}
