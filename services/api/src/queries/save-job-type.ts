/**
 * The write paths of job types (catalogue data, owned by the API): create or revise (POST), edit (PATCH v6 and
 * v5). Each runs in one transaction that also records the revision and upserts the errors the manifest declares,
 * so a rejected request leaves nothing behind.
 */
import { canonicalJson, type SeedManifest } from '@scale/contracts';
import { type EntityManager, JobType, JobTypeRevision } from '@scale/db';
import { AppError, NotFoundError } from '@scale/runtime';
import {
  type ConfigIssue,
  configurationIssues,
  type JobTypeConfig,
  nextConfiguration,
  normalizeConfiguration,
} from '../domain/job-type-configuration.ts';
import { nextState } from '../domain/job-type-state.ts';
import { validationFailure } from '../http/validation.ts';
import { followJobTypeRevision } from './save-recipe-type.ts';

export interface SaveJobTypeInput {
  dockerImage: string;
  manifest: SeedManifest;
  /** Undefined keeps the stored configuration of an existing job type. */
  configuration?: JobTypeConfig;
  iconCode?: string | null;
  maxScheduled?: number | null;
  isPublished?: boolean;
  isActive?: boolean;
  isPaused?: boolean;
  /** Move the recipe types that use this job type to its new revision, if the save makes one. @default true */
  autoUpdate?: boolean;
}

export interface SaveJobTypeResult {
  jobType: JobType;
  created: boolean;
}

/** What an edit may change; undefined leaves a field as it is. */
export interface JobTypePatch {
  dockerImage?: string | undefined;
  /** Must keep the job type's name and jobVersion (checked by the caller). */
  manifest?: SeedManifest | undefined;
  /** A change to the current manifest, applied under the job type's lock (v5 error mappings). */
  reviseManifest?: ((current: SeedManifest) => SeedManifest) | undefined;
  configuration?: JobTypeConfig | undefined;
  iconCode?: string | null | undefined;
  maxScheduled?: number | null | undefined;
  isPublished?: boolean | undefined;
  isActive?: boolean | undefined;
  isPaused?: boolean | undefined;
  /** Move the recipe types that use this job type to its new revision, if the edit makes one. @default true */
  autoUpdate?: boolean | undefined;
}

/**
 * Database errors quote the failed statement with its values, and a job type's configuration holds secret
 * settings: the error that reaches the logs keeps only what identifies the failure.
 */
function withoutValues(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as { name?: unknown; code?: unknown; table?: unknown; constraint?: unknown };
  const parts = [
    typeof e.name === 'string' ? e.name : 'Error',
    typeof e.code === 'string' ? `code ${e.code}` : null,
    typeof e.table === 'string' ? `table ${e.table}` : null,
    typeof e.constraint === 'string' ? `constraint ${e.constraint}` : null,
  ].filter((p): p is string => p !== null);
  return new AppError('INTERNAL', `saving the job type failed: ${parts.join(', ')}`);
}

async function writeTransaction<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await em.transactional(work);
  } catch (err) {
    throw withoutValues(err);
  }
}

/** Serialises every write of one name+version (POST and PATCH), so revision numbers never collide. */
async function lockJobType(tx: EntityManager, name: string, version: string): Promise<void> {
  await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`job-type:${name}:${version}`]);
}

export async function saveJobType(em: EntityManager, input: SaveJobTypeInput, now: Date): Promise<SaveJobTypeResult> {
  const { name, jobVersion: version } = input.manifest.job;
  return writeTransaction(em, async (tx) => {
    await lockJobType(tx, name, version);
    const existing = await tx.findOne(JobType, { name, version });
    const result = existing
      ? { jobType: await edit(tx, existing, input, now), created: false }
      : { jobType: await create(tx, input, now), created: true };
    await upsertManifestErrors(tx, input.manifest);
    return result;
  });
}

/** Edits the job type `name` `version`; 404 when it does not exist, 400 when the configuration does not fit. */
export async function patchJobType(
  em: EntityManager,
  name: string,
  version: string,
  patch: JobTypePatch,
  now: Date,
): Promise<JobType> {
  return writeTransaction(em, async (tx) => {
    await lockJobType(tx, name, version);
    const jobType = await tx.findOne(JobType, { name, version });
    if (!jobType) throw new NotFoundError(`job type ${name} ${version} does not exist`);
    const manifest = patch.reviseManifest ? patch.reviseManifest(jobType.manifest) : patch.manifest;
    const updated = await edit(tx, jobType, { ...patch, manifest }, now);
    if (manifest) await upsertManifestErrors(tx, manifest);
    return updated;
  });
}

