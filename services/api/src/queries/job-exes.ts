/** Reads of job executions (owned by the scheduler; the API only reads). */
import { type EntityManager, JobExe, NodeRow } from '@scale/db';

export interface JobExeLogContext {
  id: number;
  clusterId: string;
  hostname: string | null;
}

/** What the log endpoint needs about an execution, or null when it does not exist. */
export async function findJobExeForLogs(em: EntityManager, id: number): Promise<JobExeLogContext | null> {
  const exe = await em.findOne(JobExe, { id }, { fields: ['id', 'clusterId', 'nodeId'] });
  if (!exe) return null;
  const node = await em.findOne(NodeRow, { id: exe.nodeId }, { fields: ['hostname'] });
  return { id: exe.id, clusterId: exe.clusterId, hostname: node?.hostname ?? null };
}
