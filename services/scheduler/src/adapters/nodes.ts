import type { Heartbeat } from '@scale/contracts';
import type { EntityManager } from '@scale/db';

/** Registers the agent's node on its first beat and refreshes resources and liveness on every one. */
export async function recordHeartbeat(em: EntityManager, beat: Heartbeat): Promise<void> {
  await em.execute(
    `insert into node (agent_id, hostname, resources, agent_version, last_heartbeat, state)
     values (?, ?, ?, ?, now(), 'READY')
     on conflict (agent_id) do update
        set hostname = excluded.hostname, resources = excluded.resources, agent_version = excluded.agent_version,
            last_heartbeat = now(),
            state = case when node.is_paused then 'PAUSED' else 'READY' end,
            last_modified = now()`,
    [beat.agentId, beat.hostname, JSON.stringify(beat.resources), beat.agentVersion],
  );
}
