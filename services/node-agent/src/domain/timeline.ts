/** What happened to one execution, task by task, and the Scale task_results derived from it. Pure. */
import type { TaskResult } from '@scale/contracts';

export interface TaskTimes {
  launched?: Date;
  started?: Date;
  ended?: Date;
}

export interface Timeline {
  /** The local image check stands in for Scale's pull task: images are never pulled. */
  pull?: TaskTimes & { ok: boolean };
  /** Staging: settings, input files and mounts checked and made available to the container. */
  pre?: TaskTimes & { ok: boolean };
  main?: TaskTimes & { exitCode?: number; timedOut: boolean; canceled: boolean };
  post?: TaskTimes & { ok: boolean };
}

function times(t: TaskTimes): Pick<TaskResult, 'launched' | 'started' | 'ended' | 'was_launched' | 'was_started'> {
  return {
    was_launched: t.launched !== undefined,
    ...(t.launched ? { launched: t.launched.toISOString() } : {}),
    was_started: t.started !== undefined,
    ...(t.started ? { started: t.started.toISOString() } : {}),
    ...(t.ended ? { ended: t.ended.toISOString() } : {}),
  };
}

/** Scale's task id is `<cluster id>_<task type>`; the container name plays the cluster id. */
export function taskResults(clusterId: string, timeline: Timeline): TaskResult[] {
  const results: TaskResult[] = [];
  const { pull, pre, main, post } = timeline;
  if (pull) {
    results.push({
      task_id: `${clusterId}_pull`,
      type: 'pull',
      ...times(pull),
      was_timed_out: false,
      status: pull.ended === undefined ? 'RUNNING' : pull.ok ? 'COMPLETED' : 'FAILED',
    });
  }
  if (pre) {
    results.push({
      task_id: `${clusterId}_pre`,
      type: 'pre',
      ...times(pre),
      was_timed_out: false,
      status: pre.ended === undefined ? 'RUNNING' : pre.ok ? 'COMPLETED' : 'FAILED',
    });
  }
  if (main) {
    const status =
      main.ended === undefined ? 'RUNNING' : main.canceled ? 'CANCELED' : main.exitCode === 0 ? 'COMPLETED' : 'FAILED';
    results.push({
      task_id: `${clusterId}_main`,
      type: 'main',
      ...times(main),
      was_timed_out: main.timedOut,
      status,
      ...(main.exitCode !== undefined ? { exit_code: main.exitCode } : {}),
    });
  }
  if (post) {
    results.push({
      task_id: `${clusterId}_post`,
      type: 'post',
      ...times(post),
      was_timed_out: false,
      status: post.ended === undefined ? 'RUNNING' : post.ok ? 'COMPLETED' : 'FAILED',
    });
  }
  return results;
}
