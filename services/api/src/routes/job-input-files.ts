/** /v6/jobs/{id}/input_files/: the catalogue entries of the files a job reads (seed 004). */
import type { EntityManager } from '@scale/db';
import { NotFoundError } from '@scale/runtime';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { buildPage, type PageParams, pageWindow } from '../http/pagination.ts';
import { type FileFilters, jobInputFileIds, listFiles } from '../queries/files.ts';
import { JobFilesParams, JobInputFileQuery } from '../schemas/files.ts';
import { scaleFileV6 } from '../serializers/scale-file.ts';
import type { RouteOptions } from './deps.ts';

/** The input-file filters a job's and a recipe's input file lists both take (seeds 003 and 004). */
export interface InputFileQuery extends PageParams {
  started?: Date | undefined;
  ended?: Date | undefined;
  time_field?: FileFilters['timeField'];
  file_name?: string[] | undefined;
}

/** One page of the catalogue entries of `ids`, filtered and printed as v6 files. */
export async function inputFilesPage(request: FastifyRequest, em: EntityManager, ids: number[], q: InputFileQuery) {
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
}

export const jobInputFileRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get(
    '/jobs/:id/input_files/',
    { schema: { params: JobFilesParams, querystring: JobInputFileQuery } },
    async (request) => {
      const q = request.query;
      const em = deps.orm.em.fork();
      const ids = await jobInputFileIds(em, request.params.id, q.job_input);
      if (!ids) throw NotFoundError.of('job', request.params.id);
      return inputFilesPage(request, em, ids, q);
    },
  );
};
