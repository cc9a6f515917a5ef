/**
 * One scheduling pass in one transaction: fence on the lease, repair (lost nodes, stuck executions), read the head of
 * the queue, plan it, lock the jobs it places (SKIP LOCKED), create their executions, write the launch commands to the
 * outbox, and record why the jobs left queued were not placed. Only the placed jobs are locked: locking writes every
 * row, and a window is several times a pass's launches.
 */

import type { Data, JobConfigurationOverride, LaunchExecution, Resources, Subjects } from '@scale/contracts';
import { jobResources } from '@scale/contracts';
import type { EntityManager, JobTypeConfiguration } from '@scale/db';
import { encodeJson } from '@scale/runtime';
import { effectiveConfiguration } from '../domain/configuration.ts';
import { type Deferral, type NodeCapacity, planPass, type QueuedJob } from '../domain/placement.ts';
import { subtract } from '../domain/resources.ts';
import { launchFiles } from './launch-files.ts';
import { leaseAndSettings } from './lease.ts';
import { jobStatusMessage, noteWritten, OUTBOX_INSERT, type OutboxMessage } from './outbox.ts';
import type { Revision, RevisionCache } from './revisions.ts';
import { failLostNodes, failStuckExecutions, type WatchdogSettings } from './watchdog.ts';

export interface PassContext extends WatchdogSettings {
  subjects: Subjects;
  holder: string;
  epoch: number;
  /** How many queued jobs one pass looks at. */
  window: number;
  /** The job type revisions earlier passes read (they never change). */
  revisions: RevisionCache;
  /** How many of them one pass launches at most (placement.ts maxPlacements). @default unlimited */
  maxLaunches?: number;
  /** Capacity of the schedulable nodes at the previous pass (see capacityKey); parked jobs are retried on change. */
  previousCapacity: string | undefined;
  /**
   * Whether this pass also looks for lost nodes and stuck executions. Their deadlines are seconds long, so the
   * leader checks on its own cadence rather than in every pass of a busy queue, and not before it has heard
   * heartbeats for a whole node-lost deadline (domain/heartbeat-watch.ts). @default true
   */
  watchdog?: boolean;
}

export interface PassResult {
  fenced: boolean;
  launched: number;
  lostNodes: number;
  repaired: number;
  parked: number;
  /** Key of the schedulable nodes' capacity seen by this pass. */
  capacity: string | undefined;
  /** The pass stopped at maxLaunches: more may be placeable at once. */
  saturated?: boolean;
  /** Milliseconds from the pass's start to its plan (nodes and queue read, placements decided), before any write. */
  decisionMs?: number;
}

interface NodeRow {
  id: number;
  agent_id: string;
  resources: Resources;
  used: Resources;
}

/** What planning needs of a queued job: small, since a pass reads a whole window of them. */
interface QueueHeadRow {
  id: string;
  job_type_id: number;
  job_type_rev_id: number;
  input_file_size: number;
  max_scheduled: number | null;
}

/** A placed job, locked: what its launch needs. */
interface ClaimedRow {
  id: string;
  num_exes: number;
  input: Data;
  /** What the job carries over its type's configuration (a recipe's workspaces, mounts, settings). */
  job_configuration: JobConfigurationOverride | null;
  /** Read with the claim: a job type's configuration can change between passes. */
  type_configuration: JobTypeConfiguration | null;
  /** The id its execution will have (drawn from the job_exe sequence by the claim). */
  exe_id: string;
}

type QueueRow = QueueHeadRow &
  Omit<Revision, 'id'> &
  Omit<ClaimedRow, 'id' | 'job_configuration' | 'type_configuration'> & {
    configuration: JobTypeConfiguration | null;
  };

