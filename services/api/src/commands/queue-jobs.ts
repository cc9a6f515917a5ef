/** Jobs are owned by the scheduler: the API asks it to create and queue them, and waits for its answer. */
import { type Data, QueueJobsRequest, QueueJobsResult, type Subjects } from '@scale/contracts';
import { AppError, type NatsConnection, requestCommand } from '@scale/runtime';

export interface QueueJobInput {
  jobTypeId: number;
  input: Data;
  priority?: number;
}

/** REST names for the fields of the scheduler's request, so its validation errors read like ours. */
const FIELD_NAMES: Record<string, string> = { jobTypeId: 'job_type_id', input: 'input', priority: 'priority' };

function restField(field: string): string {
  const match = /^jobs\.\d+\.([^.]+)(.*)$/.exec(field);
  if (!match) return field;
  return `${FIELD_NAMES[match[1] ?? ''] ?? match[1]}${match[2] ?? ''}`;
}

/** Sends queue-jobs and returns the new job ids (UNAVAILABLE when no scheduler answers in time). */
export async function queueJobs(
  nc: NatsConnection,
  subjects: Subjects,
  jobs: QueueJobInput[],
  options: { idempotencyKey?: string; timeoutMs: number },
): Promise<number[]> {
  const request = QueueJobsRequest.parse({
    jobs: jobs.map((j) => ({
      jobTypeId: j.jobTypeId,
      input: j.input,
      ...(j.priority === undefined ? {} : { priority: j.priority }),
    })),
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
  });
  try {
    const result = await requestCommand(nc, subjects.command('scheduler', 'queue-jobs'), request, QueueJobsResult, {
      timeoutMs: options.timeoutMs,
      idempotent: options.idempotencyKey !== undefined,
    });
    return result.jobIds;
  } catch (err) {
    if (err instanceof AppError && err.details?.length) {
      throw new AppError(err.code, err.message, {
        cause: err,
        details: err.details.map((d) => ({ field: restField(d.field), message: d.message })),
      });
    }
    throw err;
  }
}
