/** Queue status entries: v5 (seed 000, field for field) and v6 (Scale's QueueStatusSerializerV6 plus reasons). */
import type { JobType } from '@scale/db';
import type { QueueTypeSummary } from '../domain/queue-summary.ts';
import { iso } from './common.ts';

/** Scale's JobTypeBaseSerializerV6. */
function jobTypeBaseV6(jt: JobType) {
  return {
    id: jt.id,
    name: jt.name,
    version: jt.version,
    title: jt.title,
    description: jt.description,
    is_active: jt.isActive,
    is_system: jt.isSystem,
    is_paused: jt.isPaused,
    is_published: jt.isPublished,
    icon_code: jt.iconCode,
    unmet_resources: null,
  };
}

export function queueStatusV5(s: QueueTypeSummary<JobType>) {
  return {
    count: s.count,
    longest_queued: iso(s.longestQueued),
    job_type_name: s.jobType.name,
    job_type_version: s.jobType.version,
    highest_priority: s.highestPriority,
    is_job_type_paused: s.jobType.isPaused,
  };
}

/** `reasons`: why this type's queued jobs are not running, most common first (domain/queue-reason). */
export function queueStatusV6(s: QueueTypeSummary<JobType>) {
  return {
    job_type: jobTypeBaseV6(s.jobType),
    count: s.count,
    longest_queued: iso(s.longestQueued),
    highest_priority: s.highestPriority,
    reasons: s.reasons,
  };
}
