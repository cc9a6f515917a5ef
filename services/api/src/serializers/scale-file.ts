/** Scale files as Scale's v6 documents print them (GET /v6/files/, /v6/files/{id}/, a job's input files). */
import type { JobType, ScaleFile, Workspace } from '@scale/db';
import { iso } from './common.ts';
import { workspaceSummaryV6 } from './workspace.ts';

export interface FileContext {
  workspaces: ReadonlyMap<number, Workspace>;
  jobTypes: ReadonlyMap<number, JobType>;
}

/** Scale joins the workspace's base URL and the file's path; no base URL, no URL. */
export function fileUrl(baseUrl: string | null | undefined, filePath: string): string | null {
  return baseUrl ? `${baseUrl.replace(/\/+$/, '')}/${filePath}` : null;
}

function jobTypeOfFile(jt: JobType | undefined) {
  return jt
    ? {
        id: jt.id,
        name: jt.name,
        title: jt.title ?? null,
        description: jt.description ?? null,
        revision_num: jt.revisionNum,
        icon_code: jt.iconCode ?? null,
      }
    : null;
}

const ref = (id: number | null | undefined) => (id == null ? null : { id });

export function scaleFileV6(file: ScaleFile, ctx: FileContext) {
  const workspace = ctx.workspaces.get(file.workspaceId);
  return {
    id: file.id,
    workspace: workspace ? workspaceSummaryV6(workspace) : { id: file.workspaceId, name: null },
    file_name: file.fileName,
    media_type: file.mediaType,
    file_size: Number(file.fileSize),
    is_deleted: file.isDeleted,
    url: fileUrl(workspace?.baseUrl, file.filePath),
    created: iso(file.created),
    deleted: iso(file.deleted),
    data_started: iso(file.dataStarted),
    data_ended: iso(file.dataEnded),
    geometry: null,
    center_point: null,
    countries: file.countries ?? [],
    last_modified: iso(file.lastModified),
    file_path: file.filePath,
    source_started: iso(file.sourceStarted),
    source_ended: iso(file.sourceEnded),
    job: ref(file.jobId),
    job_exe: ref(file.jobExeId),
    job_output: file.jobOutput ?? null,
    job_type: file.jobTypeId == null ? null : jobTypeOfFile(ctx.jobTypes.get(file.jobTypeId)),
    recipe: ref(file.recipeId),
    recipe_node: file.recipeNode ?? null,
    recipe_type: ref(file.recipeTypeId),
    batch: ref(file.batchId),
    is_superseded: file.isSuperseded,
    superseded: iso(file.superseded),
  };
}

/** The details add the file's metadata. */
export function scaleFileDetailsV6(file: ScaleFile, ctx: FileContext) {
  const { countries, ...rest } = scaleFileV6(file, ctx);
  return { ...rest, meta_data: file.metaData ?? null, countries };
}

/**
 * A file as the v5 documents print it (seed 001, "Scale File Details"): the workspace as {id, name}; a product
 * (a job's output) adds its publication fields and the job, execution and job type that made it.
 */
export function scaleFileV5(file: ScaleFile, ctx: FileContext) {
  const workspace = ctx.workspaces.get(file.workspaceId);
  const body = {
    id: file.id,
    workspace: { id: file.workspaceId, name: workspace?.name ?? null },
    file_name: file.fileName,
    media_type: file.mediaType,
    file_size: Number(file.fileSize),
    data_type: file.dataTypeTags ?? [],
    is_deleted: file.isDeleted,
    uuid: file.uuid ?? null,
    url: fileUrl(workspace?.baseUrl, file.filePath),
    created: iso(file.created),
    deleted: iso(file.deleted),
    data_started: iso(file.dataStarted),
    data_ended: iso(file.dataEnded),
    geometry: null,
    center_point: null,
    meta_data: file.metaData ?? {},
    last_modified: iso(file.lastModified),
  };
  if (file.fileType !== 'PRODUCT') return body;
  return {
    ...body,
    is_operational: true,
    is_published: file.isPublished,
    published: iso(file.published),
    unpublished: iso(file.unpublished),
    job_type: ref(file.jobTypeId),
    job: ref(file.jobId),
    job_exe: ref(file.jobExeId),
  };
}
