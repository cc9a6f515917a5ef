/** /v6/job-types/: create or revise (POST), list, details. */
import { NotFoundError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { configurationIssues } from '../domain/job-type-configuration.ts';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { validationFailure } from '../http/validation.ts';
import { findJobType, listJobTypes } from '../queries/job-types.ts';
import { saveJobType } from '../queries/save-job-type.ts';
import { CreateJobTypeBody, JobTypeListQuery, JobTypeParams } from '../schemas/job-types.ts';
import { jobTypeDetailsV6, jobTypeListItemV6 } from '../serializers/job-type.ts';
import type { RouteOptions } from './deps.ts';

export const jobTypeRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.post('/job-types/', { schema: { body: CreateJobTypeBody } }, async (request, reply) => {
    const body = request.body;
    const issues = body.configuration ? configurationIssues(body.manifest, body.configuration) : [];
    if (issues.length) throw validationFailure('request body', issues);
    const { jobType, created } = await saveJobType(deps.orm.em.fork(), {
      dockerImage: body.docker_image,
      manifest: body.manifest,
      ...(body.configuration ? { configuration: body.configuration } : {}),
      ...(body.icon_code === undefined ? {} : { iconCode: body.icon_code }),
      ...(body.max_scheduled === undefined ? {} : { maxScheduled: body.max_scheduled }),
      ...(body.is_published === undefined ? {} : { isPublished: body.is_published }),
    });
    const location = `/v6/job-types/${encodeURIComponent(jobType.name)}/${encodeURIComponent(jobType.version)}/`;
    return reply
      .code(created ? 201 : 200)
      .header('Location', location)
      .send(jobTypeDetailsV6(jobType));
  });

  app.get('/job-types/', { schema: { querystring: JobTypeListQuery } }, async (request) => {
    const q = request.query;
    const { count, rows } = await listJobTypes(
      deps.orm.em.fork(),
      {
        ...(q.keyword ? { keyword: q.keyword } : {}),
        ...(q.id ? { id: q.id } : {}),
        ...(q.is_active === undefined ? {} : { isActive: q.is_active }),
        ...(q.is_system === undefined ? {} : { isSystem: q.is_system }),
        ...(q.order ? { order: q.order } : {}),
      },
      pageWindow(q),
    );
    return buildPage(request, q, count, rows.map(jobTypeListItemV6));
  });

  app.get('/job-types/:name/:version/', { schema: { params: JobTypeParams } }, async (request) => {
    const { name, version } = request.params;
    const jobType = await findJobType(deps.orm.em.fork(), name, version);
    if (!jobType) throw new NotFoundError(`job type ${name} ${version} does not exist`);
    return jobTypeDetailsV6(jobType);
  });
};
