import type { Heartbeat, Subjects } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { type ExecutionRow, killMessage, toExecutionRef } from './kill.ts';
import { writeOutbox } from './outbox.ts';

/**
 * Registers the agent's node on its first beat and refreshes resources and liveness on every one. Executions the
 * agent still runs but the scheduler has ended (canceled, timed out, lost with its node) are told to stop, so no job
 * ever runs twice at once for long. `changed` says whether the node is new, came back, or changed its resources:
 * only then can a pass place something new, so only then is the scheduling loop woken.
 */
export async function recordHeartbeat(
  em: EntityManager,
  subjects: Subjects,
  beat: Heartbeat,
): Promise<{ changed: boolean; kills: number }> {
  const [before] = await em.execute<{ state: string; resources: unknown }[]>(
    'select state, resources from node where agent_id = ?',
    [beat.agentId],
  );
  const [after] = await em.execute<{ state: string; resources: unknown }[]>(
    `insert into node (agent_id, hostname, resources, agent_version, last_heartbeat, state)
     values (?, ?, ?, ?, now(), 'READY')
     on conflict (agent_id) do update
        set hostname = excluded.hostname, resources = excluded.resources, agent_version = excluded.agent_version,
            last_heartbeat = now(),
            state = case when node.is_paused then 'PAUSED' else 'READY' end,
            last_modified = now()
     returning state, resources`,
    [beat.agentId, beat.hostname, JSON.stringify(beat.resources), beat.agentVersion],
  );
  const changed =
    !before || before.state !== after!.state || JSON.stringify(before.resources) !== JSON.stringify(after!.resources);
  if (beat.running.length === 0) return { changed, kills: 0 };
  const stale = await em.execute<ExecutionRow[]>(
    `select e.id, e.job_id, e.exe_num, e.epoch, ? as agent_id
       from job_exe e join node n on n.id = e.node_id
      where e.id in (?) and (e.ended is not null or n.agent_id <> ?)`,
    [beat.agentId, beat.running, beat.agentId],
  );
  await writeOutbox(
    em,
    stale.map((row) => killMessage(subjects, toExecutionRef(row), 'execution is no longer live on this node')),
  );
  return { changed, kills: stale.length };
}
