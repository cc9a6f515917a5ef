/** Ends executions and moves their jobs on, with guarded UPDATEs (correctness rules 3 and 5). */
import type { Data, ErrorCategory, SeedManifest, Subjects, TaskResult, TaskUpdate } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { type ErrorRef, errorForFailure, shouldRetry } from '../domain/outcome.ts';
import { jobStatusMessage, noteWritten, writeOutbox } from './outbox.ts';
import { registerOutputFiles } from './output-files.ts';

export interface LiveExecution {
  id: number;
  jobId: number;
  exeNum: number;
  maxTries: number;
  isLongRunning: boolean;
  manifest: SeedManifest;
}

export type ExecutionEnd =
  | { status: 'COMPLETED'; output: Data; taskResults: TaskResult[] }
  | { status: 'FAILED'; error: ErrorRef; taskResults: TaskResult[] };

const LIVE_EXECUTION_SQL = `
  select e.id, e.job_id, e.exe_num, j.max_tries, t.is_long_running, r.manifest
    from job_exe e
    join job j on j.id = e.job_id
    join job_type t on t.id = j.job_type_id
    join job_type_revision r on r.id = j.job_type_rev_id
   where e.ended is null`;

interface LiveRow {
  id: string;
  job_id: string;
  exe_num: number;
  max_tries: number;
  is_long_running: boolean;
  manifest: SeedManifest;
}

function toLive(row: LiveRow): LiveExecution {
  return {
    id: Number(row.id),
    jobId: Number(row.job_id),
    exeNum: row.exe_num,
    maxTries: row.max_tries,
    isLongRunning: row.is_long_running,
    manifest: row.manifest,
  };
}

/** Locks and returns the live execution that this token names, or null if it ended or never existed (stale). */
export async function lockLiveExecution(
  em: EntityManager,
  token: { jobExeId: number; jobId: number; exeNum: number },
): Promise<LiveExecution | null> {
  const rows = await em.execute<LiveRow[]>(
    `${LIVE_EXECUTION_SQL} and e.id = ? and e.job_id = ? and e.exe_num = ? for update of e, j`,
    [token.jobExeId, token.jobId, token.exeNum],
  );
  return rows[0] ? toLive(rows[0]) : null;
}

/** Locks the live executions matching a condition over `job_exe e`, `job j` and `job_type t` (watchdog repairs). */
export async function lockLiveExecutions(
  em: EntityManager,
  where: string,
  params: unknown[],
): Promise<LiveExecution[]> {
  const rows = await em.execute<LiveRow[]>(`${LIVE_EXECUTION_SQL} and ${where} for update of e, j skip locked`, params);
  return rows.map(toLive);
}

interface ErrorInfo {
  id: number;
  category: ErrorCategory;
  should_be_retried: boolean;
}

async function findError(em: EntityManager, ref: ErrorRef): Promise<ErrorInfo> {
  const rows = await em.execute<ErrorInfo[]>(
    `select id, category, should_be_retried from error
      where (name = ? and job_type_name is not distinct from ?) or (name = 'algorithm-unknown' and job_type_name is null)
      order by (name = ?) desc limit 1`,
    [ref.name, ref.jobTypeName, ref.name],
  );
  return rows[0]!;
}

