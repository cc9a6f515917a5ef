/** Reads of the error catalogue: Scale's builtin errors and the errors job type manifests declare. */
import type { ErrorCategory } from '@scale/contracts';
import { type EntityManager, ErrorRow } from '@scale/db';

export type ErrorOrderField = 'id' | 'name' | 'title' | 'job_type_name' | 'category' | 'created' | 'last_modified';

export interface ErrorFilters {
  /** On last_modified, as Scale's error list does. */
  started?: Date | undefined;
  ended?: Date | undefined;
  isBuiltin?: boolean | undefined;
  jobTypeName?: string[] | undefined;
  name?: string[] | undefined;
  category?: ErrorCategory[] | undefined;
  order?: { field: ErrorOrderField; descending: boolean }[] | undefined;
}

const ORDER_COLUMNS = {
  id: 'id',
  name: 'name',
  title: 'title',
  job_type_name: 'jobTypeName',
  category: 'category',
  created: 'created',
  last_modified: 'lastModified',
} as const satisfies Record<ErrorOrderField, keyof ErrorRow>;

export function findError(em: EntityManager, id: number): Promise<ErrorRow | null> {
  return em.findOne(ErrorRow, { id });
}

/** One page of errors; repeated values of one filter OR together. Scale's default order: last modified first. */
export async function listErrors(
  em: EntityManager,
  filters: ErrorFilters,
  window: { limit: number; offset: number },
): Promise<{ count: number; rows: ErrorRow[] }> {
  const lastModified = {
    ...(filters.started ? { $gte: filters.started } : {}),
    ...(filters.ended ? { $lte: filters.ended } : {}),
  };
  const where = {
    ...(Object.keys(lastModified).length ? { lastModified } : {}),
    ...(filters.isBuiltin === undefined ? {} : { isBuiltin: filters.isBuiltin }),
    ...(filters.jobTypeName?.length ? { jobTypeName: { $in: filters.jobTypeName } } : {}),
    ...(filters.name?.length ? { name: { $in: filters.name } } : {}),
    ...(filters.category?.length ? { category: { $in: filters.category } } : {}),
  };
  const order = filters.order?.length ? filters.order : [{ field: 'last_modified' as const, descending: false }];
  const orderBy = [
    ...order.map((o) => ({ [ORDER_COLUMNS[o.field]]: o.descending ? 'desc' : 'asc' })),
    // A total order, so pages never overlap (builtin errors share one last_modified).
    { id: 'asc' },
  ] as { [K in keyof ErrorRow]?: 'asc' | 'desc' }[];
  const [rows, count] = await em.findAndCount(ErrorRow, where, { orderBy, ...window });
  return { count, rows };
}

/** This job type name's errors by error name (what a v5 error mapping may point an exit code at). */
export async function jobTypeErrorsByName(em: EntityManager, jobTypeName: string): Promise<Map<string, ErrorRow>> {
  const rows = await em.find(ErrorRow, { jobTypeName });
  return new Map(rows.map((e) => [e.name, e]));
}
