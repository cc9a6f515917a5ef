/** The rows a page of jobs refers to (job types, revisions, errors, nodes, recipes, batches), one query each. */
import { type EntityManager, ErrorRow, JobExe, JobType, JobTypeRevision, NodeRow } from '@scale/db';

export interface RecipeSummary {
  id: number;
  recipeType: { id: number; name: string; title: string | null; description: string | null; revisionNum: number };
  recipeTypeRevId: number;
  created: Date;
  completed: Date | null;
  lastModified: Date;
}

export interface BatchSummary {
  id: number;
  title: string | null;
  description: string | null;
  created: Date;
}

export interface JobRelations {
  jobTypes: ReadonlyMap<number, JobType>;
  revisions: ReadonlyMap<number, JobTypeRevision>;
  errors: ReadonlyMap<number, ErrorRow>;
  nodes: ReadonlyMap<number, NodeRow>;
  recipes: ReadonlyMap<number, RecipeSummary>;
  batches: ReadonlyMap<number, BatchSummary>;
}

/** What a job (or an execution, for its error and node) points at. */
export interface RelatedIds {
  jobTypeId?: number;
  jobTypeRevId?: number;
  errorId?: number | null;
  nodeId?: number | null;
  recipeId?: number | null;
  batchId?: number | null;
}

function idsOf(values: (number | null | undefined)[]): number[] {
  return [...new Set(values.filter((v): v is number => typeof v === 'number'))];
}

function byId<T extends { id: number }>(rows: T[]): Map<number, T> {
  return new Map(rows.map((r) => [r.id, r]));
}

/** Whether tables exist yet: batches have no table so far (the recipe engine will add it). */
async function hasTables(em: EntityManager, names: string[]): Promise<boolean> {
  const rows = await em.execute<{ ok: boolean }[]>(
    `select bool_and(to_regclass(name) is not null) as ok from unnest(?::text[]) as name`,
    [`{${names.join(',')}}`],
  );
  return rows[0]?.ok === true;
}

export async function loadRecipeSummaries(em: EntityManager, ids: number[]): Promise<Map<number, RecipeSummary>> {
  if (!ids.length) return new Map();
  const rows = await em.execute<Record<string, unknown>[]>(
    `select r.id, r.recipe_type_rev_id, r.created, r.completed, r.last_modified,
            t.id as type_id, t.name, t.title, t.description, t.revision_num
       from recipe r join recipe_type t on t.id = r.recipe_type_id where r.id in (?)`,
    [ids],
  );
  return byId(
    rows.map((r) => ({
      id: Number(r.id),
      recipeType: {
        id: Number(r.type_id),
        name: String(r.name),
        title: (r.title as string | null) ?? null,
        description: (r.description as string | null) ?? null,
        revisionNum: Number(r.revision_num),
      },
      recipeTypeRevId: Number(r.recipe_type_rev_id),
      created: new Date(r.created as string | Date),
      completed: r.completed == null ? null : new Date(r.completed as string | Date),
      lastModified: new Date(r.last_modified as string | Date),
    })),
  );
}

export async function loadBatchSummaries(em: EntityManager, ids: number[]): Promise<Map<number, BatchSummary>> {
  if (!ids.length || !(await hasTables(em, ['batch']))) return new Map();
  const rows = await em.execute<Record<string, unknown>[]>(
    'select id, title, description, created from batch where id in (?)',
    [ids],
  );
  return byId(
    rows.map((r) => ({
      id: Number(r.id),
      title: (r.title as string | null) ?? null,
      description: (r.description as string | null) ?? null,
      created: new Date(r.created as string | Date),
    })),
  );
}

/** Everything the given jobs point at, loaded concurrently (each lookup is by primary key). */
export async function loadJobRelations(em: EntityManager, jobs: readonly RelatedIds[]): Promise<JobRelations> {
  const jobTypeIds = idsOf(jobs.map((j) => j.jobTypeId));
  const revisionIds = idsOf(jobs.map((j) => j.jobTypeRevId));
  const errorIds = idsOf(jobs.map((j) => j.errorId));
  const nodeIds = idsOf(jobs.map((j) => j.nodeId));
  const [jobTypes, revisions, errors, nodes, recipes, batches] = await Promise.all([
    jobTypeIds.length ? em.find(JobType, { id: { $in: jobTypeIds } }) : [],
    revisionIds.length ? em.find(JobTypeRevision, { id: { $in: revisionIds } }) : [],
    errorIds.length ? em.find(ErrorRow, { id: { $in: errorIds } }) : [],
    nodeIds.length ? em.find(NodeRow, { id: { $in: nodeIds } }) : [],
    loadRecipeSummaries(em, idsOf(jobs.map((j) => j.recipeId))),
    loadBatchSummaries(em, idsOf(jobs.map((j) => j.batchId))),
  ]);
  return {
    jobTypes: byId(jobTypes),
    revisions: byId(revisions),
    errors: byId(errors),
    nodes: byId(nodes),
    recipes,
    batches,
  };
}

/** `relations` plus the errors and nodes of `more` that it lacks (for executions loaded beside the jobs). */
export async function addErrorsAndNodes(
  em: EntityManager,
  relations: JobRelations,
  more: readonly RelatedIds[],
): Promise<JobRelations> {
  const errorIds = idsOf(more.map((m) => m.errorId)).filter((id) => !relations.errors.has(id));
  const nodeIds = idsOf(more.map((m) => m.nodeId)).filter((id) => !relations.nodes.has(id));
  const [errors, nodes] = await Promise.all([
    errorIds.length ? em.find(ErrorRow, { id: { $in: errorIds } }) : [],
    nodeIds.length ? em.find(NodeRow, { id: { $in: nodeIds } }) : [],
  ]);
  return {
    ...relations,
    errors: new Map([...relations.errors, ...byId(errors)]),
    nodes: new Map([...relations.nodes, ...byId(nodes)]),
  };
}

/** The newest execution of each job, in one query (`distinct on` over the unique (job_id, exe_num) index). */
export async function loadLatestExecutions(em: EntityManager, jobIds: number[]): Promise<Map<number, JobExe>> {
  if (!jobIds.length) return new Map();
  const rows = await em.execute<Record<string, unknown>[]>(
    'select distinct on (job_id) * from job_exe where job_id in (?) order by job_id, exe_num desc',
    [jobIds],
  );
  const exes = rows.map((row) => em.map(JobExe, row));
  return new Map(exes.map((e) => [e.jobId, e]));
}
