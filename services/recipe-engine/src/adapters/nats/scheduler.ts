/**
 * The scheduler as the recipe engine sees it: it owns jobs, so creating and moving recipe jobs are commands
 * (request/reply, answered after the scheduler committed). Both are idempotent on the scheduler's side.
 */
import {
  QueueJobsRequest,
  QueueJobsResult,
  RecipeJobsRequest,
  type RecipeJobsRequestInput,
  RecipeJobsResult,
  type Subjects,
} from '@scale/contracts';
import { type NatsConnection, requestCommand } from '@scale/runtime';
import type { Command } from '../../domain/tree.ts';

export type CreateJob = Extract<Command, { type: 'CREATE_JOB' }>;

export interface SchedulerClient {
  /** Creates (or finds) the job of each node; ids in the order given. */
  createJobs(jobs: readonly CreateJob[]): Promise<number[]>;
  moveJobs(request: RecipeJobsRequestInput): Promise<RecipeJobsResult>;
}

export function natsScheduler(nc: NatsConnection, subjects: Subjects, timeoutMs: number): SchedulerClient {
  return {
    async createJobs(jobs) {
      const request = QueueJobsRequest.parse({
        jobs: jobs.map((job) => ({
          jobTypeId: job.jobTypeId,
          jobTypeRevisionNum: job.revisionNum,
          input: job.input,
          recipe: { recipeId: job.recipeId, rootRecipeId: job.rootRecipeId, nodeName: job.node },
          ...(job.status === 'QUEUED' ? {} : { status: job.status }),
          ...(job.priority === undefined ? {} : { priority: job.priority }),
          ...(job.configuration === undefined ? {} : { configuration: job.configuration }),
          ...(job.supersededJobId === undefined ? {} : { supersededJobId: job.supersededJobId }),
        })),
      });
      const result = await requestCommand(
        nc,
        subjects.command('scheduler', 'queue-jobs'),
        request,
        QueueJobsResult,
        // A recipe node gets at most one job (unique recipe_id, node name): a repeat returns the same ids.
        { timeoutMs, idempotent: true },
      );
      return result.jobIds;
    },
    moveJobs(request) {
      return requestCommand(
        nc,
        subjects.command('scheduler', 'recipe-jobs'),
        RecipeJobsRequest.parse(request),
        RecipeJobsResult,
        // At most one job per recipe node: a repeat finds the jobs already there.
        { timeoutMs, idempotent: true },
      );
    },
  };
}
