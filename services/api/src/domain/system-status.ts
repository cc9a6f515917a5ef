/**
 * GET /v6/status/ as a pure function of what was probed: the scheduler (its lease and settings), the nodes, and the
 * dependencies. The answer is unhealthy (503) when nothing can make progress: no scheduler holds a live lease, or the
 * database or NATS cannot be reached. Nodes being down is reported but is not a 503: the control plane still works.
 */
import type { NodeState, QueueMode } from '@scale/contracts';

export interface LeaseProbe {
  holder: string | null;
  epoch: number;
  expires: Date;
  /** The database's clock when the lease was read: compared with `expires` so API/DB clock skew cannot matter. */
  dbNow: Date;
}

export interface StatusProbes {
  /** Null when the database could not be read. */
  database: {
    lease: LeaseProbe;
    settings: { isPaused: boolean; queueMode: QueueMode };
    nodes: Record<NodeState, number>;
  } | null;
  databaseError?: string;
  nats: { ok: true; rttMs: number } | { ok: false; error: string };
}

interface Dependency {
  OK: boolean;
  detail: Record<string, unknown> & { msg: string };
  errors: Record<string, string>[];
  warnings: Record<string, string>[];
}

export interface SystemStatus {
  healthy: boolean;
  /** Why it is unhealthy, for the 503's detail. */
  problems: string[];
  scheduler: {
    state: { name: 'READY' | 'PAUSED' | 'OFFLINE' | 'UNKNOWN'; title: string; description: string };
    is_paused: boolean | null;
    queue_mode: QueueMode | null;
    leader: { holder: string | null; epoch: number; lease_expires: string; lease_expires_in_seconds: number } | null;
  };
  dependencies: { database: Dependency; msg_queue: Dependency; nodes: Dependency };
  node_counts: Record<NodeState, number> | null;
}

const SCHEDULER_STATES = {
  READY: { title: 'Ready', description: 'Scheduler is ready to run new jobs.' },
  PAUSED: { title: 'Paused', description: 'Scheduler is paused: no new jobs are placed; running jobs continue.' },
  OFFLINE: { title: 'Offline', description: 'No scheduler holds a live lease: nothing is being scheduled.' },
  UNKNOWN: { title: 'Unknown', description: 'The database cannot be read, so the scheduler state is unknown.' },
} as const;

function databaseDependency(probes: StatusProbes): Dependency {
  if (probes.database) return { OK: true, detail: { msg: 'Database alive and well' }, errors: [], warnings: [] };
  const error = probes.databaseError ?? 'unreachable';
  return {
    OK: false,
    detail: { msg: 'Database is unreachable' },
    errors: [{ DATABASE_UNREACHABLE: error }],
    warnings: [],
  };
}

function natsDependency(nats: StatusProbes['nats']): Dependency {
  if (nats.ok) {
    return { OK: true, detail: { msg: 'NATS is healthy', type: 'nats', rtt_ms: nats.rttMs }, errors: [], warnings: [] };
  }
  return {
    OK: false,
    detail: { msg: 'NATS is unreachable', type: 'nats' },
    errors: [{ NATS_UNREACHABLE: nats.error }],
    warnings: [],
  };
}

function nodesDependency(counts: Record<NodeState, number> | null): Dependency {
  if (!counts) return { OK: false, detail: { msg: 'Node states are unknown' }, errors: [], warnings: [] };
  const total = counts.READY + counts.PAUSED + counts.DEGRADED + counts.OFFLINE;
  const warnings: Record<string, string>[] = [];
  if (counts.OFFLINE > 0) warnings.push({ NODES_OFFLINE: `${counts.OFFLINE} of ${total} nodes are offline.` });
  if (counts.DEGRADED > 0) warnings.push({ NODES_DEGRADED: `${counts.DEGRADED} of ${total} nodes are degraded.` });
  if (counts.READY === 0) {
    const error = total === 0 ? 'No nodes reported.' : 'No node is ready to run jobs.';
    return { OK: false, detail: { msg: 'No node can run new jobs.' }, errors: [{ NODES_OFFLINE: error }], warnings };
  }
  return { OK: true, detail: { msg: `${counts.READY} of ${total} nodes are ready.` }, errors: [], warnings };
}

export function systemStatus(probes: StatusProbes): SystemStatus {
  const problems: string[] = [];
  const db = probes.database;
  let scheduler: SystemStatus['scheduler'];
  if (!db) {
    problems.push('the database is unreachable');
    scheduler = {
      state: { name: 'UNKNOWN', ...SCHEDULER_STATES.UNKNOWN },
      is_paused: null,
      queue_mode: null,
      leader: null,
    };
  } else {
    const { lease, settings } = db;
    const remainingMs = lease.expires.getTime() - lease.dbNow.getTime();
    const live = lease.holder !== null && remainingMs > 0;
    if (!live) problems.push('no scheduler holds a live lease');
    const name = !live ? 'OFFLINE' : settings.isPaused ? 'PAUSED' : 'READY';
    scheduler = {
      state: { name, ...SCHEDULER_STATES[name] },
      is_paused: settings.isPaused,
      queue_mode: settings.queueMode,
      leader: live
        ? {
            holder: lease.holder,
            epoch: lease.epoch,
            lease_expires: lease.expires.toISOString(),
            lease_expires_in_seconds: Math.round(remainingMs) / 1000,
          }
        : null,
    };
  }
  if (!probes.nats.ok) problems.push('NATS is unreachable');
  return {
    healthy: problems.length === 0,
    problems,
    scheduler,
    dependencies: {
      database: databaseDependency(probes),
      msg_queue: natsDependency(probes.nats),
      nodes: nodesDependency(db?.nodes ?? null),
    },
    node_counts: db?.nodes ?? null,
  };
}
