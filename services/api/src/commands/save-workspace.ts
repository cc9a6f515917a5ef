/**
 * Creating, checking and editing workspaces. The name comes from the title (or the client), so a retried create
 * finds the workspace the first attempt made and answers with it instead of making a second one.
 */
import { canonicalJson, type FieldError, type WorkspaceConfiguration } from '@scale/contracts';
import type { EntityManager, Workspace } from '@scale/db';
import { NotFoundError, ValidationError } from '@scale/runtime';
import { refusedWorkspaceFolder, workspaceNameFromTitle } from '../domain/workspaces.ts';
import { validationFailure } from '../http/validation.ts';
import {
  findWorkspace,
  findWorkspaceByName,
  insertWorkspace,
  updateWorkspace,
  type WorkspaceChanges,
} from '../queries/workspaces.ts';
import type { CreateWorkspaceBody, EditWorkspaceBody } from '../schemas/workspaces.ts';
import { folderState } from '../storage/host-folder.ts';

/** Scale's validation answer items. */
export interface ValidationItem {
  name: string;
  description: string;
}

export interface WorkspaceCheck {
  name: string;
  errors: FieldError[];
  warnings: ValidationItem[];
}

function hostPathOf(configuration: WorkspaceConfiguration): string | undefined {
  const path = configuration.broker.host_path;
  return typeof path === 'string' ? path : undefined;
}

/** Rules beyond the body schema; `existing` is the workspace being edited, if any. */
export async function checkWorkspace(
  body: { name?: string | undefined; title?: string | undefined; configuration?: WorkspaceConfiguration | undefined },
  existing: Workspace | null,
): Promise<WorkspaceCheck> {
  const errors: FieldError[] = [];
  const warnings: ValidationItem[] = [];
  const name = existing?.name ?? body.name ?? workspaceNameFromTitle(body.title ?? '');
  if (!name)
    errors.push({ field: 'title', message: 'Must hold at least one letter or digit (the name comes from it).' });
  const hostPath = body.configuration && hostPathOf(body.configuration);
  if (hostPath !== undefined) {
    const refused = refusedWorkspaceFolder(hostPath);
    if (refused) errors.push({ field: 'configuration.broker.host_path', message: refused });
    const state = await folderState(hostPath);
    if (state !== 'present') {
      warnings.push({
        name: 'host_path',
        description:
          state === 'missing'
            ? `${hostPath} does not exist on the API host; files cannot be registered until it does.`
            : `${hostPath} is not a folder.`,
      });
    }
  }
  if (existing && body.configuration && existing.jsonConfig.broker.type !== body.configuration.broker.type) {
    warnings.push({ name: 'broker_type', description: 'Changing the broker type may disrupt queued/running jobs.' });
  }
  return { name, errors, warnings };
}

function sameWorkspace(ws: Workspace, body: CreateWorkspaceBody): boolean {
  return (
    ws.title === body.title &&
    (ws.description ?? null) === (body.description ?? null) &&
    (ws.baseUrl ?? null) === (body.base_url ?? null) &&
    ws.isActive === (body.is_active ?? true) &&
    canonicalJson(ws.jsonConfig) === canonicalJson(body.configuration)
  );
}

export async function createWorkspace(
  em: EntityManager,
  body: CreateWorkspaceBody,
): Promise<{ workspace: Workspace; created: boolean }> {
  const check = await checkWorkspace(body, null);
  if (check.errors.length) throw validationFailure('request body', check.errors);
  const id = await insertWorkspace(em, {
    name: check.name,
    title: body.title,
    description: body.description ?? null,
    baseUrl: body.base_url ?? null,
    isActive: body.is_active ?? true,
    configuration: body.configuration,
  });
  if (id !== null) return { workspace: (await findWorkspace(em.fork(), id))!, created: true };
  const existing = await findWorkspaceByName(em.fork(), check.name);
  if (existing && sameWorkspace(existing, body)) return { workspace: existing, created: false };
  throw ValidationError.field(body.name ? 'name' : 'title', `A workspace named "${check.name}" already exists.`);
}

export async function editWorkspace(em: EntityManager, id: number, body: EditWorkspaceBody): Promise<void> {
  const existing = await findWorkspace(em, id);
  if (!existing) throw NotFoundError.of('workspace', id);
  const check = await checkWorkspace(body, existing);
  if (check.errors.length) throw validationFailure('request body', check.errors);
  const changes: WorkspaceChanges = {
    title: body.title,
    description: body.description,
    baseUrl: body.base_url,
    isActive: body.is_active,
    configuration: body.configuration,
  };
  if (!(await updateWorkspace(em, id, changes))) throw NotFoundError.of('workspace', id);
}
