/** The v5 job type list (seed 002): name, category, started/ended on last_modified, order. */
import { type EntityManager, JobType } from '@scale/db';

export type JobTypeV5OrderField =
  | 'id'
  | 'name'
  | 'version'
  | 'title'
  | 'is_active'
  | 'is_paused'
  | 'created'
  | 'archived'
  | 'paused'
  | 'last_modified';

export interface JobTypeV5Filters {
  started?: Date | undefined;
  ended?: Date | undefined;
  name?: string[] | undefined;
  /** v5 categories are the first tag of the manifest (see serializers/job-type-v5.ts). */
  category?: string[] | undefined;
  isActive?: boolean | undefined;
  order?: { field: JobTypeV5OrderField; descending: boolean }[] | undefined;
}

const ORDER_COLUMNS = {
  id: 'id',
  name: 'name',
  version: 'version',
  title: 'title',
  is_active: 'isActive',
  is_paused: 'isPaused',
  created: 'created',
  archived: 'deprecated',
  paused: 'paused',
  last_modified: 'lastModified',
} as const satisfies Record<JobTypeV5OrderField, keyof JobType>;

export async function listJobTypesV5(
  em: EntityManager,
  filters: JobTypeV5Filters,
  window: { limit: number; offset: number },
): Promise<{ count: number; rows: JobType[] }> {
  let categorized: number[] | undefined;
  if (filters.category?.length) {
    const rows = await em.execute<{ id: number }[]>(
      `select id from job_type where manifest->'job'->'tags'->>0 in (?)`,
      [filters.category],
    );
    categorized = rows.map((r) => Number(r.id));
    if (!categorized.length) return { count: 0, rows: [] };
  }
  const lastModified = {
    ...(filters.started ? { $gte: filters.started } : {}),
    ...(filters.ended ? { $lte: filters.ended } : {}),
  };
  const where = {
    ...(Object.keys(lastModified).length ? { lastModified } : {}),
    ...(filters.name?.length ? { name: { $in: filters.name } } : {}),
    ...(categorized ? { id: { $in: categorized } } : {}),
    ...(filters.isActive === undefined ? {} : { isActive: filters.isActive }),
  };
  const order = filters.order?.length ? filters.order : [{ field: 'last_modified' as const, descending: false }];
  const orderBy = [
    ...order.map((o) => ({ [ORDER_COLUMNS[o.field]]: o.descending ? 'desc' : 'asc' })),
    { id: 'asc' },
  ] as { [K in keyof JobType]?: 'asc' | 'desc' }[];
  const [rows, count] = await em.findAndCount(JobType, where, { orderBy, ...window });
  return { count, rows };
}
