/** v5 GET /jobs/{id}/ (also under /v5/). */
import { NotFoundError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loadJobDetailFiles, loadJobDetails } from '../queries/job-details.ts';
import { JobParams } from '../schemas/jobs.ts';
import { jobDetailsV5 } from '../serializers/job-v5.ts';
import type { RouteOptions } from './deps.ts';

export const jobV5Routes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/jobs/:id/', { schema: { params: JobParams } }, async (request) => {
    const em = deps.orm.em.fork();
    const record = await loadJobDetails(em, request.params.id);
    if (!record) throw NotFoundError.of('job', request.params.id);
    return jobDetailsV5(record, await loadJobDetailFiles(em, record));
  });
};
