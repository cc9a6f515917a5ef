/** Job load over time: v5 GET /load/ (seed 000) and v6 GET /v6/load/, from the scheduler's job_load samples. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { readLoad } from '../queries/load.ts';
import { LOAD_DEFAULT_RANGE_MS, LoadQueryV5, LoadQueryV6 } from '../schemas/load.ts';
import { loadPoint } from '../serializers/scheduler.ts';
import type { RouteOptions } from './deps.ts';

function defaultStarted(): Date {
  return new Date(Date.now() - LOAD_DEFAULT_RANGE_MS);
}

export const loadV6Routes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/load/', { schema: { querystring: LoadQueryV6 } }, async (request) => {
    const q = request.query;
    const { count, points } = await readLoad(
      deps.orm.em.fork(),
      {
        started: q.started ?? defaultStarted(),
        ...(q.ended ? { ended: q.ended } : {}),
        ...(q.job_type_id ? { jobTypeIds: q.job_type_id } : {}),
        ...(q.job_type_name ? { jobTypeNames: q.job_type_name } : {}),
      },
      pageWindow(q),
    );
    return buildPage(request, q, count, points.map(loadPoint));
  });
};

export const loadV5Routes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/load/', { schema: { querystring: LoadQueryV5 } }, async (request) => {
    const q = request.query;
    const { count, points } = await readLoad(
      deps.orm.em.fork(),
      {
        started: q.started ?? defaultStarted(),
        ...(q.ended ? { ended: q.ended } : {}),
        ...(q.job_type_id ? { jobTypeIds: q.job_type_id } : {}),
        ...(q.job_type_name ? { jobTypeNames: q.job_type_name } : {}),
        ...(q.job_type_category ? { jobTypeCategories: q.job_type_category } : {}),
        ...(q.job_type_priority ? { jobTypePriorities: q.job_type_priority } : {}),
      },
      pageWindow(q),
    );
    return buildPage(request, q, count, points.map(loadPoint));
  });
};
