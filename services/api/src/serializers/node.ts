/**
 * The v6 node body: Scale's node fields (id, hostname, pause_reason, is_paused, is_active, deprecated, created,
 * last_modified) plus, from Scale's status document, what an operator needs to read a node at a glance: agent_id,
 * state {name, title, description}, errors, warnings, resources {name: {total, running, free}}, job_exes_running.
 */
import { amounts, nodeErrors, resourceBreakdown, stateView } from '../domain/node-view.ts';
import type { NodeRecord } from '../queries/nodes.ts';
import { iso } from './common.ts';

export function nodeV6(node: NodeRecord) {
  return {
    id: node.id,
    hostname: node.hostname,
    agent_id: node.agentId,
    pause_reason: node.pauseReason,
    is_paused: node.isPaused,
    is_active: node.isActive,
    state: stateView(node.state),
    errors: nodeErrors(node.state, node.lastHeartbeat),
    warnings: [],
    resources: resourceBreakdown(amounts(node.resources), node.running),
    job_exes_running: node.runningCount,
    agent_version: node.agentVersion,
    last_heartbeat: iso(node.lastHeartbeat),
    deprecated: iso(node.deprecated),
    created: iso(node.created),
    last_modified: iso(node.lastModified),
  };
}
