/**
 * The catalogue by name: /v6/job-type-names/, /v6/job-types/<name>/ (its versions) and the revisions of one
 * version (/v6/job-types/<name>/<version>/revisions/[<revision_num>/]).
 */
import { NotFoundError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { buildPage, pageWindow } from '../http/pagination.ts';
import {
  findJobType,
  findRevision,
  listJobTypeNames,
  listJobTypeVersions,
  listRevisions,
  offeredCustomResources,
} from '../queries/job-types.ts';
import {
  JobTypeNameParams,
  JobTypeNamesQuery,
  JobTypeParams,
  JobTypeRevisionParams,
  JobTypeVersionsQuery,
  PageOnlyQuery,
} from '../schemas/job-types.ts';
import { jobTypeListItemV6, jobTypeNameV6, revisionDetailsV6, revisionV6 } from '../serializers/job-type.ts';
import type { RouteOptions } from './deps.ts';

export const jobTypeVersionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/job-type-names/', { schema: { querystring: JobTypeNamesQuery } }, async (request) => {
    const q = request.query;
    const { count, rows } = await listJobTypeNames(
      deps.orm.em.fork(),
      {
        ...(q.keyword ? { keyword: q.keyword } : {}),
        ...(q.id ? { id: q.id } : {}),
        ...(q.is_active === undefined ? {} : { isActive: q.is_active }),
        ...(q.is_system === undefined ? {} : { isSystem: q.is_system }),
        descending: q.order?.[0]?.descending ?? false,
      },
      pageWindow(q),
    );
    return buildPage(request, q, count, rows.map(jobTypeNameV6));
  });

  app.get(
    '/job-types/:name/',
    { schema: { params: JobTypeNameParams, querystring: JobTypeVersionsQuery } },
    async (request) => {
      const { name } = request.params;
      const q = request.query;
      const em = deps.orm.em.fork();
      const all = await listJobTypeVersions(em, name);
      if (!all.length) throw new NotFoundError(`job type ${name} does not exist`);
      const matching = q.is_active === undefined ? all : all.filter((jt) => jt.isActive === q.is_active);
      const { limit, offset } = pageWindow(q);
      const offered = await offeredCustomResources(em);
      return buildPage(
        request,
        q,
        matching.length,
        matching.slice(offset, offset + limit).map((jt) => jobTypeListItemV6(jt, offered)),
      );
    },
  );

  app.get(
    '/job-types/:name/:version/revisions/',
    { schema: { params: JobTypeParams, querystring: PageOnlyQuery } },
    async (request) => {
      const { name, version } = request.params;
      const em = deps.orm.em.fork();
      const jobType = await findJobType(em, name, version);
      if (!jobType) throw new NotFoundError(`job type ${name} ${version} does not exist`);
      const { count, rows } = await listRevisions(em, jobType.id, pageWindow(request.query));
      const offered = await offeredCustomResources(em);
      return buildPage(
        request,
        request.query,
        count,
        rows.map((revision) => revisionV6(revision, jobType, offered)),
      );
    },
  );

  app.get(
    '/job-types/:name/:version/revisions/:revision_num/',
    { schema: { params: JobTypeRevisionParams } },
    async (request) => {
      const { name, version, revision_num } = request.params;
      const em = deps.orm.em.fork();
      const jobType = await findJobType(em, name, version);
      if (!jobType) throw new NotFoundError(`job type ${name} ${version} does not exist`);
      const revision = await findRevision(em, jobType.id, revision_num);
      if (!revision) throw new NotFoundError(`job type ${name} ${version} has no revision ${revision_num}`);
      return revisionDetailsV6(revision, jobType, await offeredCustomResources(em));
    },
  );
};
