/**
 * Reads of nodes (owned by the scheduler): each node with what its live executions hold, in one SQL statement per
 * page. Live executions are `ended is null` (partial index job_exe_live_by_node).
 */
import type { NodeState, Resources } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { amounts, type ResourceAmounts } from '../domain/node-view.ts';

export interface NodeRecord {
  id: number;
  agentId: string;
  hostname: string;
  resources: Partial<Resources>;
  isPaused: boolean;
  pauseReason: string | null;
  isActive: boolean;
  state: NodeState;
  agentVersion: string | null;
  lastHeartbeat: Date | null;
  created: Date;
  deprecated: Date | null;
  lastModified: Date;
  /** Sums of the resources held by the node's live executions. */
  running: ResourceAmounts;
  runningCount: number;
}

export const NODE_ORDER_FIELDS = ['id', 'hostname', 'state', 'created', 'last_modified'] as const;
export type NodeOrderField = (typeof NODE_ORDER_FIELDS)[number];

export interface NodeFilters {
  /** last_modified range, both ends inclusive (Scale's node list semantics). */
  started?: Date;
  ended?: Date;
  isActive?: boolean;
  states?: NodeState[];
  order?: { field: NodeOrderField; descending: boolean }[];
}

const SELECT = `
select n.id, n.agent_id, n.hostname, n.resources, n.is_paused, n.pause_reason, n.is_active, n.state,
       n.agent_version, n.last_heartbeat, n.created, n.deprecated, n.last_modified,
       coalesce(x.running_count, 0) as running_count, x.cpus, x.mem, x.disk, x.gpus
  from node n
  left join (
    select node_id, count(*) as running_count,
           sum((resources->>'cpus')::float8) as cpus, sum((resources->>'mem')::float8) as mem,
           sum((resources->>'disk')::float8) as disk, sum(coalesce((resources->>'gpus')::float8, 0)) as gpus
      from job_exe where ended is null group by node_id
  ) x on x.node_id = n.id`;

type Raw = Record<string, unknown>;
const dateOrNull = (v: unknown): Date | null => (v == null ? null : new Date(v as string | Date));

function toRecord(r: Raw): NodeRecord {
  return {
    id: Number(r.id),
    agentId: String(r.agent_id),
    hostname: String(r.hostname),
    resources: (typeof r.resources === 'string' ? JSON.parse(r.resources) : r.resources) as Partial<Resources>,
    isPaused: Boolean(r.is_paused),
    pauseReason: (r.pause_reason as string | null) ?? null,
    isActive: Boolean(r.is_active),
    state: r.state as NodeState,
    agentVersion: (r.agent_version as string | null) ?? null,
    lastHeartbeat: dateOrNull(r.last_heartbeat),
    created: new Date(r.created as string | Date),
    deprecated: dateOrNull(r.deprecated),
    lastModified: new Date(r.last_modified as string | Date),
    running: amounts({
      cpus: Number(r.cpus ?? 0),
      mem: Number(r.mem ?? 0),
      disk: Number(r.disk ?? 0),
      gpus: Number(r.gpus ?? 0),
    }),
    runningCount: Number(r.running_count),
  };
}

function where(filters: NodeFilters): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filters.started) {
    parts.push('n.last_modified >= ?');
    params.push(filters.started);
  }
  if (filters.ended) {
    parts.push('n.last_modified <= ?');
    params.push(filters.ended);
  }
  if (filters.isActive !== undefined) {
    parts.push('n.is_active = ?');
    params.push(filters.isActive);
  }
  if (filters.states) {
    parts.push('n.state in (?)');
    params.push(filters.states);
  }
  return { sql: parts.length ? `where ${parts.join(' and ')}` : '', params };
}

const ORDER_COLUMNS: Record<NodeOrderField, string> = {
  id: 'n.id',
  hostname: 'n.hostname',
  state: 'n.state',
  created: 'n.created',
  last_modified: 'n.last_modified',
};

export async function listNodes(
  em: EntityManager,
  filters: NodeFilters,
  window: { limit: number; offset: number },
): Promise<{ count: number; rows: NodeRecord[] }> {
  const w = where(filters);
  // Default by id, not Scale's last_modified: every heartbeat bumps last_modified, so pages would reshuffle.
  const order = [
    ...(filters.order ?? []).map((o) => `${ORDER_COLUMNS[o.field]} ${o.descending ? 'desc' : 'asc'}`),
    'n.id asc',
  ];
  const [rows, counted] = await Promise.all([
    em.execute<Raw[]>(`${SELECT} ${w.sql} order by ${order.join(', ')} limit ? offset ?`, [
      ...w.params,
      window.limit,
      window.offset,
    ]),
    em.execute<{ count: unknown }[]>(`select count(*) as count from node n ${w.sql}`, w.params),
  ]);
  return { count: Number(counted[0]?.count ?? 0), rows: rows.map(toRecord) };
}

export async function findNode(em: EntityManager, id: number): Promise<NodeRecord | null> {
  const rows = await em.execute<Raw[]>(`${SELECT} where n.id = ?`, [id]);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Every node, for the status document (a cluster has tens to hundreds of nodes, not millions). */
export async function allNodes(em: EntityManager): Promise<NodeRecord[]> {
  const rows = await em.execute<Raw[]>(`${SELECT} order by n.id`);
  return rows.map(toRecord);
}

export async function nodeExists(em: EntityManager, id: number): Promise<boolean> {
  const rows = await em.execute('select 1 from node where id = ?', [id]);
  return rows.length > 0;
}
