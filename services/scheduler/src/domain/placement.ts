/**
 * One scheduling decision over the head of the queue: pure, so it is tested table-style and benchmarked without I/O.
 *
 * Jobs are taken in queue order (the caller sorts by priority, then queued time). Each job goes to the node that fits
 * it most tightly (best fit: least memory, then cpus, left after placing), so large nodes stay free for large jobs.
 * A job that fits no node now does not block the jobs behind it, with two refinements:
 * - a job that no node could ever fit (larger than every node's total) is parked with a reason;
 * - a job that would fit a node once it frees up reserves that node (up to `maxReservations` per pass), so a stream
 *   of small lower-priority jobs cannot starve it.
 */
import type { Resources } from '@scale/contracts';
import { describeAmount, describeResources, dimensions, fits, shortfalls, subtract } from './resources.ts';

export interface QueuedJob {
  jobId: number;
  jobTypeId: number;
  need: Resources;
}

export interface NodeCapacity {
  nodeId: number;
  /** What the node offers in all. */
  total: Resources;
  /** What the node has left after its running executions. */
  free: Resources;
}

export interface Placement {
  jobId: number;
  nodeId: number;
}

export interface Deferral {
  jobId: number;
  reason: string;
}

export interface PassPlan {
  placements: Placement[];
  /** Jobs no node can ever fit: parked until the cluster's capacity changes. */
  parked: Deferral[];
  /** Jobs that could run on this cluster but not now. */
  waiting: Deferral[];
}

export interface PlanLimits {
  /** Live executions per job type. */
  running: ReadonlyMap<number, number>;
  /** max_scheduled per job type (absent: unlimited). */
  maxPerJobType: ReadonlyMap<number, number>;
  /** @default 1 */
  maxReservations?: number;
  /**
   * Placements one pass makes at most; the jobs behind the last one are left as they are for the next pass. Keeps
   * each pass's transaction, and so each decision, short while a deep queue drains. @default unlimited
   */
  maxPlacements?: number;
}

const NO_LIMITS: PlanLimits = { running: new Map(), maxPerJobType: new Map() };

/** Best fit order: less memory left wins, then fewer cpus left. */
function tighter(a: Resources, b: Resources): boolean {
  return a.mem < b.mem || (a.mem === b.mem && a.cpus < b.cpus);
}

/** "needs 64 GiB mem; largest node offers 16 GiB" — or, when each part fits somewhere, that no node has all of it. */
export function parkReason(need: Resources, nodes: readonly NodeCapacity[]): string {
  const largest = new Map<string, number>();
  for (const node of nodes) {
    for (const [name, amount] of dimensions(node.total)) largest.set(name, Math.max(largest.get(name) ?? 0, amount));
  }
  const missing = [...dimensions(need)].filter(([name, amount]) => amount > (largest.get(name) ?? 0));
  if (missing.length > 0) {
    return missing
      .map(([name, amount]) => {
        const offer = largest.get(name) ?? 0;
        const offered = describeAmount(name, offer).replace(` ${name}`, '');
        return `needs ${describeAmount(name, amount)}; largest node offers ${offer > 0 ? offered : 'none'}`;
      })
      .join('; ');
  }
  return `needs ${describeResources(need)} on one node; no node offers all of it`;
}

export function planPass(
  queue: readonly QueuedJob[],
  nodes: readonly NodeCapacity[],
  limits: PlanLimits = NO_LIMITS,
): PassPlan {
  const free = new Map(nodes.map((n) => [n.nodeId, n.free]));
  const reserved = new Set<number>();
  const running = new Map(limits.running);
  const maxReservations = limits.maxReservations ?? 1;
  const plan: PassPlan = { placements: [], parked: [], waiting: [] };
  if (nodes.length === 0) return plan;

  const maxPlacements = limits.maxPlacements ?? Number.POSITIVE_INFINITY;
  for (const job of queue) {
    if (plan.placements.length >= maxPlacements) break;
    const max = limits.maxPerJobType.get(job.jobTypeId);
    const count = running.get(job.jobTypeId) ?? 0;
    if (max !== undefined && count >= max) {
      plan.waiting.push({ jobId: job.jobId, reason: `job type at its max_scheduled limit (${max})` });
      continue;
    }
    // Compare what would be left without building it: this loop runs for every (job, node) pair.
    let bestNode: number | undefined;
    let bestMem = Number.POSITIVE_INFINITY;
    let bestCpus = Number.POSITIVE_INFINITY;
    for (const [nodeId, available] of free) {
      if (reserved.has(nodeId) || !fits(job.need, available)) continue;
      const mem = available.mem - job.need.mem;
      const cpus = available.cpus - job.need.cpus;
      if (mem < bestMem || (mem === bestMem && cpus < bestCpus)) {
        bestNode = nodeId;
        bestMem = mem;
        bestCpus = cpus;
      }
    }
    const best =
      bestNode === undefined ? undefined : { nodeId: bestNode, left: subtract(free.get(bestNode)!, job.need) };
    if (best) {
      free.set(best.nodeId, best.left);
      running.set(job.jobTypeId, count + 1);
      plan.placements.push({ jobId: job.jobId, nodeId: best.nodeId });
      continue;
    }
    const capable = nodes.filter((n) => fits(job.need, n.total));
    if (capable.length === 0) {
      plan.parked.push({ jobId: job.jobId, reason: parkReason(job.need, nodes) });
      continue;
    }
    const candidates = capable.filter((n) => !reserved.has(n.nodeId));
    const needs = `needs ${describeResources(job.need)}`;
    if (candidates.length === 0) {
      plan.waiting.push({
        jobId: job.jobId,
        reason: `waiting for resources (${needs}); large enough nodes are reserved for higher-priority jobs`,
      });
      continue;
    }
    if (reserved.size < maxReservations) {
      // Reserve the smallest node that can hold it, so the larger ones keep serving others.
      let choice = candidates[0]!;
      for (const node of candidates)
        if (tighter(subtract(node.total, job.need), subtract(choice.total, job.need))) choice = node;
      reserved.add(choice.nodeId);
      plan.waiting.push({ jobId: job.jobId, reason: `waiting for resources (${needs}); a node is reserved for it` });
      continue;
    }
    const short = shortfalls(job.need, candidates[0]!.free).join(', ');
    plan.waiting.push({ jobId: job.jobId, reason: `waiting for resources (${needs}; short of ${short} now)` });
  }
  return plan;
}
