/** /v6/nodes/: list, details, and PATCH (pause, resume, deactivate) through the scheduler, which owns nodes. */
import { NotFoundError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { updateNode } from '../commands/scheduler-commands.ts';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { findNode, listNodes, nodeExists } from '../queries/nodes.ts';
import { NodeListQuery, NodeParams, PatchNodeBody } from '../schemas/nodes.ts';
import { nodeV6 } from '../serializers/node.ts';
import type { RouteOptions } from './deps.ts';

export const nodeRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/nodes/', { schema: { querystring: NodeListQuery } }, async (request) => {
    const q = request.query;
    const { count, rows } = await listNodes(
      deps.orm.em.fork(),
      {
        ...(q.started ? { started: q.started } : {}),
        ...(q.ended ? { ended: q.ended } : {}),
        ...(q.is_active === undefined ? {} : { isActive: q.is_active }),
        ...(q.state ? { states: q.state } : {}),
        ...(q.order ? { order: q.order } : {}),
      },
      pageWindow(q),
    );
    return buildPage(request, q, count, rows.map(nodeV6));
  });

  app.get('/nodes/:id/', { schema: { params: NodeParams } }, async (request) => {
    const node = await findNode(deps.orm.em.fork(), request.params.id);
    if (!node) throw NotFoundError.of('node', request.params.id);
    return nodeV6(node);
  });

  // Answers 200 with the updated node, as Scale's v6 node document shows (its code later answered 204).
  app.patch('/nodes/:id/', { schema: { params: NodeParams, body: PatchNodeBody } }, async (request) => {
    const { id } = request.params;
    const body = request.body;
    // Checked here for a clean 404 without a NATS round trip; the scheduler checks again in its transaction.
    if (!(await nodeExists(deps.orm.em.fork(), id))) throw NotFoundError.of('node', id);
    await updateNode(
      { nc: deps.nc, subjects: deps.subjects, timeoutMs: deps.commandTimeoutMs },
      {
        nodeId: id,
        ...(body.is_paused === undefined ? {} : { isPaused: body.is_paused }),
        ...(body.pause_reason === undefined ? {} : { pauseReason: body.pause_reason }),
        ...(body.is_active === undefined ? {} : { isActive: body.is_active }),
      },
    );
    // The scheduler answers after commit, so a fresh read sees the change.
    const node = await findNode(deps.orm.em.fork(), id);
    if (!node) throw NotFoundError.of('node', id);
    return nodeV6(node);
  });
};
