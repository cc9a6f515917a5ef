/** /v6/errors/: the error catalogue (Scale's builtin errors and those job type manifests declare). Read-only. */
import { NotFoundError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { findError, listErrors } from '../queries/errors.ts';
import { ErrorListQuery, ErrorParams } from '../schemas/errors.ts';
import { errorV6 } from '../serializers/error.ts';
import type { RouteOptions } from './deps.ts';

export const errorRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/errors/', { schema: { querystring: ErrorListQuery } }, async (request) => {
    const q = request.query;
    const { count, rows } = await listErrors(
      deps.orm.em.fork(),
      {
        started: q.started,
        ended: q.ended,
        isBuiltin: q.is_builtin,
        jobTypeName: q.job_type_name,
        name: q.name,
        category: q.category,
        order: q.order,
      },
      pageWindow(q),
    );
    return buildPage(request, q, count, rows.map(errorV6));
  });

  app.get('/errors/:id/', { schema: { params: ErrorParams } }, async (request) => {
    const error = await findError(deps.orm.em.fork(), request.params.id);
    if (!error) throw NotFoundError.of('error', request.params.id);
    return errorV6(error);
  });
};
