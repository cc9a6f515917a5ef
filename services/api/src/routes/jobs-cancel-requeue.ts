/**
 * Cancel and requeue, all through the scheduler (it owns jobs; each command is one transaction there):
 * v6 POST /v6/jobs/cancel/ and /v6/jobs/requeue/ (seed 004: filters, 202 without a body, answered once the command
 * is stored in JetStream; the scheduler applies it afterwards, P10), v5 PATCH /jobs/{id}/
 * with {"status": "CANCELED"} (seed 001: the updated details) and v5 POST /queue/requeue-jobs/ (seed 000: the
 * requeued jobs, synchronously).
 */
import { type JobFilter, MAX_RETURNED_IDS } from '@scale/contracts';
import { NotFoundError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idempotencyKey } from '../commands/create-job.ts';
import { cancelJobs, enqueueCancelJobs, enqueueRequeueJobs, requeueJobs } from '../commands/scheduler-commands.ts';
import { type JobFilterBody, jobFilterFromBody } from '../domain/job-filter-body.ts';
import { validationFailure } from '../http/validation.ts';
import { loadJobDetailFiles, loadJobDetails } from '../queries/job-details.ts';
import { jobTypeIdsByCategory, readJobsV5 } from '../queries/requeued-jobs.ts';
import { CancelJobsBody, PatchJobV5Body, RequeueJobsBody, RequeueJobsV5Body } from '../schemas/job-bulk.ts';
import { JobParams } from '../schemas/jobs.ts';
import { jobDetailsV5 } from '../serializers/job-v5.ts';
import type { RouteDeps, RouteOptions } from './deps.ts';

function commandDeps(deps: RouteDeps) {
  return { nc: deps.nc, subjects: deps.subjects, timeoutMs: deps.commandTimeoutMs };
}

/** Durations are "that long before now", so they are resolved when the request arrives. */
function filterOf(body: JobFilterBody): JobFilter {
  const result = jobFilterFromBody(body, new Date());
  if (!result.ok) throw validationFailure('request body', result.errors);
  return result.filter;
}

export const jobBulkV6Routes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.post('/jobs/cancel/', { schema: { body: CancelJobsBody } }, async (request, reply) => {
    await enqueueCancelJobs(commandDeps(deps), filterOf(request.body), idempotencyKey(request.headers));
    return reply.code(202).send();
  });

  app.post('/jobs/requeue/', { schema: { body: RequeueJobsBody } }, async (request, reply) => {
    const { priority, ...filter } = request.body;
    await enqueueRequeueJobs(commandDeps(deps), filterOf(filter), priority, idempotencyKey(request.headers));
    return reply.code(202).send();
  });
};

export const jobUpdateV5Routes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.patch('/jobs/:id/', { schema: { params: JobParams, body: PatchJobV5Body } }, async (request) => {
    const { id } = request.params;
    if (!(await loadJobDetails(deps.orm.em.fork(), id))) throw NotFoundError.of('job', id);
    // A job that already ended is left as it is and shown as it is (Scale does the same): canceled = 0.
    await cancelJobs(commandDeps(deps), { jobIds: [id] });
    const em = deps.orm.em.fork();
    const record = await loadJobDetails(em, id);
    if (!record) throw NotFoundError.of('job', id);
    return jobDetailsV5(record, await loadJobDetailFiles(em, record));
  });

  app.post('/queue/requeue-jobs/', { schema: { body: RequeueJobsV5Body } }, async (request) => {
    const { priority, job_type_categories, ...fields } = request.body;
    const filter = filterOf(fields);
    if (job_type_categories !== undefined) {
      // Both must hold: the ids given and the types in those categories.
      const categorized = await jobTypeIdsByCategory(deps.orm.em.fork(), job_type_categories);
      filter.jobTypeIds = filter.jobTypeIds ? filter.jobTypeIds.filter((id) => categorized.includes(id)) : categorized;
    }
    const result = await requeueJobs(commandDeps(deps), filter, priority);
    // Over MAX_RETURNED_IDS the scheduler sends the count only: the answer keeps the count, lists no jobs.
    const ids = result.jobIds && result.jobIds.length <= MAX_RETURNED_IDS ? result.jobIds : [];
    const results = await readJobsV5(deps.orm.em.fork(), ids);
    return { count: result.requeued, next: null, previous: null, results };
  });
};
