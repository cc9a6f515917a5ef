/** Reads of job types (catalogue data, owned by the API). */
import { type EntityManager, JobType, JobTypeRevision } from '@scale/db';

export type JobTypeOrderField = 'id' | 'name' | 'version' | 'title' | 'created' | 'last_modified';

export interface JobTypeFilters {
  keyword?: string[];
  id?: number[];
  isActive?: boolean;
  isSystem?: boolean;
  order?: { field: JobTypeOrderField; descending: boolean }[];
}

const ORDER_COLUMNS = {
  id: 'id',
  name: 'name',
  version: 'version',
  title: 'title',
  created: 'created',
  last_modified: 'lastModified',
} as const satisfies Record<JobTypeOrderField, keyof JobType>;

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function findJobTypeById(em: EntityManager, id: number): Promise<JobType | null> {
  return em.findOne(JobType, { id });
}

export function findJobType(em: EntityManager, name: string, version: string): Promise<JobType | null> {
  return em.findOne(JobType, { name, version });
}

export function findRevision(em: EntityManager, jobTypeId: number, revisionNum: number) {
  return em.findOne(JobTypeRevision, { jobTypeId, revisionNum });
}

/** One page of job types; keywords OR together, each matching name, title or description (case-insensitive). */
export async function listJobTypes(
  em: EntityManager,
  filters: JobTypeFilters,
  window: { limit: number; offset: number },
): Promise<{ count: number; rows: JobType[] }> {
  const keywordClauses = (filters.keyword ?? []).flatMap((k) => {
    const pattern = likePattern(k);
    return [{ name: { $ilike: pattern } }, { title: { $ilike: pattern } }, { description: { $ilike: pattern } }];
  });
  const where = {
    ...(keywordClauses.length ? { $or: keywordClauses } : {}),
    ...(filters.id?.length ? { id: { $in: filters.id } } : {}),
    ...(filters.isActive === undefined ? {} : { isActive: filters.isActive }),
    ...(filters.isSystem === undefined ? {} : { isSystem: filters.isSystem }),
  };
  const order = filters.order?.length
    ? filters.order
    : [
        { field: 'name' as const, descending: false },
        { field: 'version' as const, descending: false },
      ];
  const orderBy = [
    ...order.map((o) => ({ [ORDER_COLUMNS[o.field]]: o.descending ? 'desc' : 'asc' })),
    // A total order, so pages never overlap.
    { id: 'asc' },
  ] as { [K in keyof JobType]?: 'asc' | 'desc' }[];
  const [rows, count] = await em.findAndCount(JobType, where, { orderBy, ...window });
  return { count, rows };
}
