/**
 * Reads of recipes (written by the recipe engine): pages with filters, details with the instance graph, and the
 * job counts, which are derived from the recipe's nodes and their jobs at read time (never stored, never drifting).
 * A recipe's counts include the jobs and sub-recipes of its sub-recipes, as Scale's did.
 */
import { type JobStatus, RecipeDefinition } from '@scale/contracts';
import { type EntityManager, JobType, Recipe, RecipeType, RecipeTypeRevision } from '@scale/db';

export interface RecipeCounts {
  jobsTotal: number;
  jobsPending: number;
  jobsBlocked: number;
  jobsQueued: number;
  jobsRunning: number;
  jobsFailed: number;
  jobsCompleted: number;
  jobsCanceled: number;
  subRecipesTotal: number;
  subRecipesCompleted: number;
}

const NO_COUNTS: RecipeCounts = {
  jobsTotal: 0,
  jobsPending: 0,
  jobsBlocked: 0,
  jobsQueued: 0,
  jobsRunning: 0,
  jobsFailed: 0,
  jobsCompleted: 0,
  jobsCanceled: 0,
  subRecipesTotal: 0,
  subRecipesCompleted: 0,
};

/** Counts of each recipe's whole tree, in one query for a page of recipes. */
export async function recipeCounts(em: EntityManager, ids: readonly number[]): Promise<Map<number, RecipeCounts>> {
  const counts = new Map<number, RecipeCounts>(ids.map((id) => [id, { ...NO_COUNTS }]));
  if (ids.length === 0) return counts;
  const rows = await em.execute<Record<string, string>[]>(
    `with recursive tree(top, id) as (
       select x.id, x.id from unnest(?::bigint[]) as x(id)
       union
       select tree.top, n.sub_recipe_id from recipe_node n join tree on n.recipe_id = tree.id
        where n.sub_recipe_id is not null
     ), jobs as (
       select tree.top,
              count(j.id) as total,
              count(*) filter (where j.status = 'PENDING') as pending,
              count(*) filter (where j.status = 'BLOCKED') as blocked,
              count(*) filter (where j.status = 'QUEUED') as queued,
              count(*) filter (where j.status = 'RUNNING') as running,
              count(*) filter (where j.status = 'FAILED') as failed,
              count(*) filter (where j.status = 'COMPLETED') as completed,
              count(*) filter (where j.status = 'CANCELED') as canceled
         from tree join recipe_node n on n.recipe_id = tree.id join job j on j.id = n.job_id
        group by tree.top
     ), subs as (
       select tree.top, count(*) as total, count(*) filter (where r.is_completed) as completed
         from tree join recipe r on r.id = tree.id
        where tree.id <> tree.top
        group by tree.top
     )
     select x.id as top, jobs.total, jobs.pending, jobs.blocked, jobs.queued, jobs.running, jobs.failed, jobs.completed,
            jobs.canceled, subs.total as subs_total, subs.completed as subs_completed
       from unnest(?::bigint[]) as x(id)
       left join jobs on jobs.top = x.id
       left join subs on subs.top = x.id`,
    [`{${ids.join(',')}}`, `{${ids.join(',')}}`],
  );
  for (const row of rows) {
    const n = (v: string | null | undefined) => Number(v ?? 0);
    counts.set(Number(row.top), {
      jobsTotal: n(row.total),
      jobsPending: n(row.pending),
      jobsBlocked: n(row.blocked),
      jobsQueued: n(row.queued),
      jobsRunning: n(row.running),
      jobsFailed: n(row.failed),
      jobsCompleted: n(row.completed),
      jobsCanceled: n(row.canceled),
      subRecipesTotal: n(row.subs_total),
      subRecipesCompleted: n(row.subs_completed),
    });
  }
  return counts;
}

export type RecipeOrderField = 'id' | 'created' | 'last_modified' | 'completed' | 'superseded';
export const RECIPE_ORDER_FIELDS: readonly RecipeOrderField[] = [
  'id',
  'created',
  'last_modified',
  'completed',
  'superseded',
];
const ORDER_COLUMNS = {
  id: 'id',
  created: 'created',
  last_modified: 'lastModified',
  completed: 'completed',
  superseded: 'superseded',
} as const satisfies Record<RecipeOrderField, keyof Recipe>;

export interface RecipeFilters {
  started?: Date;
  ended?: Date;
  sourceStarted?: Date;
  sourceEnded?: Date;
  sourceSensorClass?: string[];
  sourceSensor?: string[];
  sourceCollection?: string[];
  sourceTask?: string[];
  recipeId?: number[];
  recipeTypeId?: number[];
  recipeTypeName?: string[];
  batchId?: number[];
  rootRecipeId?: number[];
  isSuperseded?: boolean;
  isCompleted?: boolean;
  order?: { field: RecipeOrderField; descending: boolean }[];
}

