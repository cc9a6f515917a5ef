/** Scheduler bodies: GET /v6/scheduler/, /v6/scheduler/queued-resources/, and load points (/load/, /v6/load/). */

import { round } from '../domain/node-view.ts';
import { nonZero } from '../domain/queued-resources.ts';
import type { LoadPoint } from '../queries/load.ts';
import type { QueuedResources } from '../queries/queued-resources.ts';
import type { SchedulerSettings } from '../queries/scheduler-state.ts';
import { iso } from './common.ts';

export function schedulerV6(settings: SchedulerSettings) {
  return { is_paused: settings.isPaused, queue_mode: settings.queueMode, last_modified: iso(settings.lastModified) };
}

/** Shaped as Scale's example: cluster totals, counts per status, and the non-zero needs per status. */
export function queuedResourcesV6(q: QueuedResources) {
  return {
    cluster_resources: {
      cpus: round(q.cluster.cpus),
      disk: round(q.cluster.disk),
      gpus: round(q.cluster.gpus),
      mem: round(q.cluster.mem),
    },
    queue_lengths: q.lengths,
    total_resources: {
      PENDING: nonZero(q.totals.PENDING),
      QUEUED: nonZero(q.totals.QUEUED),
      RUNNING: nonZero(q.totals.RUNNING),
    },
  };
}

export function loadPoint(p: LoadPoint) {
  return {
    time: iso(p.time),
    pending_count: p.pendingCount,
    queued_count: p.queuedCount,
    running_count: p.runningCount,
  };
}