/** Records the end of a live execution and applies it to its job: COMPLETED, FAILED, or QUEUED again for a retry. */
export async function endExecution(
  em: EntityManager,
  subjects: Subjects,
  exe: LiveExecution,
  end: ExecutionEnd,
): Promise<void> {
  if (end.status === 'COMPLETED') {
    await em.execute(
      `update job_exe set status = 'COMPLETED', ended = now(), task_results = ?, output = ? where id = ? and ended is null`,
      [JSON.stringify(end.taskResults), JSON.stringify(end.output), exe.id],
    );
    const updated = await em.execute<{ id: string }[]>(
      `update job set status = 'COMPLETED', output = ?, ended = now(), last_status_change = now(), last_modified = now()
        where id = ? and num_exes = ? and status in ('QUEUED', 'RUNNING') returning id`,
      [JSON.stringify(end.output), exe.jobId, exe.exeNum],
    );
    if (updated.length) await writeOutbox(em, [jobStatusMessage(subjects, exe.jobId, 'COMPLETED', exe.exeNum)]);
    return;
  }
  const error = await findError(em, end.error);
  await em.execute(
    `update job_exe set status = 'FAILED', ended = now(), error_id = ?, task_results = ? where id = ? and ended is null`,
    [error.id, JSON.stringify(end.taskResults), exe.id],
  );
  const retry = shouldRetry({
    shouldBeRetried: error.should_be_retried,
    numExes: exe.exeNum,
    maxTries: exe.maxTries,
    isLongRunning: exe.isLongRunning,
  });
  if (retry) {
    const requeued = await em.execute<{ id: string }[]>(
      `update job set status = 'QUEUED', num_exes = num_exes + 1, queued = now(), node_id = null, error_id = ?,
              last_status_change = now(), last_modified = now()
        where id = ? and num_exes = ? and status in ('QUEUED', 'RUNNING') returning id`,
      [error.id, exe.jobId, exe.exeNum],
    );
    if (requeued.length) await writeOutbox(em, [jobStatusMessage(subjects, exe.jobId, 'QUEUED', exe.exeNum + 1)]);
    return;
  }
  const failed = await em.execute<{ id: string }[]>(
    `update job set status = 'FAILED', error_id = ?, ended = now(), last_status_change = now(), last_modified = now()
      where id = ? and num_exes = ? and status in ('QUEUED', 'RUNNING') returning id`,
    [error.id, exe.jobId, exe.exeNum],
  );
  if (failed.length)
    await writeOutbox(em, [jobStatusMessage(subjects, exe.jobId, 'FAILED', exe.exeNum, error.category)]);
}

/** Applies an agent's task update; a stale token (ended or unknown execution) is ignored and reported. */
export async function applyTaskUpdate(
  em: EntityManager,
  subjects: Subjects,
  update: TaskUpdate,
): Promise<'applied' | 'stale'> {
  if (update.status === 'RUNNING') {
    const rows = await em.execute<{ id: string }[]>(
      `update job_exe set started = coalesce(started, ?) where id = ? and job_id = ? and exe_num = ? and ended is null returning id`,
      [update.at, update.token.jobExeId, update.token.jobId, update.token.exeNum],
    );
    return rows.length ? 'applied' : 'stale';
  }
  const exe = await lockLiveExecution(em, update.token);
  if (!exe) return 'stale';
  const end: ExecutionEnd =
    update.status === 'COMPLETED'
      ? { status: 'COMPLETED', output: await registerOutputFiles(em, exe, update), taskResults: update.taskResults }
      : { status: 'FAILED', error: errorForFailure(update.failure, exe.manifest), taskResults: update.taskResults };
  await endExecution(em, subjects, exe, end);
  return 'applied';
}

export type TaskUpdateOutcome = 'applied' | 'stale';

function tokenKey(token: { jobExeId: number; jobId: number; exeNum: number }): string {
  return `${token.jobExeId}:${token.jobId}:${token.exeNum}`;
}

/**
 * Applies a batch of task updates in the caller's transaction and returns each one's outcome, in order. All RUNNING
 * updates are one set-based guarded UPDATE (applied before the ends, so a start and an end of the same execution in
 * one batch both count); the COMPLETED ones without output files are set-based too (completeExecutions); every other
 * end (FAILED, or files to register) locks its live execution and ends it, in execution id order. A duplicate within
 * the batch is stale, as a redelivery after the first one would be.
 */
