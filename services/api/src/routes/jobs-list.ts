/** v6 GET /v6/jobs/: the paged, filtered job list (seed 004). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DEFAULT_JOB_ORDER, type JobListFilters } from '../domain/job-list-filters.ts';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { listJobs } from '../queries/job-list.ts';
import { loadJobRelations } from '../queries/job-list-relations.ts';
import { JobListQueryV6 } from '../schemas/job-list.ts';
import { jobListItemV6 } from '../serializers/job-list.ts';
import type { RouteOptions } from './deps.ts';

function filtersV6(q: JobListQueryV6): JobListFilters {
  return {
    ...(q.started ? { started: q.started } : {}),
    ...(q.ended ? { ended: q.ended } : {}),
    ...(q.status ? { statuses: q.status } : {}),
    ...(q.job_id ? { jobIds: q.job_id } : {}),
    ...(q.job_type_id ? { jobTypeIds: q.job_type_id } : {}),
    ...(q.job_type_name ? { jobTypeNames: q.job_type_name } : {}),
    ...(q.batch_id ? { batchIds: q.batch_id } : {}),
    ...(q.recipe_id ? { recipeIds: q.recipe_id } : {}),
    ...(q.error_id ? { errorIds: q.error_id } : {}),
    ...(q.error_category ? { errorCategories: q.error_category } : {}),
    ...(q.is_superseded === undefined ? {} : { isSuperseded: q.is_superseded }),
  };
}

export const jobListRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/jobs/', { schema: { querystring: JobListQueryV6 } }, async (request) => {
    const q = request.query;
    const em = deps.orm.em.fork();
    const order = q.order?.length ? q.order : DEFAULT_JOB_ORDER;
    const { count, rows } = await listJobs(em, filtersV6(q), order, pageWindow(q));
    const relations = await loadJobRelations(em, rows);
    return buildPage(
      request,
      q,
      count,
      rows.map((row) => jobListItemV6(row, relations)),
    );
  });
};
