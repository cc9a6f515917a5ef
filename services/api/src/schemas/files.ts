/** REST bodies and parameters of /v6/files/ and /v6/jobs/{id}/input_files/ (Scale v6 scale file documents). */
import { WorkspacePath } from '@scale/contracts';
import { z } from 'zod';
import { PageQuery } from '../http/pagination.ts';
import { orderParam, QueryInt, QueryTimestamp, repeated } from '../http/query.ts';
import { idParam, MAX_INT } from './common.ts';

/** Which timestamps started/ended filter on (Scale: last_modified, or the data or source time range). */
export const TimeField = z.enum(['last_modified', 'data', 'source'], {
  error: 'Not a valid choice; choose from last_modified, data, source.',
});

export const FILE_ORDER_FIELDS = [
  'id',
  'file_name',
  'file_size',
  'media_type',
  'created',
  'last_modified',
  'data_started',
  'data_ended',
  'source_started',
  'source_ended',
  'job_output',
] as const;

const timeRange = {
  started: QueryTimestamp.optional(),
  ended: QueryTimestamp.optional(),
  time_field: TimeField.optional(),
};

export const FileListQuery = z.object({
  ...PageQuery,
  ...timeRange,
  job_output: repeated(z.string().min(1)),
  job_type_id: repeated(QueryInt),
  job_type_name: repeated(z.string().min(1)),
  job_id: repeated(QueryInt),
  recipe_id: repeated(QueryInt),
  recipe_node: repeated(z.string().min(1)),
  recipe_type_id: repeated(QueryInt),
  batch_id: repeated(QueryInt),
  file_name: repeated(z.string().min(1)),
  workspace_id: repeated(QueryInt),
  order: orderParam(FILE_ORDER_FIELDS),
});

export const JobInputFileQuery = z.object({
  ...PageQuery,
  ...timeRange,
  file_name: repeated(z.string().min(1)),
  job_input: repeated(z.string().min(1)),
});

export const FileParams = z.object({ id: idParam() });
export const JobFilesParams = z.object({ id: idParam() });

/** POST /v6/files/: catalogue a file that is already in a workspace (a SOURCE file). */
export const RegisterFileBody = z.strictObject({
  workspace_id: z.number().int().positive().max(MAX_INT),
  /** Relative to the workspace folder. */
  file_path: WorkspacePath,
  /** Guessed from the file name's extension when absent. */
  media_type: z.string().min(1).max(250).optional(),
  data_type_tags: z.array(z.string().min(1)).optional(),
  data_started: z.iso.datetime({ offset: true }).optional(),
  data_ended: z.iso.datetime({ offset: true }).optional(),
  source_started: z.iso.datetime({ offset: true }).optional(),
  source_ended: z.iso.datetime({ offset: true }).optional(),
});
export type RegisterFileBody = z.infer<typeof RegisterFileBody>;

/** POST /v6/files/upload/: where the request body goes (the body is the file's bytes, application/octet-stream). */
export const UploadFileQuery = z.object({
  workspace_id: QueryInt,
  file_path: WorkspacePath,
  media_type: z.string().min(1).max(250).optional(),
});
