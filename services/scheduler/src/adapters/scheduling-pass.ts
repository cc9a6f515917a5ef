/**
 * One scheduling pass in one transaction: fence on the lease, fail executions of lost nodes, claim the head of the
 * queue (SKIP LOCKED), place it, create executions and write the launch commands to the outbox.
 */
import {
  BuiltinErrorName,
  type Data,
  type LaunchExecution,
  type Resources,
  type SeedManifest,
  type Subjects,
} from '@scale/contracts';
import type { EntityManager, JobTypeConfiguration } from '@scale/db';
import { type NodeCapacity, placeJobs, type QueuedJob } from '../domain/placement.ts';
import { jobResources, subtract } from '../domain/resources.ts';
import { endExecution, lockLiveExecutionsOnNodes } from './executions.ts';
import { holdsLease } from './lease.ts';
import { jobStatusMessage, type OutboxMessage, writeOutbox } from './outbox.ts';

export interface PassContext {
  subjects: Subjects;
  holder: string;
  epoch: number;
  /** A node whose last heartbeat is older than this is lost. */
  nodeLostMs: number;
  /** How many queued jobs one pass looks at. */
  window: number;
}

export interface PassResult {
  fenced: boolean;
  launched: number;
  lostNodes: number;
}

interface QueueRow {
  id: string;
  job_type_id: number;
  num_exes: number;
  input: Data;
  input_file_size: number;
  manifest: SeedManifest;
  docker_image: string;
  name: string;
  version: string;
  configuration: JobTypeConfiguration;
  max_scheduled: number | null;
}

