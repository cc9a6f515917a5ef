/** The v5 job details body (seeds 000 and 001): what our data holds, in the v5 field names. */
import { type Data, jobResources, legacyFromData } from '@scale/contracts';
import { type FileResolver, fileIdsOf, inputValues, outputValues } from '../domain/interface-values.ts';
import { legacyInterface } from '../domain/legacy-interface.ts';
import type { FileRecord } from '../queries/files.ts';
import type { JobDetailsRecord } from '../queries/job-details.ts';
import { iso } from './common.ts';
import { errorV5 } from './error.ts';
import { executionContext } from './job.ts';
import { jobExeV5 } from './job-exe.ts';
import { recipesV5 } from './job-links.ts';
import { jobTypeV5 } from './job-type.ts';
import { scaleFileV5 } from './scale-file.ts';

function legacyData(data: Data) {
  return { version: '1.0', input_data: legacyFromData(data), output_data: [] };
}

function legacyResults(output: Data | null | undefined) {
  return output ? { version: '1.0', output_data: legacyFromData(output) } : null;
}

/** `files`: the job's input files and products (queries/files jobDetailFiles). */
export function jobDetailsV5(record: JobDetailsRecord, files: FileRecord) {
  const { job, jobType, revision } = record;
  const byId = new Map(files.rows.map((f) => [f.id, scaleFileV5(f, files)]));
  // A file removed from the catalogue still shows as the reference the job's data holds.
  const file: FileResolver = (id) => byId.get(id) ?? { id };
  const inputIds = new Set(fileIdsOf(job.input));
  const iface = legacyInterface(revision.manifest);
  const resources = jobResources(revision.manifest, Number(job.inputFileSize));
  const error = job.errorId == null ? null : (record.errors.get(job.errorId) ?? null);
  const context = executionContext(record);
  return {
    id: job.id,
    job_type: jobTypeV5(jobType),
    job_type_rev: {
      id: revision.id,
      job_type: { id: jobType.id },
      revision_num: revision.revisionNum,
      interface: iface,
      created: iso(revision.created),
    },
    event: null,
    error: error ? errorV5(error) : null,
    status: job.status,
    priority: job.priority,
    num_exes: job.numExes,
    timeout: revision.manifest.job.timeout,
    max_tries: job.maxTries,
    cpus_required: resources.cpus,
    mem_required: resources.mem,
    disk_in_required: Number(job.inputFileSize),
    disk_out_required: resources.disk,
    is_superseded: job.isSuperseded,
    root_superseded_job: record.links.rootSupersededJobId == null ? null : { id: record.links.rootSupersededJobId },
    superseded_job: record.links.supersededJob ? { id: record.links.supersededJob.id } : null,
    superseded_by_job: record.links.supersededByJob ? { id: record.links.supersededByJob.id } : null,
    created: iso(job.created),
    queued: iso(job.queued),
    started: iso(job.started),
    ended: iso(job.ended),
    last_status_change: iso(job.lastStatusChange),
    superseded: iso(record.links.superseded),
    last_modified: iso(job.lastModified),
    data: legacyData(job.input),
    results: legacyResults(job.output),
    input_files: files.rows.filter((f) => inputIds.has(f.id)).map((f) => byId.get(f.id)),
    recipes: recipesV5(record.links),
    job_exes: record.executions.map((exe) => jobExeV5(exe, context, iface.command_arguments)),
    inputs: inputValues(revision.manifest, job.input, file),
    outputs: outputValues(revision.manifest, job.output, file),
    products: files.rows.filter((f) => f.jobId === job.id && f.fileType === 'PRODUCT').map((f) => byId.get(f.id)),
  };
}
