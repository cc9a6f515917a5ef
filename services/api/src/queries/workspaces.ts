/** Workspaces: catalogue data the API owns (ADR 0001), read and written here in one transaction per request. */
import type { WorkspaceConfiguration } from '@scale/contracts';
import { type EntityManager, Workspace } from '@scale/db';

export type WorkspaceOrderField = 'id' | 'name' | 'title' | 'created' | 'deprecated' | 'last_modified';

export interface WorkspaceFilters {
  /** On last_modified, as Scale's workspace list does. */
  started?: Date | undefined;
  ended?: Date | undefined;
  name?: string[] | undefined;
  order?: { field: WorkspaceOrderField; descending: boolean }[] | undefined;
}

const ORDER_COLUMNS = {
  id: 'id',
  name: 'name',
  title: 'title',
  created: 'created',
  deprecated: 'deprecated',
  last_modified: 'lastModified',
} as const satisfies Record<WorkspaceOrderField, keyof Workspace>;

export function findWorkspace(em: EntityManager, id: number): Promise<Workspace | null> {
  return em.findOne(Workspace, { id });
}

export function findWorkspaceByName(em: EntityManager, name: string): Promise<Workspace | null> {
  return em.findOne(Workspace, { name });
}

export async function listWorkspaces(
  em: EntityManager,
  filters: WorkspaceFilters,
  window: { limit: number; offset: number },
): Promise<{ count: number; rows: Workspace[] }> {
  const lastModified = {
    ...(filters.started ? { $gte: filters.started } : {}),
    ...(filters.ended ? { $lte: filters.ended } : {}),
  };
  const where = {
    ...(Object.keys(lastModified).length ? { lastModified } : {}),
    ...(filters.name?.length ? { name: { $in: filters.name } } : {}),
  };
  const order = filters.order?.length ? filters.order : [{ field: 'name' as const, descending: false }];
  const orderBy = [
    ...order.map((o) => ({ [ORDER_COLUMNS[o.field]]: o.descending ? 'desc' : 'asc' })),
    { id: 'asc' },
  ] as { [K in keyof Workspace]?: 'asc' | 'desc' }[];
  const [rows, count] = await em.findAndCount(Workspace, where, { orderBy, ...window });
  return { count, rows };
}

export interface NewWorkspace {
  name: string;
  title: string;
  description: string | null;
  baseUrl: string | null;
  isActive: boolean;
  configuration: WorkspaceConfiguration;
}

/** Inserts the workspace unless its name is taken; returns the new row, or null when the name exists. */
export async function insertWorkspace(em: EntityManager, ws: NewWorkspace): Promise<number | null> {
  const rows = await em.execute<{ id: number }[]>(
    `insert into workspace (name, title, description, base_url, is_active, json_config, deprecated)
     values (?, ?, ?, ?, ?, ?, case when ? then null else now() end)
     on conflict (name) do nothing returning id`,
    [ws.name, ws.title, ws.description, ws.baseUrl, ws.isActive, JSON.stringify(ws.configuration), ws.isActive],
  );
  return rows[0]?.id ?? null;
}

export interface WorkspaceChanges {
  title?: string | undefined;
  description?: string | null | undefined;
  baseUrl?: string | null | undefined;
  isActive?: boolean | undefined;
  configuration?: WorkspaceConfiguration | undefined;
}

/**
 * Applies the changes; `deprecated` follows is_active (set when deactivated, cleared when reactivated, kept
 * otherwise). Returns false when the workspace does not exist.
 */
export async function updateWorkspace(em: EntityManager, id: number, changes: WorkspaceChanges): Promise<boolean> {
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (column: string, value: unknown) => {
    sets.push(`${column} = ?`);
    params.push(value);
  };
  if (changes.title !== undefined) set('title', changes.title);
  if (changes.description !== undefined) set('description', changes.description);
  if (changes.baseUrl !== undefined) set('base_url', changes.baseUrl);
  if (changes.configuration !== undefined) set('json_config', JSON.stringify(changes.configuration));
  if (changes.isActive !== undefined) {
    set('is_active', changes.isActive);
    sets.push(`deprecated = case when ? then null else coalesce(deprecated, now()) end`);
    params.push(changes.isActive);
  }
  sets.push('last_modified = now()');
  const rows = await em.execute<{ id: number }[]>(`update workspace set ${sets.join(', ')} where id = ? returning id`, [
    ...params,
    id,
  ]);
  return rows.length > 0;
}
