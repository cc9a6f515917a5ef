/** Reads of one job's executions (owned by the scheduler; the API only reads), for /v6/jobs/{id}/executions/. */
import type { ErrorCategory, ExecutionStatus } from '@scale/contracts';
import { type EntityManager, ErrorRow, Job, JobExe, JobType, JobTypeRevision, NodeRow } from '@scale/db';

export interface ExecutionFilters {
  status?: ExecutionStatus[] | undefined;
  nodeId?: number[] | undefined;
  errorId?: number[] | undefined;
  errorCategory?: ErrorCategory[] | undefined;
}

export interface JobExecutionRecords {
  jobType: JobType;
  revision: JobTypeRevision;
  count: number;
  /** Newest exe_num first. */
  rows: JobExe[];
  errors: Map<number, ErrorRow>;
  nodes: Map<number, NodeRow>;
}

async function related(em: EntityManager, rows: readonly JobExe[]) {
  const errorIds = [...new Set(rows.flatMap((r) => (r.errorId == null ? [] : [r.errorId])))];
  const nodeIds = [...new Set(rows.map((r) => r.nodeId))];
  const errors = errorIds.length ? await em.find(ErrorRow, { id: { $in: errorIds } }) : [];
  const nodes = nodeIds.length ? await em.find(NodeRow, { id: { $in: nodeIds } }) : [];
  return { errors: new Map(errors.map((e) => [e.id, e])), nodes: new Map(nodes.map((n) => [n.id, n])) };
}

/** A page of the job's executions, or null when the job does not exist. */
export async function listJobExecutions(
  em: EntityManager,
  jobId: number,
  filters: ExecutionFilters,
  window: { limit: number; offset: number },
): Promise<JobExecutionRecords | null> {
  const job = await em.findOne(Job, { id: jobId }, { fields: ['id', 'jobTypeId', 'jobTypeRevId'] });
  if (!job) return null;
  const categoryErrorIds = filters.errorCategory?.length
    ? (await em.find(ErrorRow, { category: { $in: filters.errorCategory } }, { fields: ['id'] })).map((e) => e.id)
    : undefined;
  const errorIds =
    filters.errorId?.length && categoryErrorIds
      ? filters.errorId.filter((id) => categoryErrorIds.includes(id))
      : filters.errorId?.length
        ? filters.errorId
        : categoryErrorIds;
  const where = {
    jobId,
    ...(filters.status?.length ? { status: { $in: filters.status } } : {}),
    ...(filters.nodeId?.length ? { nodeId: { $in: filters.nodeId } } : {}),
    ...(errorIds ? { errorId: { $in: errorIds } } : {}),
  };
  const [rows, count] = await em.findAndCount(JobExe, where, { orderBy: { exeNum: 'desc' }, ...window });
  return {
    jobType: await em.findOneOrFail(JobType, { id: job.jobTypeId }),
    revision: await em.findOneOrFail(JobTypeRevision, { id: job.jobTypeRevId }),
    count,
    rows,
    ...(await related(em, rows)),
  };
}

/** One execution of a job by its number, or null. */
export async function findJobExecution(
  em: EntityManager,
  jobId: number,
  exeNum: number,
): Promise<Omit<JobExecutionRecords, 'count'> | null> {
  const exe = await em.findOne(JobExe, { jobId, exeNum });
  if (!exe) return null;
  const job = await em.findOneOrFail(Job, { id: jobId }, { fields: ['id', 'jobTypeId', 'jobTypeRevId'] });
  return {
    jobType: await em.findOneOrFail(JobType, { id: job.jobTypeId }),
    revision: await em.findOneOrFail(JobTypeRevision, { id: job.jobTypeRevId }),
    rows: [exe],
    ...(await related(em, [exe])),
  };
}
