/**
 * How a node is presented (Scale's node status shape): its state with a title and description, the problems its
 * state implies, and each resource broken into total / running / free.
 */
import type { NodeState, Resources } from '@scale/contracts';

export interface StateView {
  name: NodeState;
  title: string;
  description: string;
}

const STATES: Record<NodeState, Omit<StateView, 'name'>> = {
  READY: { title: 'Ready', description: 'Node is ready to run new jobs.' },
  PAUSED: {
    title: 'Paused',
    description: 'Node is paused: no new jobs are placed on it; jobs already running on it finish.',
  },
  DEGRADED: {
    title: 'Degraded',
    description: 'Node reported a problem: no new jobs are placed on it; jobs already running on it continue.',
  },
  OFFLINE: {
    title: 'Offline',
    description: 'Node stopped sending heartbeats: no jobs run on it and its executions were failed as node-lost.',
  },
};

export function stateView(state: NodeState): StateView {
  return { name: state, ...STATES[state] };
}

export interface NodeProblem {
  name: string;
  title: string;
  description: string;
  started: string | null;
  last_updated: string | null;
}

/** The errors a node's state implies (we keep no error history per node; the state is the error). */
export function nodeErrors(state: NodeState, lastHeartbeat: Date | null): NodeProblem[] {
  const at = lastHeartbeat ? lastHeartbeat.toISOString() : null;
  if (state === 'OFFLINE') {
    const since = at ? `no heartbeat since ${at}` : 'no heartbeat received';
    return [{ name: 'node-offline', title: 'Node offline', description: since, started: at, last_updated: at }];
  }
  if (state === 'DEGRADED') {
    return [
      {
        name: 'node-degraded',
        title: 'Node degraded',
        description: 'The node agent reported that it cannot run new jobs.',
        started: null,
        last_updated: at,
      },
    ];
  }
  return [];
}

export interface ResourceBreakdown {
  total: number;
  running: number;
  free: number;
}

export const RESOURCE_NAMES = ['cpus', 'mem', 'disk', 'gpus'] as const;
export type ResourceName = (typeof RESOURCE_NAMES)[number];
export type ResourceAmounts = Record<ResourceName, number>;

/** Sums of floats (0.1 + 0.2) print badly; resources are never finer than a thousandth. */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export function amounts(resources: Partial<Resources> | null | undefined): ResourceAmounts {
  return {
    cpus: resources?.cpus ?? 0,
    mem: resources?.mem ?? 0,
    disk: resources?.disk ?? 0,
    gpus: resources?.gpus ?? 0,
  };
}

/** Per resource: what the node offers in all, what its live executions hold, and what is left (never negative). */
export function resourceBreakdown(
  total: ResourceAmounts,
  running: ResourceAmounts,
): Record<ResourceName, ResourceBreakdown> {
  const out = {} as Record<ResourceName, ResourceBreakdown>;
  for (const name of RESOURCE_NAMES) {
    out[name] = {
      total: round(total[name]),
      running: round(running[name]),
      free: round(Math.max(0, total[name] - running[name])),
    };
  }
  return out;
}

/** Element-wise sum, for cluster totals. */
export function sumAmounts(list: readonly ResourceAmounts[]): ResourceAmounts {
  const total = amounts(null);
  for (const item of list) for (const name of RESOURCE_NAMES) total[name] += item[name];
  return total;
}
