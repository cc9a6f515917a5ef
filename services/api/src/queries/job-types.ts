/** Reads of job types (catalogue data, owned by the API). */
import { type EntityManager, JobType, JobTypeRevision, RecipeType } from '@scale/db';
import { compareVersions } from '../domain/semver.ts';

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

/**
 * Ids of job types with a manifest tag containing one of the keywords. The catalogue is small (one row per
 * name+version), so scanning its tags beats keeping a tag table in step with every revision.
 */
async function idsTaggedWith(em: EntityManager, keywords: readonly string[]): Promise<number[]> {
  const rows = await em.execute<{ id: number }[]>(
    `select id from job_type t
      where exists (select 1 from jsonb_array_elements_text(coalesce(t.manifest->'job'->'tags', '[]'::jsonb)) tag
                     where ${keywords.map(() => 'tag ilike ?').join(' or ')})`,
    keywords.map(likePattern),
  );
  return rows.map((r) => Number(r.id));
}

type KeywordClause =
  | { name: { $ilike: string } }
  | { title: { $ilike: string } }
  | { description: { $ilike: string } }
  | { id: { $in: number[] } };

/** The where clause shared by the job type list and the job type names list. */
async function jobTypeWhere(em: EntityManager, filters: Omit<JobTypeFilters, 'order'>) {
  const keywords = filters.keyword ?? [];
  const tagged = keywords.length ? await idsTaggedWith(em, keywords) : [];
  const keywordClauses: KeywordClause[] = keywords.flatMap((k) => {
    const pattern = likePattern(k);
    return [{ name: { $ilike: pattern } }, { title: { $ilike: pattern } }, { description: { $ilike: pattern } }];
  });
  if (tagged.length) keywordClauses.push({ id: { $in: tagged } });
  return {
    ...(keywordClauses.length ? { $or: keywordClauses } : {}),
    ...(filters.id?.length ? { id: { $in: filters.id } } : {}),
    ...(filters.isActive === undefined ? {} : { isActive: filters.isActive }),
    ...(filters.isSystem === undefined ? {} : { isSystem: filters.isSystem }),
  };
}

/** One page of job types; keywords OR together, each matching name, title, description or a tag (case-insensitive). */
export async function listJobTypes(
  em: EntityManager,
  filters: JobTypeFilters,
  window: { limit: number; offset: number },
): Promise<{ count: number; rows: JobType[] }> {
  const where = await jobTypeWhere(em, filters);
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

/** Every version of one job type name, in version order (semver precedence), optionally only active ones. */
export async function listJobTypeVersions(em: EntityManager, name: string, isActive?: boolean): Promise<JobType[]> {
  const rows = await em.find(JobType, { name, ...(isActive === undefined ? {} : { isActive }) });
  return rows.sort((a, b) => compareVersions(a.version, b.version) || a.id - b.id);
}

export interface JobTypeName {
  name: string;
  /** Every version of the name, in version order. */
  versions: JobType[];
  latest: JobType;
}

/**
 * One page of job type names: a name matches when one of its versions matches the filters; each comes with all
 * its versions. Names are few (the catalogue), so the distinct names are paged in memory.
 */
export async function listJobTypeNames(
  em: EntityManager,
  filters: Omit<JobTypeFilters, 'order'> & { descending?: boolean },
  window: { limit: number; offset: number },
): Promise<{ count: number; rows: JobTypeName[] }> {
  // A partial load of names only, in its own identity map so the full rows below are not mixed with partial ones.
  const matching = await em.fork().find(JobType, await jobTypeWhere(em, filters), { fields: ['name'] });
  const names = [...new Set(matching.map((jt) => jt.name))].sort();
  if (filters.descending) names.reverse();
  const page = names.slice(window.offset, window.offset + window.limit);
  const all = page.length ? await em.find(JobType, { name: { $in: page } }) : [];
  const rows = page.map((name) => {
    const versions = all
      .filter((jt) => jt.name === name)
      .sort((a, b) => compareVersions(a.version, b.version) || a.id - b.id);
    return { name, versions, latest: versions.at(-1) as JobType };
  });
  return { count: names.length, rows };
}

/** One page of a job type's revisions, newest first. */
export async function listRevisions(
  em: EntityManager,
  jobTypeId: number,
  window: { limit: number; offset: number },
): Promise<{ count: number; rows: JobTypeRevision[] }> {
  const [rows, count] = await em.findAndCount(
    JobTypeRevision,
    { jobTypeId },
    { orderBy: { revisionNum: 'desc' }, ...window },
  );
  return { count, rows };
}

/**
 * Custom scalar resources some active node offers. Scale's unmet_resources are the manifest's resources outside
 * these and the standard ones.
 */
export async function offeredCustomResources(em: EntityManager): Promise<Set<string>> {
  const rows = await em.execute<{ name: string }[]>(
    `select distinct r.name from node n,
            jsonb_object_keys(case when jsonb_typeof(n.resources->'custom') = 'object'
                                   then n.resources->'custom' else '{}'::jsonb end) as r(name)
      where n.is_active`,
  );
  return new Set(rows.map((r) => r.name));
}

/** The recipe types whose current definition uses the job type (Scale's `recipe_types` of its details), by name. */
export async function recipeTypesUsing(em: EntityManager, jobTypeId: number): Promise<RecipeType[]> {
  const links = await em.execute<{ recipe_type_id: number }[]>(
    'select recipe_type_id from recipe_type_job_link where job_type_id = ?',
    [jobTypeId],
  );
  if (!links.length) return [];
  return em.find(
    RecipeType,
    { id: { $in: links.map((l) => Number(l.recipe_type_id)) } },
    { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
  );
}
