/** Job execution bodies: the v6 execution details and the v5 job_exes entries. */
import type { TaskResult } from '@scale/contracts';
import type { ErrorRow, JobExe, JobType, NodeRow } from '@scale/db';
import { maskSecrets } from '../domain/job-type-configuration.ts';
import { resourcesJson } from '../domain/resources.ts';
import { iso } from './common.ts';
import { errorV5, errorV6 } from './error.ts';
import { jobTypeSummaryV6 } from './job-type.ts';

export interface ExecutionContext {
  jobType: JobType;
  errors: ReadonlyMap<number, ErrorRow>;
  nodes: ReadonlyMap<number, NodeRow>;
  /** Setting names whose values must not be shown. */
  secrets: ReadonlySet<string>;
}

export function nodeSummary(id: number | null | undefined, nodes: ReadonlyMap<number, NodeRow>) {
  if (id == null) return null;
  return { id, hostname: nodes.get(id)?.hostname ?? null };
}

function taskResultsJson(results: TaskResult[] | null | undefined) {
  return results ? { version: '1.0', tasks: results } : null;
}

function errorOf(id: number | null | undefined, errors: ReadonlyMap<number, ErrorRow>): ErrorRow | null {
  return id == null ? null : (errors.get(id) ?? null);
}

export function jobExeV6(exe: JobExe, ctx: ExecutionContext) {
  const error = errorOf(exe.errorId, ctx.errors);
  return {
    id: exe.id,
    status: exe.status,
    exe_num: exe.exeNum,
    cluster_id: exe.clusterId,
    created: iso(exe.created),
    queued: iso(exe.queued),
    started: iso(exe.started),
    ended: iso(exe.ended),
    job: { id: exe.jobId },
    node: nodeSummary(exe.nodeId, ctx.nodes),
    error: error ? errorV6(error) : null,
    job_type: jobTypeSummaryV6(ctx.jobType),
    timeout: exe.timeout,
    input_file_size: Number(exe.inputFileSize),
    task_results: taskResultsJson(exe.taskResults),
    resources: resourcesJson(exe.resources),
    configuration: maskSecrets(exe.configuration, ctx.secrets),
    output: exe.output ?? null,
  };
}

function task(exe: JobExe, type: TaskResult['type']): TaskResult | undefined {
  return exe.taskResults?.find((t) => t.type === type);
}

/** The v5 job_exes entry: pre/job/post task times come from the task results. */
export function jobExeV5(exe: JobExe, ctx: ExecutionContext, commandArguments: string) {
  const error = errorOf(exe.errorId, ctx.errors);
  const [pre, main, post] = (['pre', 'main', 'post'] as const).map((type) => task(exe, type));
  return {
    id: exe.id,
    status: exe.status,
    command_arguments: commandArguments,
    timeout: exe.timeout,
    pre_started: pre?.started ?? null,
    pre_completed: pre?.ended ?? null,
    pre_exit_code: pre?.exit_code ?? null,
    job_started: main?.started ?? null,
    job_completed: main?.ended ?? null,
    job_exit_code: main?.exit_code ?? null,
    post_started: post?.started ?? null,
    post_completed: post?.ended ?? null,
    post_exit_code: post?.exit_code ?? null,
    created: iso(exe.created),
    queued: iso(exe.queued),
    started: iso(exe.started),
    ended: iso(exe.ended),
    last_modified: iso(exe.ended ?? exe.started ?? exe.created),
    job: { id: exe.jobId },
    node: { id: exe.nodeId },
    error: error ? errorV5(error) : null,
    cluster_id: exe.clusterId,
    exe_num: exe.exeNum,
  };
}
