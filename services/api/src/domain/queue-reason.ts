/**
 * "Why is this queued job not running?": one answer per job, from what holds the whole queue back down to what the
 * scheduler wrote about this job in its last pass. Blanket causes come first, because while one of them holds, the
 * scheduler does not look at the job at all and whatever it wrote earlier is stale.
 */
import type { JobStatus } from '@scale/contracts';

export const SCHEDULER_PAUSED = 'scheduler is paused';
export const NO_NODE_ONLINE = 'no node is online';
export const WAITING_IN_QUEUE = 'waiting in queue';
/** A parked job whose reason was not recorded (it should always be; kept so the answer is never empty). */
export const PARKED_WITHOUT_REASON = 'no node can ever fit it';

/** What the cluster looks like right now: the same for every queued job. */
export interface QueueFacts {
  schedulerPaused: boolean;
  /** Active nodes in state READY: the only ones that get new jobs. */
  readyNodes: number;
}

export interface QueuedJobFacts {
  status: JobStatus;
  jobType: { name: string; version: string; isPaused: boolean };
  /** Parked by the scheduler: no node could ever fit it. */
  unplaceable: boolean;
  /** What the scheduler's last pass said about this job. */
  queueReason: string | null;
}

export function jobTypePaused(jobType: { name: string; version: string }): string {
  return `job type ${jobType.name} ${jobType.version} is paused`;
}

/** The reason a job is not running, or null when it is not QUEUED (only queued jobs wait for the scheduler). */
export function queueReason(job: QueuedJobFacts, facts: QueueFacts): string | null {
  if (job.status !== 'QUEUED') return null;
  if (facts.schedulerPaused) return SCHEDULER_PAUSED;
  if (job.jobType.isPaused) return jobTypePaused(job.jobType);
  if (facts.readyNodes === 0) return NO_NODE_ONLINE;
  const written = job.queueReason?.trim() || null;
  if (job.unplaceable) return written ?? PARKED_WITHOUT_REASON;
  return written ?? WAITING_IN_QUEUE;
}

export interface ReasonCount {
  reason: string;
  count: number;
}

/**
 * The most common reasons first (ties by text, so the answer is stable), equal reasons merged: several stored
 * reasons collapse into one when a blanket cause (a pause, no node) overrides them.
 */
export function topReasons(counts: readonly ReasonCount[], limit: number): ReasonCount[] {
  const merged = new Map<string, number>();
  for (const { reason, count } of counts) merged.set(reason, (merged.get(reason) ?? 0) + count);
  return [...merged]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0))
    .slice(0, limit);
}
