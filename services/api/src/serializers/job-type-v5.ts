/**
 * The v5 job type bodies of seed 002 (list, details, and the summary nested in status bodies). v5 fields that
 * v6 moved into the Seed manifest are derived from the current manifest and configuration:
 * category = the first tag, author_name/author_url = the maintainer, cpus/mem/disk from the resources.
 */
import { jobResources } from '@scale/contracts';
import type { ErrorRow, JobType } from '@scale/db';
import { legacyErrorMapping } from '../domain/error-mapping.ts';
import { DEFAULT_PRIORITY } from '../domain/job-type-configuration.ts';
import { legacyInterface } from '../domain/legacy-interface.ts';
import { diskOut } from '../domain/resources.ts';
import type { WindowedCounts } from '../queries/job-type-status.ts';
import { iso } from './common.ts';
import { errorV5 } from './error.ts';
import { jobCountBody } from './job-type-status.ts';

export function jobTypeSummaryV5(jt: JobType) {
  const { job } = jt.manifest;
  return {
    id: jt.id,
    name: jt.name,
    version: jt.version,
    title: jt.title,
    description: jt.description,
    category: job.tags[0] ?? null,
    author_name: job.maintainer?.name ?? null,
    author_url: job.maintainer?.url ?? null,
    is_system: jt.isSystem,
    is_long_running: jt.isLongRunning,
    is_active: jt.isActive,
    is_operational: true,
    is_paused: jt.isPaused,
    icon_code: jt.iconCode,
  };
}

export function jobTypeListItemV5(jt: JobType) {
  const resources = jobResources(jt.manifest);
  const disk = diskOut(jt.manifest);
  return {
    ...jobTypeSummaryV5(jt),
    uses_docker: true,
    docker_privileged: false,
    docker_image: jt.dockerImage,
    priority: jt.configuration.priority ?? DEFAULT_PRIORITY,
    timeout: jt.manifest.job.timeout,
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

/** `errors` lists the error rows the mapping points at (this job type's errors). */
export function jobTypeDetailsV5(jt: JobType, errors: readonly ErrorRow[], counts: WindowedCounts) {
  const mapping = legacyErrorMapping(jt.manifest);
  const mapped = new Set(Object.values(mapping.exit_codes));
  return {
    ...jobTypeListItemV5(jt),
    interface: legacyInterface(jt.manifest),
    error_mapping: mapping,
    errors: errors.filter((e) => mapped.has(e.name)).map(errorV5),
    job_counts_6h: counts.job_counts_6h.map(jobCountBody),
    job_counts_12h: counts.job_counts_12h.map(jobCountBody),
    job_counts_24h: counts.job_counts_24h.map(jobCountBody),
  };
}
