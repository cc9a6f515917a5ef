/**
 * Job load samples (table job_load, written by the scheduler's sampler once a minute per job type), summed per
 * sample time over the selected job types, as Scale's JobLoad.group_by_time does. Index job_load_measured.
 */
import type { EntityManager } from '@scale/db';

export interface LoadFilters {
  started: Date;
  ended?: Date;
  jobTypeIds?: number[];
  jobTypeNames?: string[];
  /** v5: the job type's category (its manifest's first tag, the rule of domain/job-list-filters). */
  jobTypeCategories?: string[];
  /** v5: the job type's priority (configuration.priority, default 100). */
  jobTypePriorities?: number[];
}

export interface LoadPoint {
  time: Date;
  pendingCount: number;
  queuedCount: number;
  runningCount: number;
}

function where(filters: LoadFilters): { sql: string; params: unknown[] } {
  const parts = ['l.measured >= ?'];
  const params: unknown[] = [filters.started];
  if (filters.ended) {
    parts.push('l.measured <= ?');
    params.push(filters.ended);
  }
  const add = (sql: string, values: unknown[] | undefined) => {
    if (values === undefined) return;
    if (values.length === 0) parts.push('false');
    else {
      parts.push(sql);
      params.push(values);
    }
  };
  add('l.job_type_id in (?)', filters.jobTypeIds);
  add('t.name in (?)', filters.jobTypeNames);
  add(`t.manifest->'job'->'tags'->>0 in (?)`, filters.jobTypeCategories);
  add(`coalesce((t.configuration->>'priority')::int, 100) in (?)`, filters.jobTypePriorities);
  return { sql: parts.join(' and '), params };
}

export async function readLoad(
  em: EntityManager,
  filters: LoadFilters,
  window: { limit: number; offset: number },
): Promise<{ count: number; points: LoadPoint[] }> {
  const w = where(filters);
  const from = 'from job_load l join job_type t on t.id = l.job_type_id';
  const [rows, counted] = await Promise.all([
    em.execute<{ measured: string | Date; pending: unknown; queued: unknown; running: unknown }[]>(
      `select l.measured, sum(l.pending_count) as pending, sum(l.queued_count) as queued,
              sum(l.running_count) as running
         ${from} where ${w.sql} group by l.measured order by l.measured limit ? offset ?`,
      [...w.params, window.limit, window.offset],
    ),
    em.execute<{ count: unknown }[]>(`select count(distinct l.measured) as count ${from} where ${w.sql}`, w.params),
  ]);
  return {
    count: Number(counted[0]?.count ?? 0),
    points: rows.map((r) => ({
      time: new Date(r.measured),
      pendingCount: Number(r.pending),
      queuedCount: Number(r.queued),
      runningCount: Number(r.running),
    })),
  };
}
