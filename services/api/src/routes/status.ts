/**
 * GET /v6/status/: is the platform able to make progress? Probes the database (scheduler lease and settings,
 * nodes) and NATS, each with a deadline, and answers 503 with the same body when no scheduler holds a live lease
 * or a dependency is unreachable (Scale: "503 if it is stale").
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { amounts, resourceBreakdown, sumAmounts } from '../domain/node-view.ts';
import { type StatusProbes, systemStatus } from '../domain/system-status.ts';
import { allNodes, type NodeRecord } from '../queries/nodes.ts';
import { nodeStateCounts, readLease, readSchedulerSettings } from '../queries/scheduler-state.ts';
import { nodeV6 } from '../serializers/node.ts';
import type { RouteOptions } from './deps.ts';

/** A status probe must answer while its dependency hangs: a pool waiting for a dead database never returns. */
const PROBE_TIMEOUT_MS = 3000;

function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${PROBE_TIMEOUT_MS} ms`)),
      PROBE_TIMEOUT_MS,
    );
  });
  // The loser of the race may still reject later; that must not become an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const statusRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/status/', async (request, reply) => {
    const timestamp = new Date();
    const em = deps.orm.em.fork();
    const [database, nats] = await Promise.allSettled([
      withDeadline(
        Promise.all([readLease(em), readSchedulerSettings(em), nodeStateCounts(em), allNodes(em)]),
        'the database',
      ),
      withDeadline(deps.nc.rtt(), 'NATS'),
    ]);
    let nodes: NodeRecord[] = [];
    const probes: StatusProbes = {
      database: null,
      nats: nats.status === 'fulfilled' ? { ok: true, rttMs: nats.value } : { ok: false, error: message(nats.reason) },
    };
    if (database.status === 'fulfilled') {
      const [lease, settings, counts, rows] = database.value;
      probes.database = { lease, settings, nodes: counts };
      nodes = rows;
    } else {
      probes.databaseError = message(database.reason);
      request.log.warn({ err: database.reason }, 'status: database probe failed');
    }
    const status = systemStatus(probes);
    // Capacity counts nodes that can run jobs now or soon: not offline, not deactivated.
    const usable = nodes.filter((n) => n.isActive && n.state !== 'OFFLINE');
    const body = {
      timestamp: timestamp.toISOString(),
      ...(status.healthy ? {} : { detail: `Scheduler status is stale: ${status.problems.join('; ')}` }),
      scheduler: status.scheduler,
      dependencies: status.dependencies,
      node_counts: status.node_counts,
      resources: resourceBreakdown(
        sumAmounts(usable.map((n) => amounts(n.resources))),
        sumAmounts(usable.map((n) => n.running)),
      ),
      nodes: nodes.map(nodeV6),
    };
    return reply.code(status.healthy ? 200 : 503).send(body);
  });
};
