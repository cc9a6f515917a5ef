/** Everything a job detail response (v5 or v6) shows, read from Postgres in a handful of small queries. */
import { type EntityManager, ErrorRow, Job, JobExe, JobType, JobTypeRevision, NodeRow } from '@scale/db';
import { fileIdsOf } from '../domain/interface-values.ts';
import type { QueueFacts } from '../domain/queue-reason.ts';
import { type FileRecord, jobDetailFiles } from './files.ts';
import { type JobLinks, loadJobLinks } from './job-links.ts';
import { loadQueueFacts } from './scheduler-state.ts';

export interface JobDetailsRecord {
  job: Job;
  jobType: JobType;
  revision: JobTypeRevision;
  /** Newest first. */
  executions: JobExe[];
  errors: Map<number, ErrorRow>;
  nodes: Map<number, NodeRow>;
  /** Recipe, batch, supersede chain, job type versions. */
  links: JobLinks;
  /** Loaded for QUEUED jobs only: what holds every queued job back (serializers/queue-reason). */
  queueFacts?: QueueFacts;
}

export async function loadJobDetails(em: EntityManager, id: number): Promise<JobDetailsRecord | null> {
  const job = await em.findOne(Job, { id });
  if (!job) return null;
  const jobType = await em.findOneOrFail(JobType, { id: job.jobTypeId });
  const revision = await em.findOneOrFail(JobTypeRevision, { id: job.jobTypeRevId });
  const executions = await em.find(JobExe, { jobId: job.id }, { orderBy: { exeNum: 'desc' } });
  const errorIds = unique([job.errorId, ...executions.map((e) => e.errorId)]);
  const nodeIds = unique([job.nodeId, ...executions.map((e) => e.nodeId)]);
  const errors = errorIds.length ? await em.find(ErrorRow, { id: { $in: errorIds } }) : [];
  const nodes = nodeIds.length ? await em.find(NodeRow, { id: { $in: nodeIds } }) : [];
  return {
    job,
    jobType,
    revision,
    executions,
    errors: new Map(errors.map((e) => [e.id, e])),
    nodes: new Map(nodes.map((n) => [n.id, n])),
    links: await loadJobLinks(em, job.id, jobType.name),
    ...(job.status === 'QUEUED' ? { queueFacts: await loadQueueFacts(em) } : {}),
  };
}

/** The files a v5 details body prints in full: its inputs and its products. */
export function loadJobDetailFiles(em: EntityManager, record: JobDetailsRecord): Promise<FileRecord> {
  return jobDetailFiles(em, record.job.id, fileIdsOf(record.job.input));
}

function unique(ids: (number | null | undefined)[]): number[] {
  return [...new Set(ids.filter((id): id is number => typeof id === 'number'))];
}