/**
 * Output workspaces a configuration names that are not active workspaces: outputs sent there could never be
 * stored, so the configuration is refused rather than its jobs failing one by one.
 */
export async function workspaceIssues(em: EntityManager, configuration: JobTypeConfig): Promise<ConfigIssue[]> {
  const targets = configuration.output_workspaces;
  const named: (readonly [field: string, workspace: string])[] = [
    ...(targets?.default === undefined ? [] : [['configuration.output_workspaces.default', targets.default] as const]),
    ...Object.entries(targets?.outputs ?? {}).map(
      ([output, workspace]) => [`configuration.output_workspaces.outputs.${output}`, workspace] as const,
    ),
  ];
  if (!named.length) return [];
  const rows = await em.execute<{ name: string }[]>('select name from workspace where is_active and name in (?)', [
    [...new Set(named.map(([, workspace]) => workspace))],
  ]);
  const active = new Set(rows.map((r) => r.name));
  return named
    .filter(([, workspace]) => !active.has(workspace))
    .map(([field, workspace]) => ({ field, message: `workspace "${workspace}" does not exist or is not active` }));
}

/** The manifest rules and the output workspaces of a configuration the client sent; 400 listing every problem. */
async function checkConfiguration(
  tx: EntityManager,
  manifest: SeedManifest,
  configuration: JobTypeConfig | undefined,
): Promise<void> {
  if (!configuration) return;
  const issues = [...configurationIssues(manifest, configuration), ...(await workspaceIssues(tx, configuration))];
  if (issues.length) throw validationFailure('request body', issues);
}

async function create(tx: EntityManager, input: SaveJobTypeInput, now: Date): Promise<JobType> {
  const { job } = input.manifest;
  await checkConfiguration(tx, input.manifest, input.configuration);
  const state = nextState(
    { isActive: true, deprecated: null, isPaused: false, paused: null },
    { isActive: input.isActive, isPaused: input.isPaused },
    now,
  );
  const jobType = tx.create(JobType, {
    name: job.name,
    version: job.jobVersion,
    title: job.title ?? null,
    description: job.description ?? null,
    iconCode: input.iconCode ?? null,
    maxScheduled: input.maxScheduled ?? null,
    isPublished: input.isPublished ?? false,
    ...state,
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
  return jobType;
}

/**
 * A changed manifest or image is a new revision (and, with auto_update, the recipe types using the job type move
 * to it); the configuration is checked against the manifest it will run.
 */
async function edit(tx: EntityManager, jobType: JobType, patch: JobTypePatch, now: Date): Promise<JobType> {
  const storedManifest = jobType.manifest;
  const manifest = patch.manifest ?? storedManifest;
  await checkConfiguration(tx, manifest, patch.configuration);
  const dockerImage = patch.dockerImage ?? jobType.dockerImage;
  const manifestChanged = canonicalJson(storedManifest) !== canonicalJson(manifest);
  if (manifestChanged || dockerImage !== jobType.dockerImage) {
    jobType.revisionNum += 1;
    jobType.dockerImage = dockerImage;
    jobType.manifest = manifest;
    tx.create(JobTypeRevision, { jobTypeId: jobType.id, revisionNum: jobType.revisionNum, dockerImage, manifest });
    await tx.flush();
    if (patch.autoUpdate ?? true) await followJobTypeRevision(tx, jobType);
  }
  if (patch.manifest) {
    jobType.title = manifest.job.title ?? null;
    jobType.description = manifest.job.description ?? null;
  }
  if (patch.configuration || manifestChanged) {
    jobType.configuration = nextConfiguration({
      stored: jobType.configuration,
      storedManifest,
      sent: patch.configuration,
      manifest,
    });
  }
  const current = {
    isActive: jobType.isActive,
    deprecated: jobType.deprecated ?? null,
    isPaused: jobType.isPaused,
    paused: jobType.paused ?? null,
  };
  Object.assign(jobType, nextState(current, { isActive: patch.isActive, isPaused: patch.isPaused }, now));
  if (patch.iconCode !== undefined) jobType.iconCode = patch.iconCode;
  if (patch.maxScheduled !== undefined) jobType.maxScheduled = patch.maxScheduled;
  if (patch.isPublished !== undefined) jobType.isPublished = patch.isPublished;
  await tx.flush();
  return jobType;
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
