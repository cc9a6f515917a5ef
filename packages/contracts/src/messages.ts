/** Messages between services. Every payload is parsed with these schemas at the edge. */
import { z } from 'zod';
import { Data } from './data.ts';
import { ContainerOptions, MountSource, OutputFile, OutputWorkspace, StagedFile } from './files.ts';
import { ErrorCategory, JobStatus, Resources } from './job.ts';
import { JobConfigurationOverride, RecipeJobLink } from './recipe.ts';
import { SeedManifest } from './seed.ts';

const Id = z.number().int().positive();
const Timestamp = z.iso.datetime({ offset: true });

/** Identifies one execution and fences it: a result whose token is not current is rejected. */
export const ExecutionToken = z.strictObject({
  jobExeId: Id,
  jobId: Id,
  exeNum: Id,
  /** Epoch of the scheduler lease under which the execution was launched. */
  epoch: z.number().int().nonnegative(),
});
export type ExecutionToken = z.infer<typeof ExecutionToken>;

/** scheduler → agent: run this execution. Redelivery is a no-op on the agent (container name = execution). */
export const LaunchExecution = z.strictObject({
  token: ExecutionToken,
  jobTypeName: z.string(),
  jobTypeVersion: z.string(),
  dockerImage: z.string().min(1),
  manifest: SeedManifest,
  input: Data,
  /** Allocated resources (cpus cores, mem/disk MiB). */
  resources: Resources,
  /** Setting values by name (from the job type configuration). */
  settings: z.record(z.string(), z.string()).default({}),
  /** Hard limit for the main task, seconds. */
  timeoutSeconds: z.number().int().positive(),
  /**
   * The files of `input.files`, resolved from the catalogue by input name. A file id without an entry here fails
   * the execution with missing-file.
   */
  inputFiles: z.record(z.string(), z.array(StagedFile)).optional(),
  /** Where each file output (by output name) is stored; outputs without one are checked but not stored. */
  outputWorkspaces: z.record(z.string(), OutputWorkspace).optional(),
  /** Sources of the manifest's mounts by mount name; a mount without one fails the execution with missing-mount. */
  mounts: z.record(z.string(), MountSource).optional(),
  /** Relaxations of the hardened container defaults, from the job type. */
  container: ContainerOptions.optional(),
});
export type LaunchExecution = z.infer<typeof LaunchExecution>;

/** scheduler → agent: stop this execution (cancel, timeout enforced by the scheduler). */
export const KillExecution = z.strictObject({ token: ExecutionToken, reason: z.string() });
export type KillExecution = z.infer<typeof KillExecution>;

/** Why an execution failed, as the agent saw it. The scheduler maps it to an error row. */
export const ExecutionFailure = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('EXIT_CODE'), exitCode: z.number().int() }),
  z.strictObject({ type: z.literal('TIMEOUT') }),
  z.strictObject({ type: z.literal('LAUNCH'), message: z.string() }),
  z.strictObject({ type: z.literal('IMAGE_MISSING'), message: z.string() }),
  z.strictObject({
    type: z.literal('OUTPUT'),
    error: z.enum([
      'invalid-results-manifest',
      'missing-required-output',
      'unexpected-multiple-outputs',
      'output-capture-error',
      'output-too-large',
    ]),
    message: z.string(),
  }),
  z.strictObject({ type: z.literal('KILLED'), reason: z.string() }),
  /** The pre task (staging inputs, mounts, settings) failed; `error` is the builtin error's name. */
  z.strictObject({
    type: z.literal('PRE'),
    error: z.enum(['missing-file', 'deleted-file', 'missing-mount', 'missing-setting', 'filesystem-io']),
    message: z.string(),
  }),
]);
export type ExecutionFailure = z.infer<typeof ExecutionFailure>;

export const TaskResult = z.strictObject({
  task_id: z.string(),
  type: z.enum(['pull', 'pre', 'main', 'post']),
  was_launched: z.boolean(),
  launched: Timestamp.optional(),
  was_started: z.boolean(),
  started: Timestamp.optional(),
  was_timed_out: z.boolean(),
  ended: Timestamp.optional(),
  status: z.enum(['COMPLETED', 'FAILED', 'CANCELED', 'RUNNING']),
  exit_code: z.number().int().optional(),
});
export type TaskResult = z.infer<typeof TaskResult>;

/** agent → scheduler (JetStream): the execution started or ended. Idempotent on (token, status). */
export const TaskUpdate = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('RUNNING'), token: ExecutionToken, agentId: z.string(), at: Timestamp }),
  z.strictObject({
    status: z.literal('COMPLETED'),
    token: ExecutionToken,
    agentId: z.string(),
    at: Timestamp,
    output: Data,
    taskResults: z.array(TaskResult).default([]),
    /** Files stored in output workspaces; the scheduler registers them and lists their ids in the output. */
    outputFiles: z.array(OutputFile).optional(),
  }),
  z.strictObject({
    status: z.literal('FAILED'),
    token: ExecutionToken,
    agentId: z.string(),
    at: Timestamp,
    failure: ExecutionFailure,
    taskResults: z.array(TaskResult).default([]),
  }),
]);
export type TaskUpdate = z.infer<typeof TaskUpdate>;

/** agent → scheduler (core NATS, every few seconds): registration and liveness in one message. */
export const Heartbeat = z.strictObject({
  agentId: z.string().regex(/^[A-Za-z0-9_-]+$/),
  hostname: z.string(),
  /** Resources this host offers to jobs in total. */
  resources: Resources,
  /** Executions the agent is running now (job_exe ids). */
  running: z.array(Id),
  at: Timestamp,
  agentVersion: z.string(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

/** Published by the scheduler after a job's status changed. */
export const JobStatusEvent = z.strictObject({
  jobId: Id,
  status: JobStatus,
  exeNum: z.number().int().nonnegative(),
  errorCategory: ErrorCategory.nullable(),
  at: Timestamp,
});
export type JobStatusEvent = z.infer<typeof JobStatusEvent>;

/** api → scheduler: create jobs of these types with this input and queue them. */
export const QueueJobsRequest = z.strictObject({
  jobs: z
    .array(
      z.strictObject({
        jobTypeId: Id,
        input: Data,
        /** Overrides the job type's configured priority; lower runs first. */
        priority: z.number().int().optional(),
        /** Recipe jobs: the job type revision to run (recipes pin one); the current revision when unset. */
        jobTypeRevisionNum: Id.optional(),
        /** The recipe node this job is for: one job per node, a repeated request returns the existing job. */
        recipe: RecipeJobLink.optional(),
        /** Create the job PENDING (its inputs are not ready) or BLOCKED (upstream failed) instead of QUEUED. */
        status: z.enum(['PENDING', 'BLOCKED']).optional(),
        /** The job of a reprocessed recipe that this one replaces. */
        supersededJobId: Id.optional(),
        /** Recipe jobs: the recipe's output workspaces, mounts and settings, merged over the job type's. */
        configuration: JobConfigurationOverride.optional(),
      }),
    )
    .min(1),
  idempotencyKey: z.string().max(200).optional(),
});
export type QueueJobsRequest = z.infer<typeof QueueJobsRequest>;
export const QueueJobsResult = z.strictObject({ jobIds: z.array(Id) });
export type QueueJobsResult = z.infer<typeof QueueJobsResult>;
