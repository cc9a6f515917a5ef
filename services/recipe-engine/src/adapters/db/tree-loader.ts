/**
 * Reads one recipe tree from Postgres into the reducer's plain data: the top-level recipe, its sub-recipes (and
 * sub-recipes a reprocess reused), their nodes with the jobs' statuses and outputs, the catalogue entries their
 * definitions name, and what superseded recipes left to clean up. Every JSON column is parsed on the way in.
 */
import {
  Data,
  definitionReferences,
  ForcedNodes,
  type JobConfigurationOverride,
  JobStatus,
  MAX_RECIPE_DEPTH,
  RecipeConfiguration,
  RecipeDefinition,
} from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { isFileFilter } from '../../domain/data-filter.ts';
import {
  type FileFacts,
  type JobTypeRef,
  jobTypeKey,
  type NodeState,
  type PreviousNode,
  type RecipeState,
  type RecipeTree,
  type RecipeTypeRef,
  recipeTypeKey,
} from '../../domain/tree.ts';

/** A job the scheduler created for a node whose recipe_node row was never written (a crash in between). */
export interface OrphanJob {
  recipeId: number;
  node: string;
  jobId: number;
}

export interface LoadedTree {
  tree: RecipeTree;
  orphans: OrphanJob[];
}

interface RecipeRow {
  id: string;
  recipe_id: string | null;
  root_recipe_id: string | null;
  input: unknown;
  configuration: unknown;
  is_completed: boolean;
  is_superseded: boolean;
  superseded_recipe_id: string | null;
  forced_nodes: unknown;
  definition: unknown;
}

interface NodeRow {
  recipe_id: string;
  node_name: string;
  job_id: string | null;
  sub_recipe_id: string | null;
  condition_id: string | null;
  status: string | null;
  num_exes: number | null;
  output: unknown;
  job_superseded: boolean | null;
  is_accepted: boolean | null;
  data: unknown;
}

/** A node as json_agg prints it: ids are JSON numbers there. */
type NodeJson = Omit<NodeRow, 'recipe_id' | 'job_id' | 'sub_recipe_id' | 'condition_id'> & {
  recipe_id: number;
  job_id: number | null;
  sub_recipe_id: number | null;
  condition_id: number | null;
  orphan: boolean;
};

const idText = (id: number | null): string | null => (id === null ? null : String(id));

function nodeRow(node: NodeJson): NodeRow & { orphan: boolean } {
  return {
    ...node,
    recipe_id: String(node.recipe_id),
    job_id: idText(node.job_id),
    sub_recipe_id: idText(node.sub_recipe_id),
    condition_id: idText(node.condition_id),
  };
}

const parseData = (value: unknown): Data | null => {
  const parsed = Data.safeParse(value);
  return parsed.success ? parsed.data : null;
};

function jobNode(
  jobId: string,
  row: { status: unknown; num_exes: unknown; output: unknown; superseded: unknown },
): NodeState {
  return {
    kind: 'job',
    jobId: Number(jobId),
    status: JobStatus.parse(row.status),
    numExes: Number(row.num_exes),
    output: row.output == null ? null : parseData(row.output),
    isSuperseded: row.superseded === true,
  };
}

/** The part of a recipe configuration its jobs carry; undefined when it sets none of it. */
function overridesOf(configuration: RecipeConfiguration): JobConfigurationOverride | undefined {
  const { output_workspaces, mounts, settings } = configuration;
  if (output_workspaces === undefined && mounts === undefined && settings === undefined) return undefined;
  return {
    ...(output_workspaces === undefined ? {} : { output_workspaces }),
    ...(mounts === undefined ? {} : { mounts }),
    ...(settings === undefined ? {} : { settings }),
  };
}

