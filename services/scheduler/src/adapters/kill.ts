import type { KillExecution, Subjects } from '@scale/contracts';
import type { OutboxMessage } from './outbox.ts';

export interface ExecutionRef {
  jobExeId: number;
  jobId: number;
  exeNum: number;
  epoch: number;
  agentId: string;
}

/** A kill command for the agent running an execution; its msgId makes repeats within the window free. */
export function killMessage(subjects: Subjects, exe: ExecutionRef, reason: string): OutboxMessage {
  const payload: KillExecution = {
    token: { jobExeId: exe.jobExeId, jobId: exe.jobId, exeNum: exe.exeNum, epoch: exe.epoch },
    reason,
  };
  return { subject: subjects.nodeCommand(exe.agentId, 'kill'), msgId: `kill:${exe.jobExeId}`, payload };
}

export interface ExecutionRow {
  id: string;
  job_id: string;
  exe_num: number;
  epoch: string;
  agent_id: string;
}

export function toExecutionRef(row: ExecutionRow): ExecutionRef {
  return {
    jobExeId: Number(row.id),
    jobId: Number(row.job_id),
    exeNum: row.exe_num,
    epoch: Number(row.epoch),
    agentId: row.agent_id,
  };
}
