/** v5 job lists (seed 001), unversioned and under /v5/: GET /jobs/, /jobs/updates/, /jobs/executions/. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DEFAULT_JOB_ORDER, DEFAULT_UPDATES_ORDER, type JobListFilters } from '../domain/job-list-filters.ts';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { jobsInputFiles } from '../queries/files.ts';
import { listJobs } from '../queries/job-list.ts';
import { addErrorsAndNodes, loadJobRelations, loadLatestExecutions } from '../queries/job-list-relations.ts';
import { JobListQueryV5, JobUpdatesQueryV5 } from '../schemas/job-list.ts';
import { jobListItemV5, jobUpdateItemV5, jobWithExecutionItemV5 } from '../serializers/job-list.ts';
import type { RouteOptions } from './deps.ts';

/** v5 leaves superseded jobs out unless include_superseded=true, as Scale's v5 job lists do. */
function filtersV5(q: JobUpdatesQueryV5 & { job_id?: number[] | undefined }): JobListFilters {
  return {
    ...(q.started ? { started: q.started } : {}),
    ...(q.ended ? { ended: q.ended } : {}),
    ...(q.status ? { statuses: q.status } : {}),
    ...(q.job_id ? { jobIds: q.job_id } : {}),
    ...(q.job_type_id ? { jobTypeIds: q.job_type_id } : {}),
    ...(q.job_type_name ? { jobTypeNames: q.job_type_name } : {}),
    ...(q.job_type_category ? { jobTypeCategories: q.job_type_category } : {}),
    ...(q.batch_id ? { batchIds: q.batch_id } : {}),
    ...(q.error_category ? { errorCategories: q.error_category } : {}),
    ...(q.include_superseded ? {} : { isSuperseded: false }),
  };
}

export const jobListV5Routes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/jobs/', { schema: { querystring: JobListQueryV5 } }, async (request) => {
    const q = request.query;
    const em = deps.orm.em.fork();
    const { count, rows } = await listJobs(
      em,
      filtersV5(q),
      q.order?.length ? q.order : DEFAULT_JOB_ORDER,
      pageWindow(q),
    );
    const relations = await loadJobRelations(em, rows);
    return buildPage(
      request,
      q,
      count,
      rows.map((row) => jobListItemV5(row, relations)),
    );
  });

  app.get('/jobs/updates/', { schema: { querystring: JobUpdatesQueryV5 } }, async (request) => {
    const q = request.query;
    const em = deps.orm.em.fork();
    const order = q.order?.length ? q.order : DEFAULT_UPDATES_ORDER;
    const filters: JobListFilters = { ...filtersV5(q), timeField: 'last_status_change' };
    const { count, rows } = await listJobs(em, filters, order, pageWindow(q));
    const [relations, inputs] = await Promise.all([
      loadJobRelations(em, rows),
      jobsInputFiles(
        em.fork(),
        rows.map((r) => r.id),
      ),
    ]);
    return buildPage(
      request,
      q,
      count,
      rows.map((row) => jobUpdateItemV5(row, relations, inputs)),
    );
  });

  app.get('/jobs/executions/', { schema: { querystring: JobListQueryV5 } }, async (request) => {
    const q = request.query;
    const em = deps.orm.em.fork();
    const { count, rows } = await listJobs(
      em,
      filtersV5(q),
      q.order?.length ? q.order : DEFAULT_JOB_ORDER,
      pageWindow(q),
    );
    const [latest, jobRelations] = await Promise.all([
      loadLatestExecutions(
        em,
        rows.map((r) => r.id),
      ),
      loadJobRelations(em, rows),
    ]);
    // An execution's error or node may not be its job's (a retried job's earlier failure, say).
    const relations = await addErrorsAndNodes(em, jobRelations, [...latest.values()]);
    return buildPage(
      request,
      q,
      count,
      rows.map((row) => jobWithExecutionItemV5(row, relations, latest.get(row.id))),
    );
  });
};