export async function schedulingPass(em: EntityManager, ctx: PassContext): Promise<PassResult> {
  const started = performance.now();
  const result: PassResult = {
    fenced: false,
    launched: 0,
    lostNodes: 0,
    repaired: 0,
    parked: 0,
    capacity: ctx.previousCapacity,
  };
  const settings = await leaseAndSettings(em, ctx.holder, ctx.epoch);
  if (!settings) return { ...result, fenced: true };
  if (ctx.watchdog ?? true) {
    result.lostNodes = await failLostNodes(em, ctx.subjects, ctx);
    result.repaired = await failStuckExecutions(em, ctx.subjects, ctx);
  }
  if (settings.is_paused) return result;

  const nodes = await schedulableNodes(em, ctx.nodeLostMs);
  if (nodes.length === 0) return result;
  result.capacity = capacityKey(nodes);
  if (result.capacity !== ctx.previousCapacity) {
    // New or larger nodes may now fit parked jobs: put them back in the window.
    await em.execute(`update job set unplaceable = false where status = 'QUEUED' and unplaceable`);
  }

  const capacities: NodeCapacity[] = nodes.map((n) => {
    const total = { ...n.resources, gpus: n.resources.gpus ?? 0 };
    return { nodeId: n.id, total, free: subtract(total, n.used) };
  });
  // A full cluster places nothing: leave the queue unlocked until an execution ends or a node joins.
  if (!capacities.some((n) => n.free.cpus > 0 && n.free.mem > 0)) return result;
  const queue = await readQueueHead(em, settings.queue_mode, ctx.window);
  if (queue.length === 0) return result;
  const maxPerJobType = new Map(
    queue.filter((q) => q.max_scheduled !== null).map((q) => [q.job_type_id, q.max_scheduled!]),
  );
  const running = await runningPerJobType(em, [...maxPerJobType.keys()]);
  const revisions = await ctx.revisions.read(
    em,
    queue.map((q) => q.job_type_rev_id),
  );
  const queued: QueuedJob[] = queue.map((row) => ({
    jobId: Number(row.id),
    jobTypeId: row.job_type_id,
    need: jobResources(revisions.get(row.job_type_rev_id)!.manifest, row.input_file_size),
  }));
  const plan = planPass(queued, capacities, {
    running,
    maxPerJobType,
    ...(ctx.maxLaunches === undefined ? {} : { maxPlacements: ctx.maxLaunches }),
  });
  const decisionMs = Math.round((performance.now() - started) * 100) / 100;

  const rows = new Map(queue.map((q) => [Number(q.id), q]));
  const needs = new Map(queued.map((q) => [q.jobId, q.need]));
  const agents = new Map(nodes.map((n) => [n.id, n.agent_id]));
  // A job a command is canceling right now is skipped; one that left QUEUED meanwhile is dropped.
  const claimed = await claimJobs(
    em,
    plan.placements.map((p) => p.jobId),
  );
  const launches = plan.placements.flatMap(({ jobId, nodeId }) => {
    const job = claimed.get(jobId);
    if (!job) return [];
    const head = rows.get(jobId)!;
    const { id: _, ...revision } = revisions.get(head.job_type_rev_id)!;
    const { id: _claimed, job_configuration, type_configuration, ...claimedJob } = job;
    const row: QueueRow = {
      ...head,
      ...revision,
      ...claimedJob,
      configuration: effectiveConfiguration(type_configuration, job_configuration),
    };
    return [{ row, need: needs.get(jobId)!, nodeId, agentId: agents.get(nodeId)! }];
  });
  await launch(em, ctx, launches);
  await recordDeferrals(em, plan.parked, true);
  await recordDeferrals(em, plan.waiting, false);
  return {
    ...result,
    launched: launches.length,
    parked: plan.parked.length,
    saturated: plan.placements.length === ctx.maxLaunches,
    decisionMs,
  };
}

/**
 * The nodes a pass may place on, share-locked until it commits: a node paused (or changed) by a command that
 * returned before a job was queued is never given that job by a pass that read the node earlier — the command's
 * UPDATE waits for the pass, or the pass for the command and then sees the node paused.
 */
async function schedulableNodes(em: EntityManager, nodeLostMs: number): Promise<NodeRow[]> {
  return em.execute<NodeRow[]>(
    `select n.id, n.agent_id, n.resources, u.used
       from node n
       cross join lateral (
         select json_build_object('cpus', coalesce(sum((e.resources->>'cpus')::float8), 0),
                                  'mem', coalesce(sum((e.resources->>'mem')::float8), 0),
                                  'disk', coalesce(sum((e.resources->>'disk')::float8), 0),
                                  'gpus', coalesce(sum((e.resources->>'gpus')::float8), 0)) as used
           from job_exe e where e.node_id = n.id and e.ended is null) u
      where n.is_active and not n.is_paused and n.state = 'READY'
        and n.last_heartbeat > now() - (? * interval '1 millisecond')
      order by n.id
      for share of n`,
    [nodeLostMs],
  );
}

/** Identifies the set of schedulable nodes and their totals: it changes when nodes join, leave or grow. */
function capacityKey(nodes: readonly NodeRow[]): string {
  return nodes.map((n) => `${n.id}:${JSON.stringify(n.resources)}`).join('|');
}

async function readQueueHead(em: EntityManager, mode: 'FIFO' | 'LIFO', window: number): Promise<QueueHeadRow[]> {
  const order = mode === 'LIFO' ? 'j.priority, j.queued desc, j.id desc' : 'j.priority, j.queued, j.id';
  return em.execute<QueueHeadRow[]>(
    `select j.id, j.job_type_id, j.job_type_rev_id, j.input_file_size, t.max_scheduled
       from job j
       join job_type t on t.id = j.job_type_id
      where j.status = 'QUEUED' and not j.unplaceable and not t.is_paused
      order by ${order}
      limit ?`,
    [window],
  );
}

/** Live executions per job type, of the job types given (those with a max_scheduled): none, no query. */
async function runningPerJobType(em: EntityManager, jobTypeIds: readonly number[]): Promise<Map<number, number>> {
  if (jobTypeIds.length === 0) return new Map();
  const rows = await em.execute<{ job_type_id: number; count: string }[]>(
    `select job_type_id, count(*) as count from job_exe
      where ended is null and job_type_id in (?) group by job_type_id`,
    [jobTypeIds],
  );
  return new Map(rows.map((r) => [r.job_type_id, Number(r.count)]));
}

