/** /v6/jobs/: queue a job (through the scheduler) and read its details. */
import { NotFoundError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createJob, idempotencyKey } from '../commands/create-job.ts';
import { loadJobDetails } from '../queries/job-details.ts';
import { CreateJobBody, JobParams } from '../schemas/jobs.ts';
import { jobDetailsV6 } from '../serializers/job.ts';
import type { RouteOptions } from './deps.ts';

export const jobRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.post('/jobs/', { schema: { body: CreateJobBody } }, async (request, reply) => {
    const body = request.body;
    const key = idempotencyKey(request.headers);
    const record = await createJob(
      { em: deps.orm.em.fork(), nc: deps.nc, subjects: deps.subjects, commandTimeoutMs: deps.commandTimeoutMs },
      {
        jobTypeId: body.job_type_id,
        input: body.input,
        ...(body.priority === undefined ? {} : { priority: body.priority }),
        ...(key ? { idempotencyKey: key } : {}),
        inputField: (issue) => `input.${issue.kind}.${issue.name}`,
      },
    );
    return reply.code(201).header('Location', `/v6/jobs/${record.job.id}/`).send(jobDetailsV6(record));
  });

  app.get('/jobs/:id/', { schema: { params: JobParams } }, async (request) => {
    const record = await loadJobDetails(deps.orm.em.fork(), request.params.id);
    if (!record) throw NotFoundError.of('job', request.params.id);
    return jobDetailsV6(record);
  });
};
