/** Job list items: v6 GET /v6/jobs/ (seed 004) and v5 GET /jobs/, /jobs/updates/, /jobs/executions/ (seed 001). */
import { jobResources } from '@scale/contracts';
import type { JobExe, JobType, JobTypeRevision } from '@scale/db';
import { jobTypeCategory } from '../domain/job-list-filters.ts';
import { legacyInterface } from '../domain/legacy-interface.ts';
import type { JobsInputFiles } from '../queries/files.ts';
import type { JobListRow } from '../queries/job-list.ts';
import type { BatchSummary, JobRelations, RecipeSummary } from '../queries/job-list-relations.ts';
import { iso } from './common.ts';
import { errorV5, errorV6 } from './error.ts';
import { jobExeV5, nodeSummary } from './job-exe.ts';
import { jobTypeSummaryV6 } from './job-type.ts';
import { scaleFileV5 } from './scale-file.ts';

function must<T>(map: ReadonlyMap<number, T>, id: number, what: string): T {
  const value = map.get(id);
  // Foreign keys guarantee these rows; a miss is a bug, not a client error.
  if (value === undefined) throw new Error(`${what} ${id} referenced by a job was not loaded`);
  return value;
}

/** Scale's RecipeBaseSerializerV6; there are no trigger events, so `event` is null. */
export function recipeSummaryV6(id: number | null, recipe: RecipeSummary | null | undefined) {
  if (id == null) return null;
  if (!recipe) return { id, recipe_type: null, recipe_type_rev: null, event: null };
  const type = recipe.recipeType;
  return {
    id,
    recipe_type: {
      id: type.id,
      name: type.name,
      title: type.title,
      description: type.description,
      revision_num: type.revisionNum,
    },
    recipe_type_rev: { id: recipe.recipeTypeRevId },
    event: null,
  };
}

/** Scale's BatchBaseSerializerV6. */
export function batchSummaryV6(id: number | null, batch: BatchSummary | null | undefined) {
  if (id == null) return null;
  return {
    id,
    title: batch?.title ?? null,
    description: batch?.description ?? null,
    created: iso(batch?.created),
  };
}

function revisionSummary(row: JobListRow, revision: JobTypeRevision) {
  return { id: row.jobTypeRevId, job_type: { id: row.jobTypeId }, revision_num: revision.revisionNum };
}

export function jobListItemV6(row: JobListRow, rel: JobRelations) {
  const error = row.errorId == null ? null : (rel.errors.get(row.errorId) ?? null);
  return {
    id: row.id,
    job_type: jobTypeSummaryV6(must(rel.jobTypes, row.jobTypeId, 'job type')),
    job_type_rev: revisionSummary(row, must(rel.revisions, row.jobTypeRevId, 'job type revision')),
    event: null,
    recipe: recipeSummaryV6(row.recipeId, row.recipeId == null ? null : rel.recipes.get(row.recipeId)),
    batch: batchSummaryV6(row.batchId, row.batchId == null ? null : rel.batches.get(row.batchId)),
    is_superseded: row.isSuperseded,
    superseded_job: row.supersededJobId == null ? null : { id: row.supersededJobId },
    status: row.status,
    node: nodeSummary(row.nodeId, rel.nodes),
    error: error ? errorV6(error) : null,
    num_exes: row.numExes,
    input_file_size: row.inputFileSize,
    source_started: null,
    source_ended: null,
    source_sensor_class: null,
    source_sensor: null,
    source_collection: null,
    source_task: null,
    created: iso(row.created),
    queued: iso(row.queued),
    started: iso(row.started),
    ended: iso(row.ended),
    last_status_change: iso(row.lastStatusChange),
    superseded: iso(row.superseded),
    last_modified: iso(row.lastModified),
  };
}

/** The job type nested in v5 job list items; category and author come from the Seed manifest. */
export function jobTypeSummaryV5(jt: JobType) {
  const maintainer = jt.manifest.job.maintainer;
  return {
    id: jt.id,
    name: jt.name,
    version: jt.version,
    title: jt.title,
    description: jt.description,
    category: jobTypeCategory(jt.manifest),
    author_name: maintainer?.name ?? null,
    author_url: maintainer?.url ?? null,
    is_system: jt.isSystem,
    is_long_running: jt.isLongRunning,
    is_active: jt.isActive,
    is_operational: true,
    is_paused: jt.isPaused,
    icon_code: jt.iconCode,
  };
}

export function jobListItemV5(row: JobListRow, rel: JobRelations) {
  const jobType = must(rel.jobTypes, row.jobTypeId, 'job type');
  const revision = must(rel.revisions, row.jobTypeRevId, 'job type revision');
  const resources = jobResources(revision.manifest, row.inputFileSize);
  const error = row.errorId == null ? null : (rel.errors.get(row.errorId) ?? null);
  return {
    id: row.id,
    job_type: jobTypeSummaryV5(jobType),
    job_type_rev: revisionSummary(row, revision),
    event: null,
    error: error ? errorV5(error) : null,
    status: row.status,
    priority: row.priority,
    num_exes: row.numExes,
    timeout: revision.manifest.job.timeout,
    max_tries: row.maxTries,
    cpus_required: resources.cpus,
    mem_required: resources.mem,
    disk_in_required: row.inputFileSize,
    disk_out_required: resources.disk,
    created: iso(row.created),
    queued: iso(row.queued),
    started: iso(row.started),
    ended: iso(row.ended),
    last_status_change: iso(row.lastStatusChange),
    last_modified: iso(row.lastModified),
  };
}

/** /jobs/updates/: each job with the files it reads, as v5 prints files. */
export function jobUpdateItemV5(row: JobListRow, rel: JobRelations, inputs: JobsInputFiles) {
  const files = new Map(inputs.rows.map((f) => [f.id, f]));
  const own = (inputs.byJob.get(row.id) ?? []).flatMap((id) => {
    const file = files.get(id);
    return file ? [scaleFileV5(file, inputs)] : [];
  });
  return { ...jobListItemV5(row, rel), input_files: own };
}

/** /jobs/executions/: the v5 item plus its newest execution. */
export function jobWithExecutionItemV5(row: JobListRow, rel: JobRelations, latest: JobExe | undefined) {
  const jobType = must(rel.jobTypes, row.jobTypeId, 'job type');
  const revision = must(rel.revisions, row.jobTypeRevId, 'job type revision');
  const context = { jobType, errors: rel.errors, nodes: rel.nodes, secrets: new Set<string>() };
  const commandArguments = legacyInterface(revision.manifest).command_arguments;
  return {
    ...jobListItemV5(row, rel),
    latest_job_exe: latest ? jobExeV5(latest, context, commandArguments) : null,
  };
}
