/** /v6/workspaces/: list, create, validate, details, edit (Scale v6). Workspaces are catalogue data the API owns. */
import { NotFoundError, ValidationError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkWorkspace, createWorkspace, editWorkspace } from '../commands/save-workspace.ts';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { parseOrThrow } from '../http/validation.ts';
import { findWorkspace, findWorkspaceByName, listWorkspaces } from '../queries/workspaces.ts';
import { CreateWorkspaceBody, EditWorkspaceBody, WorkspaceListQuery, WorkspaceParams } from '../schemas/workspaces.ts';
import { workspaceDetailsV6, workspaceListItemV6 } from '../serializers/workspace.ts';
import type { RouteOptions } from './deps.ts';

/** The validation endpoint reads any object and answers with what is wrong, as Scale's does. */
const ValidationBody = z.record(z.string(), z.unknown());

export const workspaceRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/workspaces/', { schema: { querystring: WorkspaceListQuery } }, async (request) => {
    const q = request.query;
    const { count, rows } = await listWorkspaces(
      deps.orm.em.fork(),
      { started: q.started, ended: q.ended, name: q.name, order: q.order },
      pageWindow(q),
    );
    return buildPage(request, q, count, rows.map(workspaceListItemV6));
  });

  app.post('/workspaces/', { schema: { body: CreateWorkspaceBody } }, async (request, reply) => {
    const { workspace, created } = await createWorkspace(deps.orm.em.fork(), request.body);
    return reply
      .code(created ? 201 : 200)
      .header('Location', `/v6/workspaces/${workspace.id}/`)
      .send(workspaceDetailsV6(workspace));
  });

  app.post('/workspaces/validation/', { schema: { body: ValidationBody } }, async (request) => {
    const em = deps.orm.em.fork();
    const name = typeof request.body.name === 'string' ? request.body.name : undefined;
    const existing = name ? await findWorkspaceByName(em, name) : null;
    // An existing workspace is validated as an edit (every field optional), anything else as a creation.
    let parsed: EditWorkspaceBody | CreateWorkspaceBody;
    try {
      parsed = existing
        ? parseOrThrow(EditWorkspaceBody, omitName(request.body), 'request body')
        : parseOrThrow(CreateWorkspaceBody, request.body, 'request body');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const errors = (err.details ?? []).map((e) => ({ name: e.field, description: e.message }));
      return { is_valid: false, errors, warnings: [] };
    }
    const check = await checkWorkspace(parsed, existing);
    const errors = check.errors.map((e) => ({ name: e.field, description: e.message }));
    if (!existing && check.name && (await findWorkspaceByName(em, check.name))) {
      errors.push({ name: name ? 'name' : 'title', description: `A workspace named "${check.name}" already exists.` });
    }
    return { is_valid: errors.length === 0, errors, warnings: check.warnings };
  });

  app.get('/workspaces/:id/', { schema: { params: WorkspaceParams } }, async (request) => {
    const workspace = await findWorkspace(deps.orm.em.fork(), request.params.id);
    if (!workspace) throw NotFoundError.of('workspace', request.params.id);
    return workspaceDetailsV6(workspace);
  });

  app.patch(
    '/workspaces/:id/',
    { schema: { params: WorkspaceParams, body: EditWorkspaceBody } },
    async (request, reply) => {
      await editWorkspace(deps.orm.em.fork(), request.params.id, request.body);
      return reply.code(204).send();
    },
  );
};

function omitName(body: Record<string, unknown>): Record<string, unknown> {
  const { name: _, ...rest } = body;
  return rest;
}
