/** /v6/job-types/: create or revise (POST), validate without saving, list, details, edit (PATCH). */
import type { FieldError } from '@scale/contracts';
import type { EntityManager, JobType } from '@scale/db';
import { AppError, NotFoundError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { configurationIssues, configurationWarnings } from '../domain/job-type-configuration.ts';
import {
  manifestWarnings,
  revisionWarning,
  type ValidationMessage,
  validationResult,
} from '../domain/job-type-validation.ts';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { validationFailure } from '../http/validation.ts';
import { findJobType, listJobTypes, offeredCustomResources, recipeTypesUsing } from '../queries/job-types.ts';
import { patchJobType, saveJobType, workspaceIssues } from '../queries/save-job-type.ts';
import {
  CreateJobTypeBody,
  JobTypeListQuery,
  JobTypeParams,
  PatchJobTypeBody,
  ValidateJobTypeBody,
} from '../schemas/job-types.ts';
import { jobTypeDetailsV6, jobTypeListItemV6 } from '../serializers/job-type.ts';
import type { RouteOptions } from './deps.ts';

/** The warnings of a job type as it is (or would be) stored: Seed fields, unmet resources, unset settings/mounts. */
async function jobTypeWarnings(em: EntityManager, jobType: Pick<JobType, 'manifest' | 'configuration'>) {
  return [
    ...manifestWarnings(jobType.manifest, await offeredCustomResources(em)),
    ...configurationWarnings(jobType.manifest, jobType.configuration),
  ];
}

export const jobTypeRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.post('/job-types/', { schema: { body: CreateJobTypeBody } }, async (request, reply) => {
    const body = request.body;
    const em = deps.orm.em.fork();
    const { jobType, created } = await saveJobType(
      em,
      {
        dockerImage: body.docker_image,
        manifest: body.manifest,
        ...(body.configuration ? { configuration: body.configuration } : {}),
        ...(body.icon_code === undefined ? {} : { iconCode: body.icon_code }),
        ...(body.max_scheduled === undefined ? {} : { maxScheduled: body.max_scheduled }),
        ...(body.is_published === undefined ? {} : { isPublished: body.is_published }),
        ...(body.is_active === undefined ? {} : { isActive: body.is_active }),
        ...(body.is_paused === undefined ? {} : { isPaused: body.is_paused }),
        ...(body.auto_update === undefined ? {} : { autoUpdate: body.auto_update }),
      },
      new Date(),
    );
    const location = `/v6/job-types/${encodeURIComponent(jobType.name)}/${encodeURIComponent(jobType.version)}/`;
    return reply
      .code(created ? 201 : 200)
      .header('Location', location)
      .send(jobTypeDetailsV6(jobType, await offeredCustomResources(em), await recipeTypesUsing(em, jobType.id)));
  });

  // The answer to an invalid body is a 200 listing the problems, so validation failures reach the handler.
  app.post(
    '/job-types/validation/',
    { schema: { body: ValidateJobTypeBody }, attachValidation: true },
    async (request) => {
      if (request.validationError) {
        const details = request.validationError instanceof AppError ? request.validationError.details : undefined;
        if (!details?.length) throw request.validationError;
        return validationResult(details, []);
      }
      const body = request.body;
      const em = deps.orm.em.fork();
      const configuration = body.configuration ?? {};
      const errors: FieldError[] = [
        ...configurationIssues(body.manifest, configuration),
        ...(await workspaceIssues(em, configuration)),
      ];
      const existing = await findJobType(em, body.manifest.job.name, body.manifest.job.jobVersion);
      const revision = revisionWarning(existing, body.docker_image, body.manifest);
      const warnings: ValidationMessage[] = [
        ...(revision ? [revision] : []),
        ...(await jobTypeWarnings(em, { manifest: body.manifest, configuration })),
      ];
      return validationResult(errors, warnings);
    },
  );

  app.get('/job-types/', { schema: { querystring: JobTypeListQuery } }, async (request) => {
    const q = request.query;
    const em = deps.orm.em.fork();
    const { count, rows } = await listJobTypes(
      em,
      {
        ...(q.keyword ? { keyword: q.keyword } : {}),
        ...(q.id ? { id: q.id } : {}),
        ...(q.is_active === undefined ? {} : { isActive: q.is_active }),
        ...(q.is_system === undefined ? {} : { isSystem: q.is_system }),
        ...(q.order ? { order: q.order } : {}),
      },
      pageWindow(q),
    );
    const offered = await offeredCustomResources(em);
    return buildPage(
      request,
      q,
      count,
      rows.map((jt) => jobTypeListItemV6(jt, offered)),
    );
  });

  app.get('/job-types/:name/:version/', { schema: { params: JobTypeParams } }, async (request) => {
    const { name, version } = request.params;
    const em = deps.orm.em.fork();
    const jobType = await findJobType(em, name, version);
    if (!jobType) throw new NotFoundError(`job type ${name} ${version} does not exist`);
    return jobTypeDetailsV6(jobType, await offeredCustomResources(em), await recipeTypesUsing(em, jobType.id));
  });

  // Scale answers an edit with the validation body of the job type as edited.
  app.patch(
    '/job-types/:name/:version/',
    { schema: { params: JobTypeParams, body: PatchJobTypeBody } },
    async (request) => {
      const { name, version } = request.params;
      const body = request.body;
      const mismatch: FieldError[] = [];
      if (body.manifest && body.manifest.job.name !== name) {
        mismatch.push({
          field: 'manifest.job.name',
          message: `must be "${name}": a manifest cannot rename a job type`,
        });
      }
      if (body.manifest && body.manifest.job.jobVersion !== version) {
        mismatch.push({
          field: 'manifest.job.jobVersion',
          message: `must be "${version}": another version is another job type (POST it)`,
        });
      }
      if (mismatch.length) throw validationFailure('request body', mismatch);
      const em = deps.orm.em.fork();
      const jobType = await patchJobType(
        em,
        name,
        version,
        {
          dockerImage: body.docker_image,
          manifest: body.manifest,
          configuration: body.configuration,
          iconCode: body.icon_code,
          maxScheduled: body.max_scheduled,
          isPublished: body.is_published,
          isActive: body.is_active,
          isPaused: body.is_paused,
          autoUpdate: body.auto_update,
        },
        new Date(),
      );
      return validationResult([], await jobTypeWarnings(em, jobType));
    },
  );
};
