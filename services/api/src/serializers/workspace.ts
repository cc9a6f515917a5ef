/** Workspaces as Scale's v6 documents print them; `configuration` only in details. */
import type { Workspace } from '@scale/db';
import { iso } from './common.ts';

export function workspaceListItemV6(ws: Workspace) {
  return {
    id: ws.id,
    name: ws.name,
    title: ws.title,
    description: ws.description ?? null,
    base_url: ws.baseUrl ?? null,
    is_active: ws.isActive,
    created: iso(ws.created),
    deprecated: iso(ws.deprecated),
    last_modified: iso(ws.lastModified),
  };
}

export function workspaceDetailsV6(ws: Workspace) {
  return { ...workspaceListItemV6(ws), configuration: ws.jsonConfig };
}

/** The workspace nested in file bodies. */
export function workspaceSummaryV6(ws: Pick<Workspace, 'id' | 'name'>) {
  return { id: ws.id, name: ws.name };
}
