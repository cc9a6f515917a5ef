/** The payloads this agent publishes and their deterministic JetStream message ids. Pure. */
import type {
  Data,
  ExecutionFailure,
  ExecutionToken,
  LogStreamName,
  OutputFile,
  TaskResult,
  TaskUpdate,
} from '@scale/contracts';

/**
 * One container output line on `<prefix>.v1.logs.<jobExeId>.<stdout|stderr>`. This is the contract the API reads;
 * keep it in step with the README.
 */
export interface LogRecord {
  line: string;
  stream: LogStreamName;
  /** When the agent read the line, ISO 8601 with milliseconds (UTC). */
  ts: string;
  /** Per-execution line number, from 1, shared by stdout and stderr: the order the lines were read. */
  n: number;
}

export function logRecord(line: string, stream: LogStreamName, n: number, at: Date): LogRecord {
  return { line, stream, ts: at.toISOString(), n };
}

export const logMsgId = (jobExeId: number, n: number): string => `${jobExeId}:${n}`;
export const runningMsgId = (jobExeId: number): string => `${jobExeId}:RUNNING`;
/** COMPLETED and FAILED share one id, so whichever report of the end arrives first is the only one kept. */
export const endMsgId = (jobExeId: number): string => `${jobExeId}:END`;

export function runningUpdate(token: ExecutionToken, agentId: string, at: Date): TaskUpdate {
  return { status: 'RUNNING', token, agentId, at: at.toISOString() };
}

export type End =
  | { status: 'COMPLETED'; output: Data; outputFiles: OutputFile[] }
  | { status: 'FAILED'; failure: ExecutionFailure };

export function endUpdate(
  token: ExecutionToken,
  agentId: string,
  at: Date,
  end: End,
  taskResults: TaskResult[],
): TaskUpdate {
  const common = { token, agentId, at: at.toISOString(), taskResults };
  return end.status === 'COMPLETED'
    ? { status: 'COMPLETED', ...common, output: end.output, outputFiles: end.outputFiles }
    : { status: 'FAILED', ...common, failure: end.failure };
}
