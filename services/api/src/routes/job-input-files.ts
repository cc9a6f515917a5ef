/** /v6/jobs/{id}/input_files/: the catalogue entries of the files a job reads (seed 004). */
import { NotFoundError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { jobInputFileIds, listFiles } from '../queries/files.ts';
import { JobFilesParams, JobInputFileQuery } from '../schemas/files.ts';
import { scaleFileV6 } from '../serializers/scale-file.ts';
import type { RouteOptions } from './deps.ts';

export const jobInputFileRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get(
    '/jobs/:id/input_files/',
    { schema: { params: JobFilesParams, querystring: JobInputFileQuery } },
    async (request) => {
      const q = request.query;
      const em = deps.orm.em.fork();
      const ids = await jobInputFileIds(em, request.params.id, q.job_input);
      if (!ids) throw NotFoundError.of('job', request.params.id);
      const page = await listFiles(
        em,
        { ids, started: q.started, ended: q.ended, timeField: q.time_field, fileName: q.file_name },
        pageWindow(q),
      );
      return buildPage(
        request,
        q,
        page.count,
        page.rows.map((f) => scaleFileV6(f, page)),
      );
    },
  );
};