/**
 * Locks the jobs a pass places and reads them, returning those still QUEUED; one locked elsewhere waits a pass. Each
 * gets the id of its execution-to-be, so its launch command is complete before the execution is written.
 */
async function claimJobs(em: EntityManager, jobIds: readonly number[]): Promise<Map<number, ClaimedRow>> {
  if (jobIds.length === 0) return new Map();
  const rows = await em.execute<ClaimedRow[]>(
    `select j.id, j.num_exes, j.input, j.configuration as job_configuration, t.configuration as type_configuration,
            nextval('job_exe_id_seq') as exe_id
       from job j join job_type t on t.id = j.job_type_id
      where j.id in (?) and j.status = 'QUEUED'
      order by j.id
      for update of j skip locked`,
    [jobIds],
  );
  return new Map(rows.map((r) => [Number(r.id), r]));
}

interface Launch {
  row: QueueRow;
  need: Resources;
  nodeId: number;
  agentId: string;
}

/**
 * Creates the executions of a pass's placements, marks their jobs RUNNING and writes their launch commands and status
 * events to the outbox: one statement whatever the number of placements.
 */
async function launch(em: EntityManager, ctx: PassContext, launches: readonly Launch[]): Promise<void> {
  if (launches.length === 0) return;
  // Agents hold no database access: input file locations, output workspaces and mounts travel in the command.
  const files = await launchFiles(
    em,
    launches.map((l) => l.row),
  );
  const executions = launches.map(({ row, need, nodeId }) => ({
    id: Number(row.exe_id),
    jobId: Number(row.id),
    jobTypeId: row.job_type_id,
    exeNum: row.num_exes,
    clusterId: `scale_${row.id}_${row.num_exes}`,
    nodeId,
    dockerImage: row.docker_image,
    timeout: row.manifest.job.timeout,
    inputFileSize: row.input_file_size,
    resources: need,
    configuration: row.configuration ?? {},
  }));
  const messages = launches.flatMap(({ row, need, agentId }): OutboxMessage[] => {
    const jobId = Number(row.id);
    const jobExeId = Number(row.exe_id);
    const command: LaunchExecution = {
      token: { jobExeId, jobId, exeNum: row.num_exes, epoch: ctx.epoch },
      jobTypeName: row.name,
      jobTypeVersion: row.version,
      dockerImage: row.docker_image,
      manifest: row.manifest,
      input: row.input,
      resources: need,
      settings: settingValues(row.configuration),
      timeoutSeconds: row.manifest.job.timeout,
      ...files.get(jobId),
    };
    return [
      { subject: ctx.subjects.nodeCommand(agentId, 'launch'), msgId: `launch:${jobExeId}`, payload: command },
      jobStatusMessage(ctx.subjects, jobId, 'RUNNING', row.num_exes),
    ];
  });
  // Data-modifying CTEs run whether or not the statement reads them; all of them see the job rows as the claim left.
  const sent = await em.execute<{ id: string }[]>(
    `with x as (select x from jsonb_array_elements(?::jsonb) x),
     created as (
       insert into job_exe (id, job_id, job_type_id, exe_num, cluster_id, node_id, epoch, docker_image, timeout,
                            input_file_size, resources, configuration, queued)
       select (x->>'id')::bigint, (x->>'jobId')::bigint, (x->>'jobTypeId')::int, (x->>'exeNum')::int,
              x->>'clusterId', (x->>'nodeId')::int, ?, x->>'dockerImage', (x->>'timeout')::int,
              (x->>'inputFileSize')::float8, x->'resources', x->'configuration', j.queued
         from x join job j on j.id = (x->>'jobId')::bigint
     ),
     running as (
       update job j set status = 'RUNNING', node_id = (x->>'nodeId')::int, started = coalesce(j.started, now()),
              queue_reason = null, last_status_change = now(), last_modified = now()
         from x
        where j.id = (x->>'jobId')::bigint and j.status = 'QUEUED'
     )
     ${OUTBOX_INSERT}`,
    [JSON.stringify(executions), ctx.epoch, encodeJson(messages)],
  );
  noteWritten(
    em,
    sent.map((row) => String(row.id)),
    messages,
  );
}

function settingValues(configuration: JobTypeConfiguration | null): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(configuration?.settings ?? {})) {
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}

/** Stores why jobs stay queued; rows are written only when their reason changed, so a steady queue costs nothing. */
async function recordDeferrals(em: EntityManager, deferrals: readonly Deferral[], park: boolean): Promise<void> {
  if (deferrals.length === 0) return;
  await em.execute(
    `update job j set queue_reason = d->>'reason', unplaceable = ?
       from jsonb_array_elements(?::jsonb) d
      where j.id = (d->>'jobId')::bigint and j.status = 'QUEUED'
        and (j.queue_reason is distinct from d->>'reason' or j.unplaceable <> ?)`,
    [park, JSON.stringify(deferrals), park],
  );
}
