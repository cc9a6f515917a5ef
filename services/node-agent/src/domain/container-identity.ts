/**
 * Container names and labels derive from the execution only, so a redelivered launch finds its container and does
 * nothing, and a restarted agent finds its containers again (reconciliation).
 */
import type { ExecutionToken } from '@scale/contracts';

export const LABEL = {
  jobExeId: 'scale.job_exe_id',
  jobId: 'scale.job_id',
  exeNum: 'scale.exe_num',
  epoch: 'scale.epoch',
  agentId: 'scale.agent_id',
  /** The subject prefix: agents (and tests) on one Docker host with different prefixes never adopt each other's containers. */
  prefix: 'scale.prefix',
} as const;

/** The platform's default subject prefix: its containers keep the plain names. */
const DEFAULT_PREFIX = 'scale';

/**
 * `scale-exe-<jobExeId>`, with the subject prefix in front for any other prefix: job_exe ids are unique per
 * platform, not per Docker host, and platforms (or test runs) with different prefixes may share one host.
 */
export function containerName(jobExeId: number, prefix = DEFAULT_PREFIX): string {
  if (prefix === DEFAULT_PREFIX) return `scale-exe-${jobExeId}`;
  // Docker names start with a letter or digit and hold [a-zA-Z0-9_.-]; subject prefixes already stay inside that.
  const safe = /^[A-Za-z0-9]/.test(prefix) ? prefix : `p${prefix}`;
  return `${safe}-scale-exe-${jobExeId}`;
}

/** Scale's cluster id of an execution's tasks (task ids are `<cluster id>_<type>`), the same on every host. */
export function taskClusterId(jobExeId: number): string {
  return `scale-exe-${jobExeId}`;
}

export function containerLabels(token: ExecutionToken, agentId: string, prefix: string): Record<string, string> {
  return {
    [LABEL.jobExeId]: String(token.jobExeId),
    [LABEL.jobId]: String(token.jobId),
    [LABEL.exeNum]: String(token.exeNum),
    [LABEL.epoch]: String(token.epoch),
    ...ownerLabels(agentId, prefix),
  };
}

/** The labels that select every container of one agent. */
export function ownerLabels(agentId: string, prefix: string): Record<string, string> {
  return { [LABEL.agentId]: agentId, [LABEL.prefix]: prefix };
}

function labelInt(labels: Readonly<Record<string, string>>, key: string, min: number): number | undefined {
  const text = labels[key];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= min ? value : undefined;
}

/** The execution a container belongs to, or undefined when its labels are not ours or are damaged. */
export function tokenFromLabels(labels: Readonly<Record<string, string>>): ExecutionToken | undefined {
  const jobExeId = labelInt(labels, LABEL.jobExeId, 1);
  const jobId = labelInt(labels, LABEL.jobId, 1);
  const exeNum = labelInt(labels, LABEL.exeNum, 1);
  const epoch = labelInt(labels, LABEL.epoch, 0);
  if (jobExeId === undefined || jobId === undefined || exeNum === undefined || epoch === undefined) return undefined;
  return { jobExeId, jobId, exeNum, epoch };
}
