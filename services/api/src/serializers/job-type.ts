/** Job type bodies: v6 list item, v6 details, the summary nested in jobs, and the v5 shape (derived from the manifest). */
import type { JobType } from '@scale/db';
import {
  DEFAULT_PRIORITY,
  type JobTypeConfig,
  maskSecrets,
  secretSettingNames,
} from '../domain/job-type-configuration.ts';
import { diskOut, jobResources } from '../domain/resources.ts';
import { iso } from './common.ts';

/** Resource names we cannot offer would go here; every node offers cpus/mem/disk/gpus today. */
const UNMET_RESOURCES = null;

export function jobTypeListItemV6(jt: JobType) {
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
    unmet_resources: UNMET_RESOURCES,
    created: iso(jt.created),
    deprecated: iso(jt.deprecated),
    paused: iso(jt.paused),
    last_modified: iso(jt.lastModified),
  };
}

export function maskedConfiguration(jt: JobType): JobTypeConfig {
  return maskSecrets(jt.configuration, secretSettingNames(jt.manifest));
}

export function jobTypeDetailsV6(jt: JobType) {
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
    unmet_resources: UNMET_RESOURCES,
    manifest: jt.manifest,
    configuration: maskedConfiguration(jt),
    created: iso(jt.created),
    deprecated: iso(jt.deprecated),
    paused: iso(jt.paused),
    last_modified: iso(jt.lastModified),
  };
}

/** The job type as nested in v6 job and execution bodies. */
export function jobTypeSummaryV6(jt: JobType) {
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
    unmet_resources: UNMET_RESOURCES,
  };
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
