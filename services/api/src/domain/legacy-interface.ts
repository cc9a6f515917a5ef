/** The v5 job interface (version 1.0) seen through a Seed manifest, for v5 responses. */
import type { SeedManifest } from '@scale/contracts';

export interface LegacyInterface {
  version: '1.0';
  command: string;
  command_arguments: string;
  input_data: { name: string; type: 'property' | 'file' | 'files'; required: boolean; media_types?: string[] }[];
  output_data: { name: string; type: 'file' | 'files'; required: boolean; media_type?: string }[];
  settings: { name: string; required: boolean }[];
  mounts: { name: string; path: string; required: boolean; mode: 'ro' | 'rw' }[];
}

export function legacyInterface(manifest: SeedManifest): LegacyInterface {
  const iface = manifest.job.interface;
  const [command = '', ...args] = (iface.command ?? '').split(' ');
  return {
    version: '1.0',
    command,
    command_arguments: args.join(' '),
    input_data: [
      ...iface.inputs.files.map((f) => ({
        name: f.name,
        type: f.multiple ? ('files' as const) : ('file' as const),
        required: f.required,
        ...(f.mediaTypes ? { media_types: f.mediaTypes } : {}),
      })),
      ...iface.inputs.json.map((j) => ({ name: j.name, type: 'property' as const, required: j.required })),
    ],
    output_data: iface.outputs.files.map((o) => ({
      name: o.name,
      type: o.multiple ? ('files' as const) : ('file' as const),
      required: o.required,
      ...(o.mediaType ? { media_type: o.mediaType } : {}),
    })),
    settings: iface.settings.map((s) => ({ name: s.name, required: true })),
    mounts: iface.mounts.map((m) => ({ name: m.name, path: m.path, required: true, mode: m.mode })),
  };
}