export async function applyTaskUpdates(
  em: EntityManager,
  subjects: Subjects,
  updates: readonly TaskUpdate[],
): Promise<TaskUpdateOutcome[]> {
  const outcomes: TaskUpdateOutcome[] = updates.map(() => 'stale');
  const starts = new Map<string, { index: number; update: TaskUpdate }>();
  const ends = new Map<string, { index: number; update: TaskUpdate }>();
  updates.forEach((update, index) => {
    const seen = update.status === 'RUNNING' ? starts : ends;
    const key = tokenKey(update.token);
    if (!seen.has(key)) seen.set(key, { index, update });
  });
  if (starts.size) {
    const rows = [...starts.values()].map(({ update: { token, at } }) => ({
      id: token.jobExeId,
      job_id: token.jobId,
      exe_num: token.exeNum,
      at,
    }));
    const started = await em.execute<{ id: string; job_id: string; exe_num: number }[]>(
      `update job_exe e set started = coalesce(e.started, u.at)
         from jsonb_to_recordset(cast(? as jsonb)) as u(id bigint, job_id bigint, exe_num integer, at timestamptz)
        where e.id = u.id and e.job_id = u.job_id and e.exe_num = u.exe_num and e.ended is null
        returning e.id, e.job_id, e.exe_num`,
      [JSON.stringify(rows)],
    );
    for (const row of started) {
      const start = starts.get(`${row.id}:${row.job_id}:${row.exe_num}`);
      if (start) outcomes[start.index] = 'applied';
    }
  }
  const ordered = [...ends.values()].sort((a, b) => a.update.token.jobExeId - b.update.token.jobExeId);
  // COMPLETED without output files: set-based. Failures and registered files go through the per-execution path.
  const completed = ordered.filter(
    ({ update }) => update.status === 'COMPLETED' && (update.outputFiles ?? []).length === 0,
  );
  for (const key of await completeExecutions(
    em,
    subjects,
    completed.map(({ update }) => update),
  )) {
    const end = ends.get(key);
    if (end) outcomes[end.index] = 'applied';
  }
  const setBased = new Set(completed.map(({ index }) => index));
  for (const { index, update } of ordered) {
    if (setBased.has(index)) continue;
    outcomes[index] = await applyTaskUpdate(em, subjects, update);
  }
  return outcomes;
}

/**
 * Ends the live executions these COMPLETED updates name, completes their jobs and writes their status events, in one
 * statement whatever their number (the same guards as endExecution: `ended is null` on job_exe, the execution number
 * and a live status on job). Returns the token keys of the executions it ended; the others were stale.
 */
async function completeExecutions(
  em: EntityManager,
  subjects: Subjects,
  updates: readonly TaskUpdate[],
): Promise<string[]> {
  if (!updates.length) return [];
  const rows = updates.map((update) => ({
    id: update.token.jobExeId,
    job_id: update.token.jobId,
    exe_num: update.token.exeNum,
    output: update.status === 'COMPLETED' ? update.output : null,
    task_results: update.status === 'COMPLETED' ? update.taskResults : [],
  }));
  // One statement (data-modifying CTEs): end the live executions, complete the jobs of those that ended, and write
  // their status events to the outbox, with jobStatusMessage's msgId and payload built in SQL.
  const subject = subjects.jobStatusEvent();
  const at = new Date().toISOString();
  const rowsOut = await em.execute<
    {
      kind: 'exe' | 'event';
      id: string;
      job_id: string | null;
      exe_num: number | null;
      msg_id: string | null;
      payload: unknown;
    }[]
  >(
    `with u as (
       select * from jsonb_to_recordset(cast(? as jsonb))
         as u(id bigint, job_id bigint, exe_num integer, output jsonb, task_results jsonb)
     ), ended as (
       update job_exe e set status = 'COMPLETED', ended = now(), task_results = u.task_results, output = u.output
         from u
        where e.id = u.id and e.job_id = u.job_id and e.exe_num = u.exe_num and e.ended is null
        returning e.id, e.job_id, e.exe_num, u.output
     ), completed as (
       update job j set status = 'COMPLETED', output = ended.output, ended = now(), last_status_change = now(),
              last_modified = now()
         from ended
        where j.id = ended.job_id and j.num_exes = ended.exe_num and j.status in ('QUEUED', 'RUNNING')
        returning j.id, j.num_exes
     ), events as (
       insert into outbox (subject, msg_id, payload)
       select ?, 'job:' || c.id || ':' || c.num_exes || ':COMPLETED',
              jsonb_build_object('jobId', c.id, 'status', 'COMPLETED', 'exeNum', c.num_exes, 'errorCategory', null,
                                 'at', ?::text)
         from completed c order by c.id
       returning id, msg_id, payload
     )
     select 'exe' as kind, id, job_id, exe_num, null as msg_id, null::jsonb as payload from ended
     union all
     select 'event', id, null, null, msg_id, payload from events`,
    [JSON.stringify(rows), subject, at],
  );
  const keys = rowsOut.filter((r) => r.kind === 'exe').map((row) => `${row.id}:${row.job_id}:${row.exe_num}`);
  const events = rowsOut.filter((r) => r.kind === 'event');
  noteWritten(
    em,
    events.map((r) => String(r.id)),
    events.map((r) => ({ subject, msgId: r.msg_id!, payload: r.payload })),
  );
  return keys;
}
