/**
 * What a job detail shows about the job's surroundings: its recipe and batch, the supersede chain, and how many
 * versions its job type has. Columns the Job entity does not map are read with SQL.
 */
import type { JobStatus } from '@scale/contracts';
import { type EntityManager, JobType } from '@scale/db';
import { latestVersion } from '../domain/semver.ts';
import {
  type BatchSummary,
  loadBatchSummaries,
  loadRecipeSummaries,
  type RecipeSummary,
} from './job-list-relations.ts';

/** Scale's JobBaseSerializerV6: a neighbouring job of the supersede chain. */
export interface JobBrief {
  id: number;
  status: JobStatus;
  jobType: JobType;
}

export interface JobLinks {
  recipeId: number | null;
  recipe: RecipeSummary | null;
  batchId: number | null;
  batch: BatchSummary | null;
  /** The job this one replaced, and the one that replaced it. */
  supersededJob: JobBrief | null;
  supersededByJob: JobBrief | null;
  rootSupersededJobId: number | null;
  superseded: Date | null;
  /** Versions of the job type's name, for job_type_rev.job_type (seed 004). */
  jobTypeVersions: { count: number; latest: string | null };
}

type Raw = Record<string, unknown>;
const idOrNull = (v: unknown): number | null => (v == null ? null : Number(v));

async function briefs(em: EntityManager, where: string, id: number): Promise<JobBrief | null> {
  const [row] = await em.execute<Raw[]>(`select id, status, job_type_id from job where ${where} = ? limit 1`, [id]);
  if (!row) return null;
  const jobType = await em.findOneOrFail(JobType, { id: Number(row.job_type_id) });
  return { id: Number(row.id), status: row.status as JobStatus, jobType };
}

export async function loadJobLinks(em: EntityManager, jobId: number, jobTypeName: string): Promise<JobLinks> {
  const [row = {}] = await em.execute<Raw[]>(
    'select recipe_id, batch_id, superseded_job_id, root_superseded_job_id, superseded from job where id = ?',
    [jobId],
  );
  const recipeId = idOrNull(row.recipe_id);
  const batchId = idOrNull(row.batch_id);
  const supersededJobId = idOrNull(row.superseded_job_id);
  const [recipes, batches, supersededJob, supersededByJob, versions] = await Promise.all([
    loadRecipeSummaries(em, recipeId == null ? [] : [recipeId]),
    loadBatchSummaries(em, batchId == null ? [] : [batchId]),
    supersededJobId == null ? null : briefs(em, 'id', supersededJobId),
    briefs(em, 'superseded_job_id', jobId),
    em.execute<{ version: string }[]>('select version from job_type where name = ?', [jobTypeName]),
  ]);
  const names = versions.map((v) => v.version);
  return {
    recipeId,
    recipe: recipeId == null ? null : (recipes.get(recipeId) ?? null),
    batchId,
    batch: batchId == null ? null : (batches.get(batchId) ?? null),
    supersededJob,
    supersededByJob,
    rootSupersededJobId: idOrNull(row.root_superseded_job_id),
    superseded: row.superseded == null ? null : new Date(row.superseded as string | Date),
    jobTypeVersions: { count: names.length, latest: latestVersion(names) },
  };
}
