/** Reads of the scheduler's singleton rows (settings and leader lease) and of what every queued job shares. */
import type { NodeState, QueueMode } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import type { QueueFacts } from '../domain/queue-reason.ts';
import type { LeaseProbe } from '../domain/system-status.ts';

export interface SchedulerSettings {
  isPaused: boolean;
  queueMode: QueueMode;
  lastModified: Date;
}

export async function readSchedulerSettings(em: EntityManager): Promise<SchedulerSettings> {
  const rows = await em.execute<{ is_paused: boolean; queue_mode: QueueMode; last_modified: string | Date }[]>(
    'select is_paused, queue_mode, last_modified from scheduler where id = 1',
  );
  const row = rows[0];
  // The migration inserts the row; a database without it is not one of ours.
  if (!row) throw new Error('the scheduler settings row (id 1) is missing');
  return { isPaused: row.is_paused, queueMode: row.queue_mode, lastModified: new Date(row.last_modified) };
}

/** The lease with the database's own clock, so "expired?" is judged by one clock. */
export async function readLease(em: EntityManager): Promise<LeaseProbe> {
  const rows = await em.execute<
    { holder: string | null; epoch: unknown; expires: string | Date; db_now: string | Date }[]
  >('select holder, epoch, expires, now() as db_now from scheduler_lease where id = 1');
  const row = rows[0];
  if (!row) throw new Error('the scheduler lease row (id 1) is missing');
  return { holder: row.holder, epoch: Number(row.epoch), expires: new Date(row.expires), dbNow: new Date(row.db_now) };
}

export async function nodeStateCounts(em: EntityManager): Promise<Record<NodeState, number>> {
  const rows = await em.execute<{ state: NodeState; count: unknown }[]>(
    'select state, count(*) as count from node where is_active group by state',
  );
  const counts: Record<NodeState, number> = { READY: 0, PAUSED: 0, DEGRADED: 0, OFFLINE: 0 };
  for (const row of rows) counts[row.state] = Number(row.count);
  return counts;
}

/** What holds every queued job back alike: one small query, read only when some job is QUEUED. */
export async function loadQueueFacts(em: EntityManager): Promise<QueueFacts> {
  const rows = await em.execute<{ is_paused: boolean; ready: unknown }[]>(
    `select s.is_paused, (select count(*) from node where is_active and state = 'READY') as ready
       from scheduler s where s.id = 1`,
  );
  const row = rows[0];
  return { schedulerPaused: row?.is_paused ?? false, readyNodes: Number(row?.ready ?? 0) };
}
