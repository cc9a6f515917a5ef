/**
 * The leader's repairs, run at the start of every pass: executions whose node was lost, that never started, or
 * that outlived their timeout are ended (and retried where the error allows), and their agents are told to stop.
 */
import { BuiltinErrorName, type Subjects } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { endExecution, lockLiveExecutions } from './executions.ts';
import { type ExecutionRow, killMessage, toExecutionRef } from './kill.ts';
import { writeOutbox } from './outbox.ts';

export interface WatchdogSettings {
  /** A node whose last heartbeat is older than this is lost. */
  nodeLostMs: number;
  /** An execution not started this long after its launch fails with launch-timeout. */
  launchTimeoutMs: number;
  /** Extra time past the manifest timeout before the scheduler ends a run its agent did not end. */
  timeoutGraceMs: number;
}

/** Marks nodes with stale heartbeats OFFLINE and fails their live executions with node-lost (retried). */
export async function failLostNodes(
  em: EntityManager,
  subjects: Subjects,
  settings: WatchdogSettings,
): Promise<number> {
  const lost = await em.execute<{ id: number }[]>(
    `update node set state = 'OFFLINE', last_modified = now()
      where state <> 'OFFLINE' and last_heartbeat < now() - (? * interval '1 millisecond') returning id`,
    [settings.nodeLostMs],
  );
  const executions = await lockLiveExecutions(em, `e.node_id in (select id from node where state = 'OFFLINE')`, []);
  for (const exe of executions) {
    await endExecution(em, subjects, exe, {
      status: 'FAILED',
      error: { name: BuiltinErrorName.nodeLost, jobTypeName: null },
      taskResults: [],
    });
  }
  return lost.length;
}

/** Ends executions that never started (launch-timeout) or ran past their manifest timeout (timeout). */
export async function failStuckExecutions(
  em: EntityManager,
  subjects: Subjects,
  settings: WatchdogSettings,
): Promise<number> {
  const checks = [
    {
      error: BuiltinErrorName.launchTimeout,
      where: `e.started is null and e.created < now() - (? * interval '1 millisecond')`,
      params: [settings.launchTimeoutMs],
    },
    {
      error: BuiltinErrorName.timeout,
      where: `e.started is not null and not t.is_long_running
              and e.started < now() - (e.timeout * interval '1 second') - (? * interval '1 millisecond')`,
      params: [settings.timeoutGraceMs],
    },
  ];
  let ended = 0;
  for (const check of checks) {
    const executions = await lockLiveExecutions(em, check.where, check.params);
    if (executions.length === 0) continue;
    const refs = await em.execute<ExecutionRow[]>(
      `select e.id, e.job_id, e.exe_num, e.epoch, n.agent_id from job_exe e join node n on n.id = e.node_id where e.id in (?)`,
      [executions.map((e) => e.id)],
    );
    await writeOutbox(
      em,
      refs.map((row) => killMessage(subjects, toExecutionRef(row), check.error)),
    );
    for (const exe of executions) {
      await endExecution(em, subjects, exe, {
        status: 'FAILED',
        error: { name: check.error, jobTypeName: null },
        taskResults: [],
      });
    }
    ended += executions.length;
  }
  return ended;
}
