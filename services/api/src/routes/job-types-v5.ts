/** The v5 job type endpoints of seed 002: list, details (by id), edit (error mappings, pause). */
import type { SeedManifest } from '@scale/contracts';
import type { EntityManager, JobType } from '@scale/db';
import { AppError, NotFoundError, ValidationError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorsFromMapping } from '../domain/error-mapping.ts';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { validationFailure } from '../http/validation.ts';
import { jobTypeErrorsByName } from '../queries/errors.ts';
import { jobTypeWindowedCounts } from '../queries/job-type-status.ts';
import { findJobTypeById } from '../queries/job-types.ts';
import { listJobTypesV5 } from '../queries/job-types-v5.ts';
import { patchJobType } from '../queries/save-job-type.ts';
import { JobTypeV5ListQuery, JobTypeV5Params, PatchJobTypeV5Body } from '../schemas/job-types-v5.ts';
import { jobTypeDetailsV5, jobTypeListItemV5 } from '../serializers/job-type-v5.ts';
import type { RouteOptions } from './deps.ts';

async function detailsV5(em: EntityManager, jobType: JobType) {
  const errors = await jobTypeErrorsByName(em, jobType.name);
  const counts = await jobTypeWindowedCounts(em, jobType.id, new Date());
  return jobTypeDetailsV5(jobType, [...errors.values()], counts);
}

const NO_FIELDS = 'No fields were specified.';

/** Seed 002: "Unexpected fields were specified. An error message lists them. Or no fields were specified." */
function editBodyError(err: Error): Error {
  const details = err instanceof AppError ? (err.details ?? []) : [];
  const unexpected = details.filter((d) => d.message === 'Unrecognized field.').map((d) => d.field);
  if (unexpected.length)
    return new ValidationError(`Unexpected fields were specified: ${unexpected.join(', ')}`, details);
  if (details.length === 1 && details[0]?.message === NO_FIELDS) return new ValidationError(NO_FIELDS, details);
  return err;
}

export const jobTypeV5Routes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/job-types/', { schema: { querystring: JobTypeV5ListQuery } }, async (request) => {
    const q = request.query;
    const { count, rows } = await listJobTypesV5(
      deps.orm.em.fork(),
      {
        started: q.started,
        ended: q.ended,
        name: q.name,
        category: q.category,
        isActive: q.is_active,
        order: q.order,
      },
      pageWindow(q),
    );
    return buildPage(request, q, count, rows.map(jobTypeListItemV5));
  });

  app.get('/job-types/:id/', { schema: { params: JobTypeV5Params } }, async (request) => {
    const em = deps.orm.em.fork();
    const jobType = await findJobTypeById(em, request.params.id);
    if (!jobType) throw NotFoundError.of('job type', request.params.id);
    return detailsV5(em, jobType);
  });

  // Seed 002 answers a successful edit with 201 and the details.
  app.patch(
    '/job-types/:id/',
    { schema: { params: JobTypeV5Params, body: PatchJobTypeV5Body }, attachValidation: true },
    async (request, reply) => {
      if (request.validationError) throw editBodyError(request.validationError);
      const body = request.body;
      const em = deps.orm.em.fork();
      const current = await findJobTypeById(em, request.params.id);
      if (!current) throw NotFoundError.of('job type', request.params.id);
      let reviseManifest: ((manifest: SeedManifest) => SeedManifest) | undefined;
      if (body.error_mappings) {
        const known = await jobTypeErrorsByName(em, current.name);
        const mapped = errorsFromMapping(body.error_mappings.exit_codes, current.name, known);
        if (!mapped.ok) throw validationFailure('request body', mapped.issues);
        reviseManifest = (manifest) => ({ ...manifest, job: { ...manifest.job, errors: mapped.errors } });
      }
      const jobType = await patchJobType(
        em,
        current.name,
        current.version,
        { reviseManifest, isPaused: body.is_paused },
        new Date(),
      );
      return reply.code(201).send(await detailsV5(em, jobType));
    },
  );
};
