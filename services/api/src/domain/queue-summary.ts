/**
 * The queue grouped by job type (GET /queue/status/, /v6/queue/status/): counts from SQL, the reasons of
 * domain/queue-reason applied per group of jobs that share a stored reason, and Scale's order.
 */
import { type QueueFacts, queueReason, type ReasonCount, topReasons } from './queue-reason.ts';

export interface QueueTypeCounts {
  jobTypeId: number;
  count: number;
  longestQueued: Date | null;
  /** Lowest number = runs first, which Scale calls the highest priority. */
  highestPriority: number;
}

/** Queued jobs of one type that share a stored reason. */
export interface StoredReasonGroup {
  jobTypeId: number;
  unplaceable: boolean;
  queueReason: string | null;
  count: number;
}

export interface JobTypeRef {
  name: string;
  version: string;
  isPaused: boolean;
}

export interface QueueTypeSummary<T extends JobTypeRef> extends QueueTypeCounts {
  jobType: T;
  reasons: ReasonCount[];
}

/**
 * Paused job types last, then the one whose best job runs first, then the one waiting longest (Scale's order);
 * the id settles ties so pages are stable.
 */
function compare<T extends JobTypeRef>(a: QueueTypeSummary<T>, b: QueueTypeSummary<T>): number {
  if (a.jobType.isPaused !== b.jobType.isPaused) return a.jobType.isPaused ? 1 : -1;
  if (a.highestPriority !== b.highestPriority) return a.highestPriority - b.highestPriority;
  const at = a.longestQueued?.getTime() ?? Number.POSITIVE_INFINITY;
  const bt = b.longestQueued?.getTime() ?? Number.POSITIVE_INFINITY;
  if (at !== bt) return at - bt;
  return a.jobTypeId - b.jobTypeId;
}

export function summarizeQueue<T extends JobTypeRef>(
  counts: readonly QueueTypeCounts[],
  groups: readonly StoredReasonGroup[],
  jobTypes: ReadonlyMap<number, T>,
  facts: QueueFacts,
  reasonLimit: number,
): QueueTypeSummary<T>[] {
  const summaries: QueueTypeSummary<T>[] = [];
  for (const c of counts) {
    const jobType = jobTypes.get(c.jobTypeId);
    if (!jobType) continue;
    const reasons = groups
      .filter((g) => g.jobTypeId === c.jobTypeId)
      .map((g) => ({
        reason: queueReason(
          { status: 'QUEUED', jobType, unplaceable: g.unplaceable, queueReason: g.queueReason },
          facts,
        ),
        count: g.count,
      }))
      .filter((r): r is ReasonCount => r.reason !== null);
    summaries.push({ ...c, jobType, reasons: topReasons(reasons, reasonLimit) });
  }
  return summaries.sort(compare);
}
