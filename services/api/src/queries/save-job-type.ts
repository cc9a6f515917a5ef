/**
 * The one write path of job types (catalogue data, owned by the API): create or revise a job type, record the
 * revision and upsert the errors its manifest declares, all in one transaction.
 */
import type { SeedManifest } from '@scale/contracts';
import { type EntityManager, JobType, JobTypeRevision } from '@scale/db';
import { canonicalJson } from '../domain/canonical-json.ts';
import { type JobTypeConfig, keepMaskedSecrets, normalizeConfiguration } from '../domain/job-type-configuration.ts';

export interface SaveJobTypeInput {
  dockerImage: string;
  manifest: SeedManifest;
  /** Undefined keeps the stored configuration of an existing job type. */
  configuration?: JobTypeConfig;
  iconCode?: string | null;
  maxScheduled?: number | null;
  isPublished?: boolean;
}

export interface SaveJobTypeResult {
  jobType: JobType;
  created: boolean;
}

export async function saveJobType(em: EntityManager, input: SaveJobTypeInput): Promise<SaveJobTypeResult> {
  const { name, jobVersion: version } = input.manifest.job;
  return em.transactional(async (tx) => {
    // Serialises concurrent posts of the same name+version, so revision numbers never collide.
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`job-type:${name}:${version}`]);
    const existing = await tx.findOne(JobType, { name, version });
    const result = existing ? await revise(tx, existing, input) : await create(tx, input);
    await upsertManifestErrors(tx, input.manifest);
    return result;
  });
}

async function create(tx: EntityManager, input: SaveJobTypeInput): Promise<SaveJobTypeResult> {
  const { job } = input.manifest;
  const jobType = tx.create(JobType, {
    name: job.name,
    version: job.jobVersion,
    title: job.title ?? null,
    description: job.description ?? null,
    iconCode: input.iconCode ?? null,
    maxScheduled: input.maxScheduled ?? null,
    isPublished: input.isPublished ?? false,
    revisionNum: 1,
    dockerImage: input.dockerImage,
    manifest: input.manifest,
    configuration: normalizeConfiguration(input.configuration),
  });
  await tx.flush();
  tx.create(JobTypeRevision, {
    jobTypeId: jobType.id,
    revisionNum: 1,
    dockerImage: input.dockerImage,
    manifest: input.manifest,
  });
  await tx.flush();
  return { jobType, created: true };
}

async function revise(tx: EntityManager, jobType: JobType, input: SaveJobTypeInput): Promise<SaveJobTypeResult> {
  const { job } = input.manifest;
  const changed =
    jobType.dockerImage !== input.dockerImage || canonicalJson(jobType.manifest) !== canonicalJson(input.manifest);
  if (changed) {
    jobType.revisionNum += 1;
    jobType.dockerImage = input.dockerImage;
    jobType.manifest = input.manifest;
    tx.create(JobTypeRevision, {
      jobTypeId: jobType.id,
      revisionNum: jobType.revisionNum,
      dockerImage: input.dockerImage,
      manifest: input.manifest,
    });
  }
  jobType.title = job.title ?? null;
  jobType.description = job.description ?? null;
  if (input.configuration) {
    jobType.configuration = normalizeConfiguration(keepMaskedSecrets(input.configuration, jobType.configuration));
  }
  if (input.iconCode !== undefined) jobType.iconCode = input.iconCode;
  if (input.maxScheduled !== undefined) jobType.maxScheduled = input.maxScheduled;
  if (input.isPublished !== undefined) jobType.isPublished = input.isPublished;
  await tx.flush();
  return { jobType, created: false };
}

/** Errors are keyed by (job type name, error name): a later version's manifest updates the shared row. */
async function upsertManifestErrors(tx: EntityManager, manifest: SeedManifest): Promise<void> {
  const byName = new Map(manifest.job.errors.map((e) => [e.name, e]));
  for (const error of byName.values()) {
    await tx.execute(
      `insert into error (name, job_type_name, title, description, category, is_builtin, should_be_retried)
       values (?, ?, ?, ?, ?, false, false)
       on conflict ((coalesce(job_type_name, '')), name) do update
         set title = excluded.title, description = excluded.description, category = excluded.category,
             last_modified = now()`,
      [
        error.name,
        manifest.job.name,
        error.title ?? null,
        error.description ?? null,
        error.category === 'data' ? 'DATA' : 'ALGORITHM',
      ],
    );
  }
}
