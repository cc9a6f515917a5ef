/**
 * Reads of the files catalogue (scale_file) for /v6/files/ and a job's input files, with the workspaces and job
 * types the bodies nest, loaded in a few small queries per page.
 */
import { type EntityManager, JobType, ScaleFile, Workspace } from '@scale/db';

export type FileOrderField =
  | 'id'
  | 'file_name'
  | 'file_size'
  | 'media_type'
  | 'created'
  | 'last_modified'
  | 'data_started'
  | 'data_ended'
  | 'source_started'
  | 'source_ended'
  | 'job_output';

const ORDER_COLUMNS = {
  id: 'id',
  file_name: 'fileName',
  file_size: 'fileSize',
  media_type: 'mediaType',
  created: 'created',
  last_modified: 'lastModified',
  data_started: 'dataStarted',
  data_ended: 'dataEnded',
  source_started: 'sourceStarted',
  source_ended: 'sourceEnded',
  job_output: 'jobOutput',
} as const satisfies Record<FileOrderField, keyof ScaleFile>;

export interface FileFilters {
  started?: Date | undefined;
  ended?: Date | undefined;
  timeField?: 'last_modified' | 'data' | 'source' | undefined;
  jobOutput?: string[] | undefined;
  jobTypeId?: number[] | undefined;
  jobTypeName?: string[] | undefined;
  jobId?: number[] | undefined;
  recipeId?: number[] | undefined;
  recipeNode?: string[] | undefined;
  recipeTypeId?: number[] | undefined;
  batchId?: number[] | undefined;
  fileName?: string[] | undefined;
  workspaceId?: number[] | undefined;
  /** Only these files (a job's inputs). */
  ids?: number[] | undefined;
  order?: { field: FileOrderField; descending: boolean }[] | undefined;
}

/** A page of files with what their bodies nest. */
export interface FileRecords {
  count: number;
  rows: ScaleFile[];
  workspaces: Map<number, Workspace>;
  jobTypes: Map<number, JobType>;
}

/** Scale's time_field: last_modified in the range, or the file's data/source range inside it. */
function timeWhere(filters: FileFilters) {
  const { started, ended } = filters;
  if (!started && !ended) return {};
  switch (filters.timeField ?? 'last_modified') {
    case 'last_modified':
      return { lastModified: { ...(started ? { $gte: started } : {}), ...(ended ? { $lte: ended } : {}) } };
    case 'data':
      return {
        ...(started ? { dataStarted: { $gte: started } } : {}),
        ...(ended ? { dataEnded: { $lte: ended } } : {}),
      };
    case 'source':
      return {
        ...(started ? { sourceStarted: { $gte: started } } : {}),
        ...(ended ? { sourceEnded: { $lte: ended } } : {}),
      };
  }
}

async function jobTypeIdsNamed(em: EntityManager, names: string[]): Promise<number[]> {
  const rows = await em.find(JobType, { name: { $in: names } }, { fields: ['id'] });
  return rows.map((r) => r.id);
}

export async function listFiles(
  em: EntityManager,
  filters: FileFilters,
  window: { limit: number; offset: number },
): Promise<FileRecords> {
  const jobTypeIds = [
    ...(filters.jobTypeId ?? []),
    ...(filters.jobTypeName?.length ? await jobTypeIdsNamed(em, filters.jobTypeName) : []),
  ];
  const byJobType = filters.jobTypeId?.length || filters.jobTypeName?.length;
  const where = {
    ...timeWhere(filters),
    ...(filters.ids ? { id: { $in: filters.ids } } : {}),
    ...(filters.jobOutput?.length ? { jobOutput: { $in: filters.jobOutput } } : {}),
    ...(byJobType ? { jobTypeId: { $in: jobTypeIds } } : {}),
    ...(filters.jobId?.length ? { jobId: { $in: filters.jobId } } : {}),
    ...(filters.recipeId?.length ? { recipeId: { $in: filters.recipeId } } : {}),
    ...(filters.recipeNode?.length ? { recipeNode: { $in: filters.recipeNode } } : {}),
    ...(filters.recipeTypeId?.length ? { recipeTypeId: { $in: filters.recipeTypeId } } : {}),
    ...(filters.batchId?.length ? { batchId: { $in: filters.batchId } } : {}),
    ...(filters.fileName?.length ? { fileName: { $in: filters.fileName } } : {}),
    ...(filters.workspaceId?.length ? { workspaceId: { $in: filters.workspaceId } } : {}),
  };
  const order = filters.order?.length ? filters.order : [{ field: 'last_modified' as const, descending: false }];
  const orderBy = [
    ...order.map((o) => ({ [ORDER_COLUMNS[o.field]]: o.descending ? 'desc' : 'asc' })),
    { id: 'asc' },
  ] as { [K in keyof ScaleFile]?: 'asc' | 'desc' }[];
  const [rows, count] = await em.findAndCount(ScaleFile, where, { orderBy, ...window });
  return { count, rows, ...(await nested(em, rows)) };
}