/** What a recipe body refers to, loaded once for a page. */
export interface RecipeRelations {
  recipeTypes: Map<number, RecipeType>;
  revisions: Map<number, RecipeTypeRevision>;
  /** Parent, superseded and superseding recipes the bodies summarise. */
  neighbours: Map<number, Recipe>;
  /** The recipe that superseded each recipe, by superseded id. */
  supersededBy: Map<number, number>;
  counts: Map<number, RecipeCounts>;
}

export async function loadRecipeRelations(em: EntityManager, recipes: readonly Recipe[]): Promise<RecipeRelations> {
  const ids = recipes.map((r) => r.id);
  const supersededByRows = ids.length
    ? await em.fork().find(Recipe, { supersededRecipeId: { $in: ids } }, { fields: ['id', 'supersededRecipeId'] })
    : [];
  const supersededBy = new Map(supersededByRows.map((r) => [r.supersededRecipeId!, r.id]));
  const neighbourIds = [
    ...new Set(
      recipes
        .flatMap((r) => [r.recipeId, r.supersededRecipeId, supersededBy.get(r.id)])
        .filter((id): id is number => id != null),
    ),
  ];
  const neighbours = neighbourIds.length ? await em.fork().find(Recipe, { id: { $in: neighbourIds } }) : [];
  const all = [...recipes, ...neighbours];
  const typeIds = [...new Set(all.map((r) => r.recipeTypeId))];
  const revisionIds = [...new Set(all.map((r) => r.recipeTypeRevId))];
  const [types, revisions, counts] = await Promise.all([
    em.find(RecipeType, { id: { $in: typeIds } }),
    em.find(RecipeTypeRevision, { id: { $in: revisionIds } }),
    recipeCounts(em, ids),
  ]);
  return {
    recipeTypes: new Map(types.map((t) => [t.id, t])),
    revisions: new Map(revisions.map((r) => [r.id, r])),
    neighbours: new Map(neighbours.map((r) => [r.id, r])),
    supersededBy,
    counts,
  };
}

export async function listRecipes(
  em: EntityManager,
  filters: RecipeFilters,
  window: { limit: number; offset: number },
): Promise<{ count: number; rows: Recipe[]; relations: RecipeRelations }> {
  const typeIds = filters.recipeTypeName?.length
    ? (await em.find(RecipeType, { name: { $in: filters.recipeTypeName } }, { fields: ['id'] })).map((t) => t.id)
    : undefined;
  const range = (from?: Date, to?: Date) =>
    from || to ? { ...(from ? { $gte: from } : {}), ...(to ? { $lte: to } : {}) } : undefined;
  const lastModified = range(filters.started, filters.ended);
  const where = {
    ...(lastModified ? { lastModified } : {}),
    ...(filters.sourceStarted ? { sourceStarted: { $gte: filters.sourceStarted } } : {}),
    ...(filters.sourceEnded ? { sourceEnded: { $lte: filters.sourceEnded } } : {}),
    ...(filters.sourceSensorClass?.length ? { sourceSensorClass: { $in: filters.sourceSensorClass } } : {}),
    ...(filters.sourceSensor?.length ? { sourceSensor: { $in: filters.sourceSensor } } : {}),
    ...(filters.sourceCollection?.length ? { sourceCollection: { $in: filters.sourceCollection } } : {}),
    ...(filters.sourceTask?.length ? { sourceTask: { $in: filters.sourceTask } } : {}),
    ...(filters.recipeId?.length ? { id: { $in: filters.recipeId } } : {}),
    ...(filters.recipeTypeId?.length || typeIds
      ? { recipeTypeId: { $in: [...(filters.recipeTypeId ?? []), ...(typeIds ?? [])] } }
      : {}),
    ...(filters.batchId?.length ? { batchId: { $in: filters.batchId } } : {}),
    ...(filters.rootRecipeId?.length ? { rootRecipeId: { $in: filters.rootRecipeId } } : {}),
    ...(filters.isSuperseded === undefined ? {} : { isSuperseded: filters.isSuperseded }),
    ...(filters.isCompleted === undefined ? {} : { isCompleted: filters.isCompleted }),
  };
  const order = filters.order?.length ? filters.order : [{ field: 'last_modified' as const, descending: true }];
  const orderBy = [
    ...order.map((o) => ({ [ORDER_COLUMNS[o.field]]: o.descending ? 'desc' : 'asc' })),
    { id: order[0]?.descending ? 'desc' : 'asc' },
  ] as { [K in keyof Recipe]?: 'asc' | 'desc' }[];
  const [rows, count] = await em.findAndCount(Recipe, where, { orderBy, ...window });
  return { count, rows, relations: await loadRecipeRelations(em, rows) };
}