function toRecipe(row: RecipeRow): RecipeState {
  const configuration = RecipeConfiguration.safeParse(row.configuration ?? {});
  const forced = row.forced_nodes == null ? null : ForcedNodes.safeParse(row.forced_nodes);
  return {
    id: Number(row.id),
    parentId: row.recipe_id === null ? null : Number(row.recipe_id),
    rootId: Number(row.root_recipe_id ?? row.id),
    definition: RecipeDefinition.parse(row.definition),
    input: parseData(row.input) ?? { files: {}, json: {} },
    priority: configuration.success ? configuration.data.priority : undefined,
    overrides: configuration.success ? overridesOf(configuration.data) : undefined,
    isCompleted: row.is_completed,
    isSuperseded: row.is_superseded,
    supersededRecipeId: row.superseded_recipe_id === null ? null : Number(row.superseded_recipe_id),
    previousNodes: {},
    forcedNodes: forced?.success ? forced.data : null,
    nodes: {},
  };
}

/** The tree under a top-level recipe, or null when the recipe does not exist. */
export async function loadTree(
  em: EntityManager,
  rootId: number,
  catalogue = new CatalogueCache(),
): Promise<LoadedTree | null> {
  const recipes: Record<number, RecipeState> = {};
  const orphans: OrphanJob[] = [];
  let level = [rootId];
  for (let depth = 0; level.length && depth <= MAX_RECIPE_DEPTH + 1; depth++) {
    // One round trip per level: each recipe row carries its nodes, and the jobs the scheduler created for a node
    // whose recipe_node row was never written (orphans).
    const rows = await em.execute<(RecipeRow & { nodes: NodeJson[] })[]>(
      `with nodes as (
         select n.recipe_id, n.node_name, n.job_id, n.sub_recipe_id, n.condition_id,
                j.status, j.num_exes, j.output, j.is_superseded as job_superseded, c.is_accepted, c.data,
                false as orphan
           from recipe_node n
           left join job j on j.id = n.job_id
           left join recipe_condition c on c.id = n.condition_id
          where n.recipe_id in (?)
         union all
         select j.recipe_id, j.recipe_node_name, j.id, null, null,
                j.status, j.num_exes, j.output, j.is_superseded, null, null, true
           from job j
          where j.recipe_id in (?) and j.recipe_node_name is not null
            and not exists (select 1 from recipe_node n where n.recipe_id = j.recipe_id and n.node_name = j.recipe_node_name)
       )
       select r.id, r.recipe_id, r.root_recipe_id, r.input, r.configuration, r.is_completed, r.is_superseded,
              r.superseded_recipe_id, r.forced_nodes, rev.definition,
              coalesce((select json_agg(nodes) from nodes where nodes.recipe_id = r.id), '[]') as nodes
         from recipe r join recipe_type_revision rev on rev.id = r.recipe_type_rev_id
        where r.id in (?)`,
      [level, level, level],
    );
    for (const row of rows) recipes[Number(row.id)] = toRecipe(row);
    const nodes = rows.flatMap((row) => row.nodes.map(nodeRow));
    const next: number[] = [];
    for (const row of nodes) {
      const recipe = recipes[Number(row.recipe_id)];
      if (!recipe) continue;
      if (row.job_id !== null) {
        recipe.nodes[row.node_name] = jobNode(row.job_id, { ...row, superseded: row.job_superseded });
        if (row.orphan) orphans.push({ recipeId: recipe.id, node: row.node_name, jobId: Number(row.job_id) });
      } else if (row.condition_id !== null) {
        recipe.nodes[row.node_name] = {
          kind: 'condition',
          conditionId: Number(row.condition_id),
          isAccepted: row.is_accepted === true,
          data: parseData(row.data) ?? { files: {}, json: {} },
        };
      } else if (row.sub_recipe_id !== null) {
        recipe.nodes[row.node_name] = { kind: 'recipe', recipeId: Number(row.sub_recipe_id) };
        if (!recipes[Number(row.sub_recipe_id)]) next.push(Number(row.sub_recipe_id));
      }
    }
    level = [...new Set(next)];
  }
  if (!recipes[rootId]) return null;

  const all = Object.values(recipes);
  await loadPreviousNodes(em, all);
  const definitions = all.map((r) => r.definition);
  return {
    tree: {
      rootId,
      recipes,
      jobTypes: await catalogue.jobTypes(em, definitions),
      recipeTypes: await catalogue.recipeTypes(em, definitions),
      files: await loadFiles(em, all),
      staleJobIds: await loadStaleJobs(em, all),
    },
    orphans,
  };
}