export async function schedulingPass(em: EntityManager, ctx: PassContext): Promise<PassResult> {
  if (!(await holdsLease(em, ctx.holder, ctx.epoch))) return { fenced: true, launched: 0, lostNodes: 0 };
  const lostNodes = await failLostNodes(em, ctx);
  const [settings] = await em.execute<{ is_paused: boolean; queue_mode: 'FIFO' | 'LIFO' }[]>(
    'select is_paused, queue_mode from scheduler where id = 1',
  );
  if (settings?.is_paused) return { fenced: false, launched: 0, lostNodes };

  const nodes = await em.execute<{ id: number; agent_id: string; resources: Resources; used: Resources | null }[]>(
    `select n.id, n.agent_id, n.resources, u.used
       from node n
       left join lateral (
         select json_build_object('cpus', coalesce(sum((e.resources->>'cpus')::float8), 0),
                                  'mem', coalesce(sum((e.resources->>'mem')::float8), 0),
                                  'disk', coalesce(sum((e.resources->>'disk')::float8), 0),
                                  'gpus', coalesce(sum((e.resources->>'gpus')::float8), 0)) as used
           from job_exe e where e.node_id = n.id and e.ended is null) u on true
      where n.is_active and not n.is_paused and n.state = 'READY'
        and n.last_heartbeat > now() - (? * interval '1 millisecond')`,
    [ctx.nodeLostMs],
  );
  if (nodes.length === 0) return { fenced: false, launched: 0, lostNodes };

  const order = settings?.queue_mode === 'LIFO' ? 'j.priority, j.queued desc, j.id desc' : 'j.priority, j.queued, j.id';
  const queue = await em.execute<QueueRow[]>(
    `select j.id, j.job_type_id, j.num_exes, j.input, j.input_file_size, r.manifest, r.docker_image,
            t.name, t.version, t.configuration, t.max_scheduled
       from job j
       join job_type t on t.id = j.job_type_id
       join job_type_revision r on r.id = j.job_type_rev_id
      where j.status = 'QUEUED' and not t.is_paused
      order by ${order}
      limit ?
      for update of j skip locked`,
    [ctx.window],
  );
  if (queue.length === 0) return { fenced: false, launched: 0, lostNodes };

  const running = await em.execute<{ job_type_id: number; count: string }[]>(
    'select job_type_id, count(*) as count from job_exe where ended is null group by job_type_id',
  );
  const queued: QueuedJob[] = queue.map((row) => ({
    jobId: Number(row.id),
    jobTypeId: row.job_type_id,
    need: jobResources(row.manifest, row.input_file_size),
  }));
  const capacities: NodeCapacity[] = nodes.map((n) => ({
    nodeId: n.id,
    free: subtract({ ...n.resources, gpus: n.resources.gpus ?? 0 }, n.used ?? { cpus: 0, mem: 0, disk: 0, gpus: 0 }),
  }));
  const placements = placeJobs(queued, capacities, {
    running: new Map(running.map((r) => [r.job_type_id, Number(r.count)])),
    maxPerJobType: new Map(queue.filter((q) => q.max_scheduled !== null).map((q) => [q.job_type_id, q.max_scheduled!])),
  });

  const rowById = new Map(queue.map((q) => [Number(q.id), q]));
  const needById = new Map(queued.map((q) => [q.jobId, q.need]));
  const agentByNode = new Map(nodes.map((n) => [n.id, n.agent_id]));
  const messages: OutboxMessage[] = [];
  for (const placement of placements) {
    const row = rowById.get(placement.jobId)!;
    const need = needById.get(placement.jobId)!;
    const exeNum = row.num_exes;
    const [exe] = await em.execute<{ id: string }[]>(
      `insert into job_exe (job_id, job_type_id, exe_num, cluster_id, node_id, epoch, docker_image, timeout,
                            input_file_size, resources, configuration, queued)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (select queued from job where id = ?)) returning id`,
      [
        placement.jobId,
        row.job_type_id,
        exeNum,
        `scale_${placement.jobId}_${exeNum}`,
        placement.nodeId,
        ctx.epoch,
        row.docker_image,
        row.manifest.job.timeout,
        row.input_file_size,
        JSON.stringify(need),
        JSON.stringify(row.configuration ?? {}),
        placement.jobId,
      ],
    );
    await em.execute(
      `update job set status = 'RUNNING', node_id = ?, started = coalesce(started, now()), last_status_change = now(),
              last_modified = now()
        where id = ? and status = 'QUEUED'`,
      [placement.nodeId, placement.jobId],
    );
    const jobExeId = Number(exe!.id);
    const launch: LaunchExecution = {
      token: { jobExeId, jobId: placement.jobId, exeNum, epoch: ctx.epoch },
      jobTypeName: row.name,
      jobTypeVersion: row.version,
      dockerImage: row.docker_image,
      manifest: row.manifest,
      input: row.input,
      resources: need,
      settings: settingValues(row.configuration),
      timeoutSeconds: row.manifest.job.timeout,
    };
    const agentId = agentByNode.get(placement.nodeId)!;
    messages.push({
      subject: ctx.subjects.nodeCommand(agentId, 'launch'),
      msgId: `launch:${jobExeId}`,
      payload: launch,
    });
    messages.push(jobStatusMessage(ctx.subjects, placement.jobId, 'RUNNING', exeNum));
  }
  await writeOutbox(em, messages);
  return { fenced: false, launched: placements.length, lostNodes };
}

function settingValues(configuration: JobTypeConfiguration | null): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(configuration?.settings ?? {})) {
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}

/** Marks nodes with stale heartbeats OFFLINE and fails their live executions with node-lost (retried). */
async function failLostNodes(em: EntityManager, ctx: PassContext): Promise<number> {
  const lost = await em.execute<{ id: number }[]>(
    `update node set state = 'OFFLINE', last_modified = now()
      where state <> 'OFFLINE' and last_heartbeat < now() - (? * interval '1 millisecond') returning id`,
    [ctx.nodeLostMs],
  );
  const offline = await em.execute<{ id: number }[]>(
    `select distinct n.id from node n join job_exe e on e.node_id = n.id and e.ended is null where n.state = 'OFFLINE'`,
  );
  const executions = await lockLiveExecutionsOnNodes(
    em,
    offline.map((n) => n.id),
  );
  for (const exe of executions) {
    await endExecution(em, ctx.subjects, exe, {
      status: 'FAILED',
      error: { name: BuiltinErrorName.nodeLost, jobTypeName: null },
      taskResults: [],
    });
  }
  return lost.length;
}
