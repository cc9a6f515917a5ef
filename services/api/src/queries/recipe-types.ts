/** Reads of recipe types (catalogue data, owned by the API), and the catalogue a definition is validated against. */
import {
  type DefinitionCatalog,
  type DefinitionValidation,
  definitionReferences,
  MAX_RECIPE_DEPTH,
  RecipeDefinition,
  SeedManifest,
  validateRecipeDefinition,
} from '@scale/contracts';
import { type EntityManager, JobType, RecipeType, RecipeTypeRevision } from '@scale/db';

export type RecipeTypeOrderField = 'id' | 'name' | 'title' | 'created' | 'last_modified';
export const RECIPE_TYPE_ORDER_FIELDS: readonly RecipeTypeOrderField[] = [
  'id',
  'name',
  'title',
  'created',
  'last_modified',
];

const ORDER_COLUMNS = {
  id: 'id',
  name: 'name',
  title: 'title',
  created: 'created',
  last_modified: 'lastModified',
} as const satisfies Record<RecipeTypeOrderField, keyof RecipeType>;

export interface RecipeTypeFilters {
  keyword?: string[];
  isActive?: boolean;
  isSystem?: boolean;
  order?: { field: RecipeTypeOrderField; descending: boolean }[];
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function findRecipeType(em: EntityManager, name: string): Promise<RecipeType | null> {
  return em.findOne(RecipeType, { name });
}

export function findRecipeTypeById(em: EntityManager, id: number): Promise<RecipeType | null> {
  return em.findOne(RecipeType, { id });
}

export function findRecipeTypeRevision(
  em: EntityManager,
  recipeTypeId: number,
  revisionNum: number,
): Promise<RecipeTypeRevision | null> {
  return em.findOne(RecipeTypeRevision, { recipeTypeId, revisionNum });
}

/** One page of recipe types; keywords OR together, each matching name, title or description. */
export async function listRecipeTypes(
  em: EntityManager,
  filters: RecipeTypeFilters,
  window: { limit: number; offset: number },
): Promise<{ count: number; rows: RecipeType[] }> {
  const keywordClauses = (filters.keyword ?? []).flatMap((k) => {
    const pattern = likePattern(k);
    return [{ name: { $ilike: pattern } }, { title: { $ilike: pattern } }, { description: { $ilike: pattern } }];
  });
  const where = {
    ...(keywordClauses.length ? { $or: keywordClauses } : {}),
    ...(filters.isActive === undefined ? {} : { isActive: filters.isActive }),
    ...(filters.isSystem === undefined ? {} : { isSystem: filters.isSystem }),
  };
  const order = filters.order?.length ? filters.order : [{ field: 'last_modified' as const, descending: false }];
  const orderBy = [
    ...order.map((o) => ({ [ORDER_COLUMNS[o.field]]: o.descending ? 'desc' : 'asc' })),
    { id: 'asc' },
  ] as { [K in keyof RecipeType]?: 'asc' | 'desc' }[];
  const [rows, count] = await em.findAndCount(RecipeType, where, { orderBy, ...window });
  return { count, rows };
}

/** One page of a recipe type's revisions, newest first. */
export async function listRecipeTypeRevisions(
  em: EntityManager,
  recipeTypeId: number,
  window: { limit: number; offset: number },
): Promise<{ count: number; rows: RecipeTypeRevision[] }> {
  const [rows, count] = await em.findAndCount(
    RecipeTypeRevision,
    { recipeTypeId },
    { orderBy: { revisionNum: 'desc' }, ...window },
  );
  return { count, rows };
}

interface JobTypeRevisionRow {
  name: string;
  version: string;
  revision_num: number;
  manifest: unknown;
}

interface RecipeTypeRevisionRow {
  name: string;
  revision_num: number;
  definition: unknown;
}

const key = (...parts: (string | number)[]) => JSON.stringify(parts);

/**
 * Loads every job type and recipe type revision a definition names, following sub-recipes down to the nesting
 * limit, into the synchronous catalogue the validator reads. Stored JSON is parsed again on the way in.
 */
export async function loadDefinitionCatalog(
  em: EntityManager,
  definition: RecipeDefinition,
): Promise<DefinitionCatalog> {
  const jobTypes = new Map<string, SeedManifest>();
  const recipeTypes = new Map<string, RecipeDefinition>();
  let pending = [definition];
  for (let depth = 0; depth <= MAX_RECIPE_DEPTH + 1 && pending.length; depth++) {
    const jobRefs = pending
      .flatMap((d) => definitionReferences(d).jobTypes)
      .filter((r) => !jobTypes.has(key(r.name, r.version, r.revision)));
    const recipeRefs = pending
      .flatMap((d) => definitionReferences(d).recipeTypes)
      .filter((r) => !recipeTypes.has(key(r.name, r.revision)));
    pending = [];
    if (jobRefs.length) {
      const rows = await em.execute<JobTypeRevisionRow[]>(
        `select t.name, t.version, r.revision_num, r.manifest
           from jsonb_to_recordset(?::jsonb) as x(name text, version text, revision int)
           join job_type t on t.name = x.name and t.version = x.version
           join job_type_revision r on r.job_type_id = t.id and r.revision_num = x.revision`,
        [JSON.stringify(jobRefs)],
      );
      for (const row of rows) {
        const manifest = SeedManifest.safeParse(row.manifest);
        if (manifest.success) jobTypes.set(key(row.name, row.version, row.revision_num), manifest.data);
      }
    }
    if (recipeRefs.length) {
      const rows = await em.execute<RecipeTypeRevisionRow[]>(
        `select t.name, r.revision_num, r.definition
           from jsonb_to_recordset(?::jsonb) as x(name text, revision int)
           join recipe_type t on t.name = x.name
           join recipe_type_revision r on r.recipe_type_id = t.id and r.revision_num = x.revision`,
        [JSON.stringify(recipeRefs)],
      );
      for (const row of rows) {
        const parsed = RecipeDefinition.safeParse(row.definition);
        if (!parsed.success) continue;
        recipeTypes.set(key(row.name, row.revision_num), parsed.data);
        pending.push(parsed.data);
      }
    }
  }
  return {
    jobType: (name, version, revision) => jobTypes.get(key(name, version, revision)),
    recipeType: (name, revision) => recipeTypes.get(key(name, revision)),
  };
}

/** Validates a definition against the current catalogue. */
export async function checkDefinition(
  em: EntityManager,
  definition: RecipeDefinition,
  recipeTypeName?: string,
): Promise<DefinitionValidation> {
  const catalog = await loadDefinitionCatalog(em, definition);
  return validateRecipeDefinition(definition, catalog, recipeTypeName ? { recipeTypeName } : {});
}

/** The job types and recipe types a definition names (current rows, for the details bodies), by name order. */
export async function definitionRelations(
  em: EntityManager,
  definition: RecipeDefinition,
): Promise<{ jobTypes: JobType[]; subRecipeTypes: RecipeType[] }> {
  const refs = definitionReferences(definition);
  const jobKeys = [...new Map(refs.jobTypes.map((r) => [key(r.name, r.version), r])).values()];
  const jobTypes = jobKeys.length
    ? await em.find(
        JobType,
        { $or: jobKeys.map((r) => ({ name: r.name, version: r.version })) },
        {
          orderBy: [{ name: 'asc' }, { version: 'asc' }],
        },
      )
    : [];
  const names = [...new Set(refs.recipeTypes.map((r) => r.name))];
  const subRecipeTypes = names.length
    ? await em.find(RecipeType, { name: { $in: names } }, { orderBy: { name: 'asc' } })
    : [];
  return { jobTypes, subRecipeTypes };
}