/** What each recipe's superseded predecessor had at every node. */
async function loadPreviousNodes(em: EntityManager, recipes: RecipeState[]): Promise<void> {
  const byOld = new Map(recipes.filter((r) => r.supersededRecipeId !== null).map((r) => [r.supersededRecipeId!, r]));
  if (byOld.size === 0) return;
  const rows = await em.execute<
    { recipe_id: string; node_name: string; job_id: string | null; sub_recipe_id: string | null }[]
  >('select recipe_id, node_name, job_id, sub_recipe_id from recipe_node where recipe_id in (?)', [[...byOld.keys()]]);
  for (const row of rows) {
    const previous: PreviousNode = {};
    if (row.job_id !== null) previous.jobId = Number(row.job_id);
    if (row.sub_recipe_id !== null) previous.subRecipeId = Number(row.sub_recipe_id);
    byOld.get(Number(row.recipe_id))!.previousNodes[row.node_name] = previous;
  }
}

/**
 * The job type ids and recipe type revisions definitions name. Both never change once they exist (a job type's
 * name and version keep their id, a revision is never edited), so each replica remembers what it looked up; what
 * it did not find is looked up again next time.
 */
export class CatalogueCache {
  readonly #jobTypes = new Map<string, JobTypeRef>();
  readonly #recipeTypes = new Map<string, RecipeTypeRef>();
  readonly #limit: number;

  constructor(limit = 10_000) {
    this.#limit = limit;
  }

