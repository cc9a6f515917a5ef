/** REST bodies and parameters of /v6/workspaces/ (Scale's workspace documents, v6). */
import { WorkspaceConfiguration } from '@scale/contracts';
import { z } from 'zod';
import { PageQuery } from '../http/pagination.ts';
import { orderParam, QueryTimestamp, repeated } from '../http/query.ts';
import { idParam, MAX_INT } from './common.ts';

const Title = z.string().trim().min(1, 'This field may not be blank.').max(50);
const Description = z.string().nullable();
const BaseUrl = z.url('Enter a valid URL.').max(1000).nullable();

/** POST /v6/workspaces/ (`name` is Scale's validation-only field; here it may also choose the name). */
export const CreateWorkspaceBody = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Must hold lower-case letters, digits and single dashes.')
    .max(50)
    .optional(),
  title: Title,
  description: Description.optional(),
  base_url: BaseUrl.optional(),
  is_active: z.boolean().optional(),
  configuration: WorkspaceConfiguration,
});
export type CreateWorkspaceBody = z.infer<typeof CreateWorkspaceBody>;

/** PATCH /v6/workspaces/{id}/: every field optional. */
export const EditWorkspaceBody = z.strictObject({
  title: Title.optional(),
  description: Description.optional(),
  base_url: BaseUrl.optional(),
  is_active: z.boolean().optional(),
  configuration: WorkspaceConfiguration.optional(),
});
export type EditWorkspaceBody = z.infer<typeof EditWorkspaceBody>;

export const WORKSPACE_ORDER_FIELDS = ['id', 'name', 'title', 'created', 'deprecated', 'last_modified'] as const;

export const WorkspaceListQuery = z.object({
  ...PageQuery,
  started: QueryTimestamp.optional(),
  ended: QueryTimestamp.optional(),
  name: repeated(z.string().min(1)),
  order: orderParam(WORKSPACE_ORDER_FIELDS),
});

export const WorkspaceParams = z.object({ id: idParam(MAX_INT) });
