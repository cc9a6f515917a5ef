/** /v6/jobs/{id}/executions/ (newest first) and /v6/jobs/{id}/executions/{exe_num}/ (seed 004). */
import { NotFoundError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { secretSettingNames } from '../domain/job-type-configuration.ts';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { findJobExecution, type JobExecutionRecords, listJobExecutions } from '../queries/job-execution-list.ts';
import { JobExecutionListQuery, JobExecutionParams, JobExecutionsParams } from '../schemas/job-executions-list.ts';
import { type ExecutionContext, jobExeV6 } from '../serializers/job-exe.ts';
import type { RouteOptions } from './deps.ts';

function context(records: Omit<JobExecutionRecords, 'count'>): ExecutionContext {
  return {
    jobType: records.jobType,
    errors: records.errors,
    nodes: records.nodes,
    secrets: secretSettingNames(records.jobType.manifest, records.revision.manifest),
  };
}

/** The list shows Scale's summary fields; task results, resources, configuration and output are in the details. */
function listItem(exe: Parameters<typeof jobExeV6>[0], ctx: ExecutionContext) {
  const { task_results: _t, resources: _r, configuration: _c, output: _o, ...summary } = jobExeV6(exe, ctx);
  return summary;
}

export const jobExecutionListRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get(
    '/jobs/:id/executions/',
    { schema: { params: JobExecutionsParams, querystring: JobExecutionListQuery } },
    async (request) => {
      const q = request.query;
      const records = await listJobExecutions(
        deps.orm.em.fork(),
        request.params.id,
        { status: q.status, nodeId: q.node_id, errorId: q.error_id, errorCategory: q.error_category },
        pageWindow(q),
      );
      if (!records) throw NotFoundError.of('job', request.params.id);
      const ctx = context(records);
      return buildPage(
        request,
        q,
        records.count,
        records.rows.map((exe) => listItem(exe, ctx)),
      );
    },
  );

  app.get('/jobs/:id/executions/:exe_num/', { schema: { params: JobExecutionParams } }, async (request) => {
    const { id, exe_num } = request.params;
    const records = await findJobExecution(deps.orm.em.fork(), id, exe_num);
    const [exe] = records?.rows ?? [];
    if (!records || !exe) throw new NotFoundError(`job ${id} has no execution ${exe_num}`);
    return jobExeV6(exe, context(records));
  });
};