/** One file (the only row) with what its body nests. */
export type FileRecord = Omit<FileRecords, 'count'>;

export async function findFile(em: EntityManager, id: number): Promise<FileRecord | null> {
  const file = await em.findOne(ScaleFile, { id });
  if (!file) return null;
  return { rows: [file], ...(await nested(em, [file])) };
}

/**
 * What a v5 job details body shows of files: the files of its input and the products it wrote (by job id, so
 * products of a failed execution that never made the output are listed too), with what their bodies nest.
 */
export async function jobDetailFiles(
  em: EntityManager,
  jobId: number,
  inputIds: readonly number[],
): Promise<FileRecord> {
  const rows = await em.find(
    ScaleFile,
    { $or: [...(inputIds.length ? [{ id: { $in: [...inputIds] } }] : []), { jobId }] },
    { orderBy: { id: 'asc' } },
  );
  return { rows, ...(await nested(em, rows)) };
}

/** The input files of a page of jobs (job_input_file), each job's file ids in file id order. */
export interface JobsInputFiles extends FileRecord {
  byJob: Map<number, number[]>;
}

export async function jobsInputFiles(em: EntityManager, jobIds: readonly number[]): Promise<JobsInputFiles> {
  const links = jobIds.length
    ? await em.execute<{ job_id: string; input_file_id: string }[]>(
        'select distinct job_id, input_file_id from job_input_file where job_id in (?) order by job_id, input_file_id',
        [[...jobIds]],
      )
    : [];
  const byJob = new Map<number, number[]>();
  for (const link of links) {
    const jobId = Number(link.job_id);
    byJob.set(jobId, [...(byJob.get(jobId) ?? []), Number(link.input_file_id)]);
  }
  const ids = [...new Set(links.map((l) => Number(l.input_file_id)))];
  const rows = ids.length ? await em.find(ScaleFile, { id: { $in: ids } }) : [];
  return { byJob, rows, ...(await nested(em, rows)) };
}

async function nested(em: EntityManager, rows: readonly ScaleFile[]) {
  const workspaceIds = [...new Set(rows.map((r) => r.workspaceId))];
  const jobTypeIds = [...new Set(rows.flatMap((r) => (r.jobTypeId == null ? [] : [r.jobTypeId])))];
  const workspaces = workspaceIds.length ? await em.find(Workspace, { id: { $in: workspaceIds } }) : [];
  const jobTypes = jobTypeIds.length ? await em.find(JobType, { id: { $in: jobTypeIds } }) : [];
  return {
    workspaces: new Map(workspaces.map((w) => [w.id, w])),
    jobTypes: new Map(jobTypes.map((t) => [t.id, t])),
  };
}

/** The distinct files linked to a job's inputs (all inputs, or the named ones); null when the job does not exist. */
export async function jobInputFileIds(em: EntityManager, jobId: number, inputs?: string[]): Promise<number[] | null> {
  const [job] = await em.execute<{ id: string }[]>('select id from job where id = ?', [jobId]);
  if (!job) return null;
  const rows = await em.execute<{ input_file_id: string }[]>(
    `select distinct input_file_id from job_input_file where job_id = ?${inputs?.length ? ' and job_input in (?)' : ''}`,
    inputs?.length ? [jobId, inputs] : [jobId],
  );
  return rows.map((r) => Number(r.input_file_id));
}
