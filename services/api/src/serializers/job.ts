/** The v6 job details body (seed 004, GET /v6/jobs/{id}/). */
import { jobResources } from '@scale/contracts';
import { secretSettingNames } from '../domain/job-type-configuration.ts';
import { resourcesJson } from '../domain/resources.ts';
import type { JobDetailsRecord } from '../queries/job-details.ts';
import { iso } from './common.ts';
import { errorV6 } from './error.ts';
import { type ExecutionContext, jobExeV6, nodeSummary } from './job-exe.ts';
import { jobBriefV6 } from './job-links.ts';
import { batchSummaryV6, recipeSummaryV6 } from './job-list.ts';
import { jobTypeSummaryV6 } from './job-type.ts';
import { jobQueueReason } from './queue-reason.ts';

export function executionContext(record: JobDetailsRecord): ExecutionContext {
  return {
    jobType: record.jobType,
    errors: record.errors,
    nodes: record.nodes,
    secrets: secretSettingNames(record.jobType.manifest, record.revision.manifest),
  };
}

export function jobDetailsV6(record: JobDetailsRecord) {
  const { job, jobType, revision } = record;
  const error = job.errorId == null ? null : (record.errors.get(job.errorId) ?? null);
  const [latest] = record.executions;
  const links = record.links;
  return {
    id: job.id,
    job_type: jobTypeSummaryV6(jobType),
    job_type_rev: {
      id: revision.id,
      job_type: {
        id: jobType.id,
        name: jobType.name,
        version: jobType.version,
        title: jobType.title,
        description: jobType.description,
        icon_code: jobType.iconCode,
        num_versions: links.jobTypeVersions.count,
        latest_version: links.jobTypeVersions.latest,
      },
      revision_num: revision.revisionNum,
      docker_image: revision.dockerImage,
      manifest: revision.manifest,
      created: iso(revision.created),
    },
    event: null,
    recipe: recipeSummaryV6(links.recipeId, links.recipe),
    batch: batchSummaryV6(links.batchId, links.batch),
    is_superseded: job.isSuperseded,
    superseded_job: jobBriefV6(links.supersededJob),
    superseded_by_job: jobBriefV6(links.supersededByJob),
    status: job.status,
    queue_reason: jobQueueReason(record),
    node: nodeSummary(job.nodeId, record.nodes),
    resources: resourcesJson(jobResources(revision.manifest, Number(job.inputFileSize))),
    error: error ? errorV6(error) : null,
    execution: latest ? jobExeV6(latest, executionContext(record)) : null,
    input: job.input,
    output: job.output ?? null,
    priority: job.priority,
    max_tries: job.maxTries,
    num_exes: job.numExes,
    input_file_size: Number(job.inputFileSize),
    source_started: null,
    source_ended: null,
    source_sensor_class: null,
    source_sensor: null,
    source_collection: null,
    source_task: null,
    created: iso(job.created),
    queued: iso(job.queued),
    started: iso(job.started),
    ended: iso(job.ended),
    last_status_change: iso(job.lastStatusChange),
    superseded: iso(links.superseded),
    last_modified: iso(job.lastModified),
  };
}
