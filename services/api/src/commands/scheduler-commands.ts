/**
 * Commands the scheduler owns besides queue-jobs: cancel, requeue, node and scheduler settings. Each is answered
 * after the scheduler's transaction commits (or with its error), so the API can read the effect back at once.
 * No scheduler answering is UNAVAILABLE (503): at once when nobody subscribes, after the timeout when it is silent.
 * The v6 bulk cancel and requeue are durable instead (enqueue*): stored in JetStream, applied by the scheduler later.
 */

import { randomUUID } from 'node:crypto';
import {
  CancelJobsRequest,
  CancelJobsResult,
  type JobFilter,
  RequeueJobsRequest,
  RequeueJobsResult,
  type Subjects,
  UpdateNodeRequest,
  UpdateNodeResult,
  UpdateSchedulerRequest,
  UpdateSchedulerResult,
} from '@scale/contracts';
import {
  AppError,
  type JetStreamClient,
  jetstream,
  type NatsConnection,
  publishDurable,
  requestCommand,
  UnavailableError,
} from '@scale/runtime';
import type { z } from 'zod';
import { FILTER_FIELD_NAMES } from '../domain/job-filter-body.ts';

export interface CommandDeps {
  nc: NatsConnection;
  subjects: Subjects;
  timeoutMs: number;
}

/**
 * The scheduler reports field errors in its own (camelCase, nested) names; the client sent REST names. Rename the
 * first path segment(s) we know, keep the rest (`filter.jobIds.2` → `job_ids.2`).
 */
function renameFields(err: unknown, rename: (field: string) => string): never {
  if (err instanceof AppError && err.details?.length) {
    throw new AppError(err.code, err.message, {
      cause: err,
      details: err.details.map((d) => ({ field: rename(d.field), message: d.message })),
    });
  }
  throw err;
}

function renameWith(names: Readonly<Record<string, string>>, prefix = '') {
  return (field: string): string => {
    const path = prefix && field.startsWith(`${prefix}.`) ? field.slice(prefix.length + 1) : field;
    const [head = '', ...rest] = path.split('.');
    const name = names[head];
    return name === undefined ? field : [name, ...rest].join('.');
  };
}

const filterField = renameWith({ ...FILTER_FIELD_NAMES }, 'filter');

async function send<Req extends z.ZodType, Res extends z.ZodType>(
  deps: CommandDeps,
  verb: string,
  requestSchema: Req,
  payload: z.input<Req>,
  resultSchema: Res,
  rename: (field: string) => string,
): Promise<z.infer<Res>> {
  // Parsed here so a bug on our side fails as our 500, not as the scheduler's 400 on a field the client never sent.
  const request = requestSchema.parse(payload);
  try {
    return await requestCommand(
      deps.nc,
      deps.subjects.command('scheduler', verb),
      request,
      resultSchema,
      deps.timeoutMs,
    );
  } catch (err) {
    return renameFields(err, rename);
  }
}

export function cancelJobs(deps: CommandDeps, filter: JobFilter): Promise<CancelJobsResult> {
  return send(deps, 'cancel-jobs', CancelJobsRequest, { filter }, CancelJobsResult, filterField);
}

export function requeueJobs(deps: CommandDeps, filter: JobFilter, priority?: number): Promise<RequeueJobsResult> {
  const rename = (field: string) => (field === 'priority' ? 'priority' : filterField(field));
  const payload = { filter, ...(priority === undefined ? {} : { priority }) };
  return send(deps, 'requeue-jobs', RequeueJobsRequest, payload, RequeueJobsResult, rename);
}

const clients = new WeakMap<NatsConnection, JetStreamClient>();

/**
 * Stores a command in the scheduler's durable command stream and returns once JetStream acknowledged it; the
 * scheduler applies it later (idempotently). The message id is the client's Idempotency-Key (per verb) when given,
 * so a retried request within the stream's duplicate window is stored once; else a fresh one.
 */
async function enqueue<Req extends z.ZodType>(
  deps: CommandDeps,
  verb: string,
  requestSchema: Req,
  payload: z.input<Req>,
  idempotencyKey: string | undefined,
): Promise<void> {
  const request = requestSchema.parse(payload);
  let js = clients.get(deps.nc);
  if (!js) {
    js = jetstream(deps.nc, { timeout: deps.timeoutMs });
    clients.set(deps.nc, js);
  }
  const subject = deps.subjects.queuedCommand('scheduler', verb);
  try {
    await publishDurable(js, subject, request, `${verb}:${idempotencyKey ?? randomUUID()}`);
  } catch (err) {
    throw new UnavailableError(`JetStream did not store the command on ${subject}`, { cause: err });
  }
}

/** v6 bulk cancel: accepted once stored (P10), applied by the scheduler afterwards. */
export function enqueueCancelJobs(deps: CommandDeps, filter: JobFilter, idempotencyKey?: string): Promise<void> {
  return enqueue(deps, 'cancel-jobs', CancelJobsRequest, { filter }, idempotencyKey);
}

/** v6 bulk requeue: accepted once stored, applied by the scheduler afterwards. */
export function enqueueRequeueJobs(
  deps: CommandDeps,
  filter: JobFilter,
  priority?: number,
  idempotencyKey?: string,
): Promise<void> {
  const payload = { filter, ...(priority === undefined ? {} : { priority }) };
  return enqueue(deps, 'requeue-jobs', RequeueJobsRequest, payload, idempotencyKey);
}

export function updateNode(deps: CommandDeps, request: UpdateNodeRequest): Promise<UpdateNodeResult> {
  const rename = renameWith({
    nodeId: 'id',
    isPaused: 'is_paused',
    pauseReason: 'pause_reason',
    isActive: 'is_active',
  });
  return send(deps, 'update-node', UpdateNodeRequest, request, UpdateNodeResult, rename);
}

export function updateScheduler(deps: CommandDeps, request: UpdateSchedulerRequest): Promise<UpdateSchedulerResult> {
  const rename = renameWith({ isPaused: 'is_paused', queueMode: 'queue_mode' });
  return send(deps, 'update-scheduler', UpdateSchedulerRequest, request, UpdateSchedulerResult, rename);
}
