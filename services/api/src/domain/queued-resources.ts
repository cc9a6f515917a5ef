/** Resource totals of waiting jobs (GET /v6/scheduler/queued-resources/), from their revisions' manifests. */

import type { SeedManifest } from '@scale/contracts';
import { jobResources } from '@scale/contracts';
import { amounts, RESOURCE_NAMES, type ResourceAmounts, round } from './node-view.ts';

/** Jobs of one revision, counted in SQL so the totals cost one row per revision rather than one per job. */
export interface RevisionGroup {
  manifest: SeedManifest;
  count: number;
  /** Sum of the jobs' input sizes, MiB. */
  inputMiB: number;
}

/**
 * A job needs base + multiplier × its input size, so n jobs need n × base + multiplier × their summed input size:
 * the group's total is computed without seeing the jobs one by one.
 */
export function groupTotals(groups: readonly RevisionGroup[]): ResourceAmounts {
  const total = amounts(null);
  for (const { manifest, count, inputMiB } of groups) {
    if (count === 0) continue;
    const base = amounts(jobResources(manifest, 0));
    const withInput = amounts(jobResources(manifest, inputMiB));
    for (const name of RESOURCE_NAMES) total[name] += base[name] * (count - 1) + withInput[name];
  }
  return total;
}

/** Scale prints only the resources in use (`{"cpus": 3.0, "mem": 384.0}`, `{}` for nothing). */
export function nonZero(resources: ResourceAmounts): Partial<ResourceAmounts> {
  const out: Partial<ResourceAmounts> = {};
  for (const name of RESOURCE_NAMES) if (resources[name] > 0) out[name] = round(resources[name]);
  return out;
}
