/** How much a job asks for, by the Seed rules: shared by the scheduler (placement) and the API (job details). */
import type { Resources } from './job.ts';
import type { SeedManifest } from './seed.ts';

/** Scale's defaults when a manifest names no value: 1 core, 128 MiB memory, no disk, no GPU. */
export const DEFAULT_RESOURCES: Readonly<Resources> = Object.freeze({ cpus: 1, mem: 128, disk: 0, gpus: 0 });

const STANDARD = new Set(['cpus', 'mem', 'disk', 'gpus', 'sharedMem']);

/**
 * Resources one execution of a job needs: manifest scalars plus inputMultiplier × input size (MiB).
 * Shared memory (sharedMem) is memory too, so it adds to mem; any other name is a custom scalar.
 */
export function jobResources(manifest: SeedManifest, inputSizeMiB = 0): Resources {
  const scalars = manifest.job.resources.scalar;
  const value = (name: string, fallback: number): number => {
    const scalar = scalars.find((r) => r.name === name);
    if (!scalar) return fallback;
    return scalar.value + (scalar.inputMultiplier ?? 0) * inputSizeMiB;
  };
  const custom: Record<string, number> = {};
  for (const scalar of scalars) {
    if (!STANDARD.has(scalar.name)) custom[scalar.name] = value(scalar.name, 0);
  }
  return {
    cpus: value('cpus', DEFAULT_RESOURCES.cpus),
    mem: value('mem', DEFAULT_RESOURCES.mem) + value('sharedMem', 0),
    disk: value('disk', DEFAULT_RESOURCES.disk),
    gpus: value('gpus', DEFAULT_RESOURCES.gpus),
    ...(Object.keys(custom).length ? { custom } : {}),
  };
}