/** One node of the instance graph as stored: what runs it and its state. */
export type InstanceNode =
  | { kind: 'job'; jobId: number; status: JobStatus }
  | { kind: 'recipe'; recipe: Recipe; counts: RecipeCounts }
  | { kind: 'condition'; conditionId: number; isProcessed: boolean; isAccepted: boolean };

export interface RecipeDetails {
  recipe: Recipe;
  relations: RecipeRelations;
  definition: RecipeDefinition;
  nodes: Map<string, InstanceNode>;
  jobTypes: JobType[];
  subRecipeTypes: RecipeType[];
}

export async function loadRecipeDetails(em: EntityManager, id: number): Promise<RecipeDetails | null> {
  const recipe = await em.findOne(Recipe, { id });
  if (!recipe) return null;
  const relations = await loadRecipeRelations(em, [recipe]);
  const definition = RecipeDefinition.parse(relations.revisions.get(recipe.recipeTypeRevId)!.definition);
  const rows = await em.execute<
    {
      node_name: string;
      job_id: string | null;
      status: JobStatus | null;
      sub_recipe_id: string | null;
      condition_id: string | null;
      is_processed: boolean | null;
      is_accepted: boolean | null;
    }[]
  >(
    `select n.node_name, n.job_id, j.status, n.sub_recipe_id, n.condition_id, c.is_processed, c.is_accepted
       from recipe_node n
       left join job j on j.id = n.job_id
       left join recipe_condition c on c.id = n.condition_id
      where n.recipe_id = ?`,
    [id],
  );
  const subIds = rows.flatMap((r) => (r.sub_recipe_id === null ? [] : [Number(r.sub_recipe_id)]));
  const subs = subIds.length ? await em.find(Recipe, { id: { $in: subIds } }) : [];
  const subCounts = await recipeCounts(em, subIds);
  const nodes = new Map<string, InstanceNode>();
  for (const row of rows) {
    if (row.job_id !== null) nodes.set(row.node_name, { kind: 'job', jobId: Number(row.job_id), status: row.status! });
    else if (row.sub_recipe_id !== null) {
      const sub = subs.find((s) => s.id === Number(row.sub_recipe_id))!;
      nodes.set(row.node_name, { kind: 'recipe', recipe: sub, counts: subCounts.get(sub.id)! });
    } else if (row.condition_id !== null) {
      nodes.set(row.node_name, {
        kind: 'condition',
        conditionId: Number(row.condition_id),
        isProcessed: row.is_processed === true,
        isAccepted: row.is_accepted === true,
      });
    }
  }
  const jobKeys: { name: string; version: string }[] = [];
  const recipeNames = new Set<string>();
  for (const node of Object.values(definition.nodes)) {
    if (node.node_type.node_type === 'job') {
      jobKeys.push({ name: node.node_type.job_type_name, version: node.node_type.job_type_version });
    } else if (node.node_type.node_type === 'recipe') recipeNames.add(node.node_type.recipe_type_name);
  }
  const jobTypes = jobKeys.length
    ? await em.find(JobType, { $or: jobKeys }, { orderBy: [{ name: 'asc' }, { version: 'asc' }] })
    : [];
  const subRecipeTypes = recipeNames.size
    ? await em.find(RecipeType, { name: { $in: [...recipeNames] } }, { orderBy: { name: 'asc' } })
    : [];
  return { recipe, relations, definition, nodes, jobTypes, subRecipeTypes };
}

/** The files of a recipe's input (optionally of some inputs only); null when the recipe does not exist. */
export async function recipeInputFileIds(
  em: EntityManager,
  recipeId: number,
  inputs?: string[],
): Promise<number[] | null> {
  const [recipe] = await em.execute<{ id: string }[]>('select id from recipe where id = ?', [recipeId]);
  if (!recipe) return null;
  const rows = await em.execute<{ input_file_id: string }[]>(
    `select distinct input_file_id from recipe_input_file where recipe_id = ?${inputs?.length ? ' and recipe_input in (?)' : ''}`,
    inputs?.length ? [recipeId, inputs] : [recipeId],
  );
  return rows.map((r) => Number(r.input_file_id));
}
