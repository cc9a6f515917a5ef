/** v5 POST /queue/new-job/ (also under /v5/): job_data 1.0 converted to v6 Data, then the same path as v6. */
import { dataFromLegacy } from '@scale/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createJob, idempotencyKey } from '../commands/create-job.ts';
import { loadJobDetailFiles } from '../queries/job-details.ts';
import { QueueNewJobBody } from '../schemas/jobs.ts';
import { jobDetailsV5 } from '../serializers/job-v5.ts';
import type { RouteOptions } from './deps.ts';

export const queueV5Routes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.post('/queue/new-job/', { schema: { body: QueueNewJobBody } }, async (request, reply) => {
    const body = request.body;
    const key = idempotencyKey(request.headers);
    const record = await createJob(
      { em: deps.orm.em.fork(), nc: deps.nc, subjects: deps.subjects, commandTimeoutMs: deps.commandTimeoutMs },
      {
        jobTypeId: body.job_type_id,
        input: dataFromLegacy(body.job_data),
        ...(key ? { idempotencyKey: key } : {}),
        inputField: (issue) => `job_data.input_data.${issue.name}`,
      },
    );
    const files = await loadJobDetailFiles(deps.orm.em.fork(), record);
    return reply.code(201).header('Location', `${app.prefix}/jobs/${record.job.id}/`).send(jobDetailsV5(record, files));
  });
};
