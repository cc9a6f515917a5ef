export { BUILTIN_ERRORS, type BuiltinError, BuiltinErrorName } from './builtin-errors.ts';
export { Data, dataFromLegacy, LegacyJobData, legacyFromData } from './data.ts';
export { CommandReply, ErrorBody, ErrorCode, FieldError, fieldErrors } from './errors.ts';
export {
  ErrorCategory,
  ExecutionStatus,
  FINAL_JOB_STATUSES,
  JobStatus,
  NodeState,
  Resources,
} from './job.ts';
export {
  ExecutionFailure,
  ExecutionToken,
  Heartbeat,
  JobStatusEvent,
  KillExecution,
  LaunchExecution,
  QueueJobsRequest,
  QueueJobsResult,
  TaskResult,
  TaskUpdate,
} from './messages.ts';
export {
  JsonType,
  SeedError,
  SeedManifest,
  type SeedManifestInput,
  SeedScalarResource,
  seedScalar,
} from './seed.ts';
export {
  type CommandOwner,
  type LogStreamName,
  type NodeCommandVerb,
  type StreamSpec,
  type Subjects,
  subjectsFor,
} from './subjects.ts';
