/** /v6/scheduler/: the scheduler's settings (read here, changed through the scheduler) and queued resources. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { updateScheduler } from '../commands/scheduler-commands.ts';
import { readQueuedResources } from '../queries/queued-resources.ts';
import { readSchedulerSettings } from '../queries/scheduler-state.ts';
import { PatchSchedulerBody } from '../schemas/scheduler.ts';
import { queuedResourcesV6, schedulerV6 } from '../serializers/scheduler.ts';
import type { RouteOptions } from './deps.ts';

export const schedulerRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/scheduler/', async () => schedulerV6(await readSchedulerSettings(deps.orm.em.fork())));

  // 204 as Scale's v6 documents it; GET shows the result.
  app.patch('/scheduler/', { schema: { body: PatchSchedulerBody } }, async (request, reply) => {
    const body = request.body;
    await updateScheduler(
      { nc: deps.nc, subjects: deps.subjects, timeoutMs: deps.commandTimeoutMs },
      {
        ...(body.is_paused === undefined ? {} : { isPaused: body.is_paused }),
        ...(body.queue_mode === undefined ? {} : { queueMode: body.queue_mode }),
      },
    );
    return reply.code(204).send();
  });

  app.get('/scheduler/queued-resources/', async () => queuedResourcesV6(await readQueuedResources(deps.orm.em.fork())));
};
