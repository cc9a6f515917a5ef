/**
 * Queues one job (v6 POST /v6/jobs/ and v5 POST /queue/new-job/): checks the job type and the input here, asks the
 * scheduler (which owns jobs) to create it, then reads the committed job back from Postgres.
 */
import type { Data, FieldError, Subjects } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { AppError, type NatsConnection, ValidationError } from '@scale/runtime';
import { type InputIssue, validateJobInput } from '../domain/job-input.ts';
import { validationFailure } from '../http/validation.ts';
import { inputFileCatalogue } from '../queries/input-file-catalogue.ts';
import { type JobDetailsRecord, loadJobDetails } from '../queries/job-details.ts';
import { findJobTypeById } from '../queries/job-types.ts';
import { queueJobs } from './queue-jobs.ts';

export interface CreateJobDeps {
  em: EntityManager;
  nc: NatsConnection;
  subjects: Subjects;
  commandTimeoutMs: number;
}

export interface CreateJobRequest {
  jobTypeId: number;
  input: Data;
  priority?: number;
  idempotencyKey?: string;
  /** Where each input problem is reported in this API version's body ("input.json.x" or "job_data.input_data.x"). */
  inputField(issue: InputIssue): string;
}

export async function createJob(deps: CreateJobDeps, request: CreateJobRequest): Promise<JobDetailsRecord> {
  const jobType = await findJobTypeById(deps.em, request.jobTypeId);
  if (!jobType) throw ValidationError.field('job_type_id', `job type ${request.jobTypeId} does not exist`);
  if (!jobType.isActive) throw ValidationError.field('job_type_id', `job type ${request.jobTypeId} is not active`);
  const issues = validateJobInput(jobType.manifest, request.input, await inputFileCatalogue(deps.em, request.input));
  if (issues.length) {
    const details: FieldError[] = issues.map((issue) => ({ field: request.inputField(issue), message: issue.message }));
    throw validationFailure('job input', details);
  }
  const [jobId] = await queueJobs(
    deps.nc,
    deps.subjects,
    [
      {
        jobTypeId: request.jobTypeId,
        input: request.input,
        ...(request.priority === undefined ? {} : { priority: request.priority }),
      },
    ],
    {
      timeoutMs: deps.commandTimeoutMs,
      ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
    },
  );
  // The scheduler answers after commit, so the row is visible to a fresh read.
  const record = jobId === undefined ? null : await loadJobDetails(deps.em.fork(), jobId);
  if (!record) throw new AppError('INTERNAL', `scheduler reported job ${jobId} but it cannot be read back`);
  return record;
}

/** The Idempotency-Key header, checked against the command's limit. */
export function idempotencyKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers['idempotency-key'];
  const key = Array.isArray(value) ? value[0] : value;
  if (key === undefined || key === '') return undefined;
  if (key.length > 200) throw ValidationError.field('Idempotency-Key', 'must be at most 200 characters');
  return key;
}
