/** Job type bodies: v6 list item, v6 details, the summary nested in jobs, and the v5 shape (derived from the manifest). */
import { customScalarNames, jobResources, type SeedManifest } from '@scale/contracts';
import type { JobType, JobTypeRevision, RecipeType } from '@scale/db';
import {
  DEFAULT_PRIORITY,
  type JobTypeConfig,
  maskSecrets,
  secretSettingNames,
} from '../domain/job-type-configuration.ts';
import { diskOut } from '../domain/resources.ts';
import type { JobTypeName } from '../queries/job-types.ts';
import { iso } from './common.ts';

/** What callers that did not read the nodes' offers report. */
const UNMET_RESOURCES = null;

/**
 * Scale's `unmet_resources`: the manifest's custom resources that no active node offers, comma-separated, or null.
 * Without `offered` (a caller that did not look at the nodes) nothing is reported.
 */
export function unmetResources(manifest: SeedManifest, offered: ReadonlySet<string> | undefined): string | null {
  if (!offered) return UNMET_RESOURCES;
  const unmet = customScalarNames(manifest).filter((name) => !offered.has(name));
  return unmet.length ? unmet.join(',') : null;
}

export function jobTypeListItemV6(jt: JobType, offered?: ReadonlySet<string>) {
  return {
    id: jt.id,
    name: jt.name,
    version: jt.version,
    title: jt.title,
    description: jt.description,
    icon_code: jt.iconCode,
    is_published: jt.isPublished,
    is_active: jt.isActive,
    is_paused: jt.isPaused,
    is_system: jt.isSystem,
    max_scheduled: jt.maxScheduled,
    revision_num: jt.revisionNum,
    docker_image: jt.dockerImage,
    unmet_resources: unmetResources(jt.manifest, offered),
    created: iso(jt.created),
    deprecated: iso(jt.deprecated),
    paused: iso(jt.paused),
    last_modified: iso(jt.lastModified),
  };
}

export function maskedConfiguration(jt: JobType): JobTypeConfig {
  return maskSecrets(jt.configuration, secretSettingNames(jt.manifest));
}

/**
 * The v6 details. `recipeTypes` (the recipe types using the job type) fills `recipe_types`; callers that did not
 * read them (job types nested in recipe type details) leave the field out.
 */
export function jobTypeDetailsV6(jt: JobType, offered?: ReadonlySet<string>, recipeTypes?: readonly RecipeType[]) {
  return {
    id: jt.id,
    name: jt.name,
    version: jt.version,
    title: jt.title,
    description: jt.description,
    icon_code: jt.iconCode,
    is_active: jt.isActive,
    is_paused: jt.isPaused,
    is_published: jt.isPublished,
    is_system: jt.isSystem,
    is_long_running: jt.isLongRunning,
    max_scheduled: jt.maxScheduled,
    max_tries: jt.maxTries,
    revision_num: jt.revisionNum,
    docker_image: jt.dockerImage,
    unmet_resources: unmetResources(jt.manifest, offered),
    manifest: jt.manifest,
    configuration: maskedConfiguration(jt),
    ...(recipeTypes ? { recipe_types: recipeTypes.map(recipeTypeUsingV6) } : {}),
    created: iso(jt.created),
    deprecated: iso(jt.deprecated),
    paused: iso(jt.paused),
    last_modified: iso(jt.lastModified),
  };
}

/** A recipe type in a job type's `recipe_types` (Scale's recipe type list item). */
function recipeTypeUsingV6(rt: RecipeType) {
  return {
    id: rt.id,
    name: rt.name,
    title: rt.title,
    description: rt.description,
    is_active: rt.isActive,
    is_system: rt.isSystem,
    revision_num: rt.revisionNum,
    created: iso(rt.created),
    deprecated: iso(rt.deprecated),
    last_modified: iso(rt.lastModified),
  };
}

/** The job type as nested in v6 job and execution bodies. */
export function jobTypeSummaryV6(jt: JobType, offered?: ReadonlySet<string>) {
  return {
    id: jt.id,
    name: jt.name,
    version: jt.version,
    title: jt.title,
    description: jt.description,
    revision_num: jt.revisionNum,
    icon_code: jt.iconCode,
    is_active: jt.isActive,
    is_paused: jt.isPaused,
    is_published: jt.isPublished,
    unmet_resources: unmetResources(jt.manifest, offered),
  };
}

/** The job type as nested in the v6 status, pending, running, system failure and revision bodies. */
export function jobTypeBaseV6(jt: JobType, offered?: ReadonlySet<string>) {
  return {
    id: jt.id,
    name: jt.name,
    version: jt.version,
    title: jt.title,
    description: jt.description,
    is_active: jt.isActive,
    is_paused: jt.isPaused,
    is_published: jt.isPublished,
    icon_code: jt.iconCode,
    unmet_resources: unmetResources(jt.manifest, offered),
  };
}

/** GET /v6/job-type-names/: a name with the title, description and icon of its latest version. */
export function jobTypeNameV6({ name, versions, latest }: JobTypeName) {
  return {
    name,
    title: latest.title,
    description: latest.description,
    icon_code: latest.iconCode,
    is_published: latest.isPublished,
    versions: versions.map((v) => v.version),
    latest_version: latest.version,
  };
}

export function revisionV6(revision: JobTypeRevision, jt: JobType, offered?: ReadonlySet<string>) {
  return {
    id: revision.id,
    job_type: jobTypeBaseV6(jt, offered),
    revision_num: revision.revisionNum,
    docker_image: revision.dockerImage,
    created: iso(revision.created),
  };
}

export function revisionDetailsV6(revision: JobTypeRevision, jt: JobType, offered?: ReadonlySet<string>) {
  return { ...revisionV6(revision, jt, offered), manifest: revision.manifest };
}

/** The v5 job type: v5-only fields derived from the manifest and configuration. */
export function jobTypeV5(jt: JobType) {
  const resources = jobResources(jt.manifest);
  const disk = diskOut(jt.manifest);
  return {
    id: jt.id,
    name: jt.name,
    version: jt.version,
    title: jt.title,
    description: jt.description,
    is_system: jt.isSystem,
    is_long_running: jt.isLongRunning,
    is_active: jt.isActive,
    is_operational: true,
    is_paused: jt.isPaused,
    icon_code: jt.iconCode,
    uses_docker: true,
    docker_privileged: false,
    docker_image: jt.dockerImage,
    revision_num: jt.revisionNum,
    priority: jt.configuration.priority ?? DEFAULT_PRIORITY,
    timeout: jt.manifest.job.timeout,
    max_scheduled: jt.maxScheduled,
    max_tries: jt.maxTries,
    cpus_required: resources.cpus,
    mem_required: resources.mem,
    disk_out_const_required: disk.constant,
    disk_out_mult_required: disk.multiplier,
    created: iso(jt.created),
    archived: iso(jt.deprecated),
    paused: iso(jt.paused),
    last_modified: iso(jt.lastModified),
  };
}