  async jobTypes(em: EntityManager, definitions: RecipeDefinition[]): Promise<Record<string, JobTypeRef>> {
    const wanted = definitions.flatMap((d) => definitionReferences(d).jobTypes);
    const missing = wanted.filter((r) => !this.#jobTypes.has(jobTypeKey(r.name, r.version)));
    if (missing.length) remember(this.#jobTypes, await loadJobTypes(em, missing), this.#limit);
    return pick(
      this.#jobTypes,
      wanted.map((r) => jobTypeKey(r.name, r.version)),
    );
  }

  async recipeTypes(em: EntityManager, definitions: RecipeDefinition[]): Promise<Record<string, RecipeTypeRef>> {
    const wanted = definitions.flatMap((d) => definitionReferences(d).recipeTypes);
    const missing = wanted.filter((r) => !this.#recipeTypes.has(recipeTypeKey(r.name, r.revision)));
    if (missing.length) remember(this.#recipeTypes, await loadRecipeTypes(em, missing), this.#limit);
    return pick(
      this.#recipeTypes,
      wanted.map((r) => recipeTypeKey(r.name, r.revision)),
    );
  }
}

function remember<T>(cache: Map<string, T>, found: Record<string, T>, limit: number): void {
  for (const [key, value] of Object.entries(found)) {
    // A bounded cache: when full, the oldest entries go first (Map keeps insertion order).
    if (cache.size >= limit) cache.delete(cache.keys().next().value!);
    cache.set(key, value);
  }
}

function pick<T>(cache: Map<string, T>, keys: string[]): Record<string, T> {
  const result: Record<string, T> = {};
  for (const key of keys) {
    const value = cache.get(key);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

async function loadJobTypes(
  em: EntityManager,
  refs: { name: string; version: string }[],
): Promise<Record<string, JobTypeRef>> {
  if (refs.length === 0) return {};
  const rows = await em.execute<{ id: number; name: string; version: string }[]>(
    `select distinct t.id, t.name, t.version
       from jsonb_to_recordset(?::jsonb) as x(name text, version text)
       join job_type t on t.name = x.name and t.version = x.version`,
    [JSON.stringify(refs)],
  );
  return Object.fromEntries(rows.map((r) => [jobTypeKey(r.name, r.version), { id: r.id }]));
}

async function loadRecipeTypes(
  em: EntityManager,
  refs: { name: string; revision: number }[],
): Promise<Record<string, RecipeTypeRef>> {
  if (refs.length === 0) return {};
  const rows = await em.execute<
    { recipe_type_id: number; revision_id: number; name: string; revision_num: number; definition: unknown }[]
  >(
    `select distinct t.id as recipe_type_id, r.id as revision_id, t.name, r.revision_num, r.definition
       from jsonb_to_recordset(?::jsonb) as x(name text, revision int)
       join recipe_type t on t.name = x.name
       join recipe_type_revision r on r.recipe_type_id = t.id and r.revision_num = x.revision`,
    [JSON.stringify(refs)],
  );
  return Object.fromEntries(
    rows.map((r) => [
      recipeTypeKey(r.name, r.revision_num),
      { recipeTypeId: r.recipe_type_id, revisionId: r.revision_id, definition: RecipeDefinition.parse(r.definition) },
    ]),
  );
}

/** Catalogue facts of the files a condition could test; only read when some condition filters on files. */
async function loadFiles(em: EntityManager, recipes: RecipeState[]): Promise<Record<number, FileFacts>> {
  const filtersFiles = recipes.some((r) =>
    Object.values(r.definition.nodes).some(
      (n) => n.node_type.node_type === 'condition' && (n.node_type.data_filter.filters ?? []).some(isFileFilter),
    ),
  );
  if (!filtersFiles) return {};
  const ids = new Set<number>();
  for (const recipe of recipes) {
    for (const list of Object.values(recipe.input.files)) for (const id of list) ids.add(id);
    for (const node of Object.values(recipe.nodes)) {
      if (node.kind === 'job' && node.output)
        for (const list of Object.values(node.output.files)) for (const id of list) ids.add(id);
    }
  }
  if (ids.size === 0) return {};
  const rows = await em.execute<
    { id: string; file_name: string; media_type: string; data_type_tags: unknown; meta_data: unknown }[]
  >('select id, file_name, media_type, data_type_tags, meta_data from scale_file where id in (?) and not is_deleted', [
    [...ids],
  ]);
  return Object.fromEntries(
    rows.map((r) => [
      Number(r.id),
      {
        fileName: r.file_name,
        mediaType: r.media_type,
        dataTypes: Array.isArray(r.data_type_tags) ? r.data_type_tags.map(String) : [],
        metaData:
          r.meta_data && typeof r.meta_data === 'object' && !Array.isArray(r.meta_data)
            ? (r.meta_data as Record<string, unknown>)
            : null,
      },
    ]),
  );
}

/**
 * Jobs of the recipes this tree superseded (and of their superseded sub-recipes) that no live recipe uses and
 * that are not marked superseded yet: the reprocess replaced them, the scheduler still has to be told.
 */
async function loadStaleJobs(em: EntityManager, recipes: RecipeState[]): Promise<number[]> {
  const old = recipes.map((r) => r.supersededRecipeId).filter((id): id is number => id !== null);
  if (old.length === 0) return [];
  const rows = await em.execute<{ id: string }[]>(
    `with recursive old(id) as (
       select id from recipe where id in (?) and is_superseded
       union
       select r.id from recipe r join old on r.recipe_id = old.id where r.is_superseded
     )
     select j.id from job j join old on j.recipe_id = old.id
      where not j.is_superseded
        and not exists (select 1 from recipe_node n join recipe l on l.id = n.recipe_id
                         where n.job_id = j.id and not l.is_superseded)
      order by j.id
      limit 1000`,
    [old],
  );
  return rows.map((r) => Number(r.id));
}
