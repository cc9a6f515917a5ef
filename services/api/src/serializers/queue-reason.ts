/** The `queue_reason` of a v6 job detail: why a QUEUED job is not running (null for every other status). */
import { type QueueFacts, queueReason } from '../domain/queue-reason.ts';
import type { JobDetailsRecord } from '../queries/job-details.ts';

/** Without loaded facts nothing blanket is known to hold the job back, so the job's own reason answers. */
const NOTHING_KNOWN: QueueFacts = { schedulerPaused: false, readyNodes: 1 };

export function jobQueueReason(record: JobDetailsRecord): string | null {
  const { job, jobType } = record;
  return queueReason(
    {
      status: job.status,
      jobType: { name: jobType.name, version: jobType.version, isPaused: jobType.isPaused },
      unplaceable: job.unplaceable,
      queueReason: job.queueReason ?? null,
    },
    record.queueFacts ?? NOTHING_KNOWN,
  );
}
