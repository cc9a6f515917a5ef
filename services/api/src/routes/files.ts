/** /v6/files/: the files catalogue (list, details) and registration of a file already in a workspace. */
import { NotFoundError, ValidationError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { registerFile, uploadFile } from '../commands/register-file.ts';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { findFile, listFiles } from '../queries/files.ts';
import { FileListQuery, FileParams, RegisterFileBody, UploadFileQuery } from '../schemas/files.ts';
import { scaleFileDetailsV6, scaleFileV6 } from '../serializers/scale-file.ts';
import type { RouteOptions } from './deps.ts';

export const fileRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  // Uploads stream to disk as they arrive; this parser stays inside this plugin.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  app.get('/files/', { schema: { querystring: FileListQuery } }, async (request) => {
    const q = request.query;
    const page = await listFiles(
      deps.orm.em.fork(),
      {
        started: q.started,
        ended: q.ended,
        timeField: q.time_field,
        jobOutput: q.job_output,
        jobTypeId: q.job_type_id,
        jobTypeName: q.job_type_name,
        jobId: q.job_id,
        recipeId: q.recipe_id,
        recipeNode: q.recipe_node,
        recipeTypeId: q.recipe_type_id,
        batchId: q.batch_id,
        fileName: q.file_name,
        workspaceId: q.workspace_id,
        order: q.order,
      },
      pageWindow(q),
    );
    return buildPage(
      request,
      q,
      page.count,
      page.rows.map((f) => scaleFileV6(f, page)),
    );
  });

  app.post('/files/', { schema: { body: RegisterFileBody } }, async (request, reply) => {
    const { file, created } = await registerFile(deps.orm.em.fork(), request.body);
    const [row] = file.rows;
    return reply
      .code(created ? 201 : 200)
      .header('Location', `/v6/files/${row!.id}/`)
      .send(scaleFileDetailsV6(row!, file));
  });

  app.post('/files/upload/', { schema: { querystring: UploadFileQuery } }, async (request, reply) => {
    const body = request.body as NodeJS.ReadableStream | undefined;
    if (!body || typeof body.pipe !== 'function') {
      throw ValidationError.field(
        'body',
        'Send the file as the request body, with content-type application/octet-stream.',
      );
    }
    const q = request.query;
    const file = await uploadFile(
      deps.orm.em.fork(),
      q.workspace_id,
      { file_path: q.file_path, ...(q.media_type ? { media_type: q.media_type } : {}) },
      body,
    );
    const [row] = file.rows;
    return reply.code(201).header('Location', `/v6/files/${row!.id}/`).send(scaleFileDetailsV6(row!, file));
  });

  app.get('/files/:id/', { schema: { params: FileParams } }, async (request) => {
    const found = await findFile(deps.orm.em.fork(), request.params.id);
    const [file] = found?.rows ?? [];
    if (!found || !file) throw NotFoundError.of('file', request.params.id);
    return scaleFileDetailsV6(file, found);
  });
};
