/**
 * Jobs of recipes. The recipe engine creates a node's job through queue-jobs (with `recipe` set: at most one job
 * per recipe node, enforced by the unique index job_recipe_node_unique, so a retried or duplicated request gets
 * the existing job back), and moves those jobs along with recipe-jobs: queue once the inputs are ready, block
 * when an upstream node failed, unblock when it was requeued, supersede when a reprocess replaces them.
 *
 * Every transition is a guarded UPDATE (correctness rule 5): a job no longer in the starting state is left alone,
 * so duplicated, late or reordered requests change nothing.
 */
import type { JobStatus, QueueJobsRequest, RecipeJobsRequest, RecipeJobsResult, Subjects } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { AppError, ValidationError } from '@scale/runtime';
import { cancelJobs } from './cancel-jobs.ts';
import { recordJobInputFiles } from './job-input-files.ts';
import { jobStatusMessage, type OutboxMessage, writeOutbox } from './outbox.ts';

type JobRequest = QueueJobsRequest['jobs'][number];

export interface RecipeJobType {
  id: number;
  max_tries: number;
  rev_id: number;
  priority: number | null;
}

/**
 * A status event whose message id includes the moment of the change: a job may go PENDING → BLOCKED → PENDING
 * more than once within JetStream's duplicate window, and each of those changes must be published.
 */
function transitionMessage(subjects: Subjects, jobId: number, status: JobStatus, exeNum: number, at: string) {
  const message = jobStatusMessage(subjects, jobId, status, exeNum);
  return { ...message, msgId: `${message.msgId}:${at}` } satisfies OutboxMessage;
}

/**
 * Inserts the job of one recipe node, or finds the one a previous request inserted. A QUEUED job starts its first
 * try and links its input files; a PENDING or BLOCKED one waits for its recipe (num_exes 0, input filled in later).
 */
export async function insertRecipeJob(
  em: EntityManager,
  subjects: Subjects,
  type: RecipeJobType,
  job: JobRequest & { recipe: NonNullable<JobRequest['recipe']> },
  index: number,
  defaultPriority: number,
): Promise<number> {
  let revId = type.rev_id;
  if (job.jobTypeRevisionNum !== undefined) {
    const [revision] = await em.execute<{ id: number }[]>(
      'select id from job_type_revision where job_type_id = ? and revision_num = ?',
      [type.id, job.jobTypeRevisionNum],
    );
    if (!revision) {
      throw ValidationError.field(
        `jobs.${index}.jobTypeRevisionNum`,
        `job type ${type.id} has no revision ${job.jobTypeRevisionNum}`,
      );
    }
    revId = revision.id;
  }
  const status = job.status ?? 'QUEUED';
  const exeNum = status === 'QUEUED' ? 1 : 0;
  const [inserted] = await em.execute<{ id: string }[]>(
    `insert into job (job_type_id, job_type_rev_id, status, priority, max_tries, num_exes, input, queued,
                      recipe_id, root_recipe_id, recipe_node_name, superseded_job_id, root_superseded_job_id,
                      configuration)
     values (?, ?, ?, ?, ?, ?, ?, case when ? then now() end, ?, ?, ?, ?,
             (select coalesce(s.root_superseded_job_id, s.id) from job s where s.id = ?), ?)
     on conflict (recipe_id, recipe_node_name) where recipe_id is not null do nothing
     returning id`,
    [
      type.id,
      revId,
      status,
      job.priority ?? type.priority ?? defaultPriority,
      type.max_tries,
      exeNum,
      JSON.stringify(job.input),
      status === 'QUEUED',
      job.recipe.recipeId,
      job.recipe.rootRecipeId,
      job.recipe.nodeName,
      job.supersededJobId ?? null,
      job.supersededJobId ?? null,
      job.configuration ? JSON.stringify(job.configuration) : null,
    ],
  );
  if (!inserted) {
    const [existing] = await em.execute<{ id: string }[]>(
      'select id from job where recipe_id = ? and recipe_node_name = ?',
      [job.recipe.recipeId, job.recipe.nodeName],
    );
    if (!existing)
      throw new AppError(
        'CONFLICT',
        `job of recipe ${job.recipe.recipeId} node ${job.recipe.nodeName} is being created`,
      );
    return Number(existing.id);
  }
  const jobId = Number(inserted.id);
  if (status === 'QUEUED') await linkInputFiles(em, jobId, job.input);
  await writeOutbox(em, [jobStatusMessage(subjects, jobId, status, exeNum)]);
  return jobId;
}

/**
 * Links a recipe job's input files. A missing or deleted file (an upstream product purged meanwhile) must not
 * fail the request and hold up the recipe: the job is queued without that link and its execution fails with
 * missing-file, as in Scale. A savepoint keeps the rest of the transaction.
 */
async function linkInputFiles(em: EntityManager, jobId: number, input: JobRequest['input']): Promise<void> {
  await em
    .transactional((savepoint) => recordJobInputFiles(savepoint, jobId, input, 'input'))
    .catch((err: unknown) => {
      if (!(err instanceof ValidationError)) throw err;
    });
}

interface ChangedRow {
  id: string;
  at: string;
}

/** Applies the recipe engine's moves in the caller's transaction; answers the jobs each move changed. */
export async function recipeJobs(
  em: EntityManager,
  subjects: Subjects,
  request: RecipeJobsRequest,
): Promise<RecipeJobsResult> {
  const messages: OutboxMessage[] = [];
  const queued: number[] = [];
  for (const item of request.queue) {
    const [row] = await em.execute<{ id: string }[]>(
      `update job set status = 'QUEUED', input = ?, num_exes = 1, queued = now(), last_status_change = now(),
              last_modified = now()
        where id = ? and status in ('PENDING', 'BLOCKED') and num_exes = 0 and not is_superseded
        returning id`,
      [JSON.stringify(item.input), item.jobId],
    );
    if (!row) continue;
    queued.push(item.jobId);
    messages.push(jobStatusMessage(subjects, item.jobId, 'QUEUED', 1));
    await linkInputFiles(em, item.jobId, item.input);
  }
  const move = async (ids: number[], from: JobStatus, to: JobStatus): Promise<number[]> => {
    if (ids.length === 0) return [];
    const rows = await em.execute<ChangedRow[]>(
      `update job set status = ?, last_status_change = now(), last_modified = now()
        where id in (?) and status = ? and num_exes = 0 and not is_superseded
        returning id, (extract(epoch from last_status_change) * 1000000)::bigint::text as at`,
      [to, ids, from],
    );
    messages.push(...rows.map((r) => transitionMessage(subjects, Number(r.id), to, 0, r.at)));
    return rows.map((r) => Number(r.id));
  };
  const blocked = await move(request.block, 'PENDING', 'BLOCKED');
  const unblocked = await move(request.unblock, 'BLOCKED', 'PENDING');

  let superseded: number[] = [];
  if (request.supersede.length) {
    const rows = await em.execute<{ id: string }[]>(
      `update job set is_superseded = true, superseded = now(), last_modified = now()
        where id in (?) and not is_superseded returning id`,
      [request.supersede],
    );
    superseded = rows.map((r) => Number(r.id));
    // Replaced work that has not finished is canceled (running executions are killed); results already
    // produced stay as they are, marked superseded.
    if (superseded.length) {
      await cancelJobs(em, subjects, {
        filter: { jobIds: superseded, statuses: ['PENDING', 'BLOCKED', 'QUEUED', 'RUNNING'] },
      });
    }
  }
  await writeOutbox(em, messages);
  return { queued, blocked, unblocked, superseded };
}
