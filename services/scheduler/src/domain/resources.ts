import type { Resources, SeedManifest } from '@scale/contracts';

/** Scale's defaults when a manifest names no value: 1 core, 128 MiB memory, no disk, no GPU. */
export const DEFAULT_RESOURCES: Resources = { cpus: 1, mem: 128, disk: 0, gpus: 0 };

/** Resources one execution of a job needs: manifest scalars plus inputMultiplier × input size (MiB). */
export function jobResources(manifest: SeedManifest, inputSizeMiB = 0): Resources {
  const value = (name: keyof Resources): number => {
    const scalar = manifest.job.resources.scalar.find((r) => r.name === name);
    if (!scalar) return DEFAULT_RESOURCES[name];
    return scalar.value + (scalar.inputMultiplier ?? 0) * inputSizeMiB;
  };
  return { cpus: value('cpus'), mem: value('mem'), disk: value('disk'), gpus: value('gpus') };
}

export function fits(need: Resources, free: Resources): boolean {
  return need.cpus <= free.cpus && need.mem <= free.mem && need.disk <= free.disk && need.gpus <= free.gpus;
}

export function subtract(a: Resources, b: Resources): Resources {
  return { cpus: a.cpus - b.cpus, mem: a.mem - b.mem, disk: a.disk - b.disk, gpus: a.gpus - b.gpus };
}
