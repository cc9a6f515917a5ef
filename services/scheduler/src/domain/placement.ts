/** Placement of queued jobs on nodes: pure, so it is tested table-style and benchmarked without I/O. */
import type { Resources } from '@scale/contracts';
import { fits, subtract } from './resources.ts';

export interface QueuedJob {
  jobId: number;
  jobTypeId: number;
  need: Resources;
}

export interface NodeCapacity {
  nodeId: number;
  /** What the node has left after its running executions. */
  free: Resources;
}

export interface Placement {
  jobId: number;
  nodeId: number;
}

/**
 * Places jobs in queue order (the caller sorts by priority, then queued time). Each job goes to the node that
 * fits it most tightly (best fit: least free memory, then cpus, left after placing), so large nodes stay free
 * for large jobs. Jobs no node can take now are skipped, not blocking the ones behind them.
 * `maxPerJobType` caps how many executions of a type may run (already running counts are given).
 */
export function placeJobs(
  queue: readonly QueuedJob[],
  nodes: readonly NodeCapacity[],
  limits: { running: ReadonlyMap<number, number>; maxPerJobType: ReadonlyMap<number, number> } = {
    running: new Map(),
    maxPerJobType: new Map(),
  },
): Placement[] {
  const free = new Map(nodes.map((n) => [n.nodeId, n.free]));
  const running = new Map(limits.running);
  const placements: Placement[] = [];
  for (const job of queue) {
    const max = limits.maxPerJobType.get(job.jobTypeId);
    const count = running.get(job.jobTypeId) ?? 0;
    if (max !== undefined && count >= max) continue;
    let best: { nodeId: number; left: Resources } | undefined;
    for (const [nodeId, available] of free) {
      if (!fits(job.need, available)) continue;
      const left = subtract(available, job.need);
      if (!best || left.mem < best.left.mem || (left.mem === best.left.mem && left.cpus < best.left.cpus)) {
        best = { nodeId, left };
      }
    }
    if (!best) continue;
    free.set(best.nodeId, best.left);
    running.set(job.jobTypeId, count + 1);
    placements.push({ jobId: job.jobId, nodeId: best.nodeId });
  }
  return placements;
}
