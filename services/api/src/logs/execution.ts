/** What the log follow needs to know about an execution (job_exe is the scheduler's; the API only reads it). */
import type { EntityManager } from '@scale/db';

/** Whether the execution has ended: the scheduler stamps `ended` once the agent reported the end. */
export async function isExecutionEnded(em: EntityManager, jobExeId: number): Promise<boolean> {
  const rows = await em.execute<{ ended: unknown }[]>('select ended from job_exe where id = ?', [jobExeId]);
  return rows[0] !== undefined && rows[0].ended !== null;
}
