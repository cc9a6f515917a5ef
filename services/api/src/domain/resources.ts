/** Resource needs derived from a Seed manifest (same rule and defaults as the scheduler's placement). */
import type { Resources, SeedManifest } from '@scale/contracts';

/** Scale's defaults when a manifest names no value: 1 core, 128 MiB memory, no disk, no GPU. */
export const DEFAULT_RESOURCES: Resources = { cpus: 1, mem: 128, disk: 0, gpus: 0 };

function scalar(manifest: SeedManifest, name: string) {
  return manifest.job.resources.scalar.find((r) => r.name === name);
}

/** Resources one execution needs: manifest scalar + inputMultiplier × input size (MiB). */
export function jobResources(manifest: SeedManifest, inputSizeMiB = 0): Resources {
  const value = (name: keyof Resources): number => {
    const found = scalar(manifest, name);
    if (!found) return DEFAULT_RESOURCES[name];
    return found.value + (found.inputMultiplier ?? 0) * inputSizeMiB;
  };
  return { cpus: value('cpus'), mem: value('mem'), disk: value('disk'), gpus: value('gpus') };
}

/** Scale's `{resources: {cpus, mem, disk}}` JSON; gpus only when some are needed. */
export function resourcesJson(resources: Partial<Resources>): { resources: Record<string, number> } {
  const out: Record<string, number> = {
    cpus: resources.cpus ?? 0,
    mem: resources.mem ?? 0,
    disk: resources.disk ?? 0,
  };
  if (resources.gpus) out.gpus = resources.gpus;
  return { resources: out };
}

/** The v5 view of disk needs: a constant plus a multiple of the input size. */
export function diskOut(manifest: SeedManifest): { constant: number; multiplier: number } {
  const disk = scalar(manifest, 'disk');
  return { constant: disk?.value ?? DEFAULT_RESOURCES.disk, multiplier: disk?.inputMultiplier ?? 0 };
}
