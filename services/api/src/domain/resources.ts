/** Resource needs derived from a Seed manifest (same rule and defaults as the scheduler's placement). */
import { DEFAULT_RESOURCES, type Resources, type SeedManifest } from '@scale/contracts';

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
  const disk = manifest.job.resources.scalar.find((r) => r.name === 'disk');
  return { constant: disk?.value ?? DEFAULT_RESOURCES.disk, multiplier: disk?.inputMultiplier ?? 0 };
}
