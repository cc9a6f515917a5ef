/** Creates jobs and queues them (the scheduler owns jobs; the API asks over NATS). */
import type { QueueJobsRequest, QueueJobsResult, Subjects } from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { checkReplay, IDEMPOTENCY_KEY_HOURS, NotFoundError, requestFingerprint, ValidationError } from '@scale/runtime';
import { recordJobInputFiles } from './job-input-files.ts';
import { jobStatusMessage, writeOutbox } from './outbox.ts';
import { insertRecipeJob } from './recipe-jobs.ts';

/** Scale's default job priority when neither the request nor the job type configuration sets one. */
const DEFAULT_PRIORITY = 100;

interface JobTypeRow {
  id: number;
  is_active: boolean;
  max_tries: number;
  rev_id: number;
  priority: number | null;
}

/**
 * Inserts the jobs as QUEUED (first try: num_exes = 1) with their status events, in the caller's transaction.
 * With an idempotency key, a retried request returns the jobs the first one created.
 */
export async function queueJobs(
  em: EntityManager,
  subjects: Subjects,
  request: QueueJobsRequest,
): Promise<QueueJobsResult> {
  // Only a keyed request is fingerprinted: hashing a bulk request costs time for nothing otherwise.
  const fingerprint = request.idempotencyKey ? requestFingerprint('queue-jobs', request) : null;
  if (request.idempotencyKey) {
    // Serialises concurrent retries of the same key: the second waits, then finds the first one's answer.
    await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`queue-jobs:${request.idempotencyKey}`]);
    const previous = await rememberedAnswer(em, request.idempotencyKey);
    if (previous) {
      checkReplay(previous.request_hash, fingerprint!);
      return previous.result;
    }
  }
  const typeIds = [...new Set(request.jobs.map((j) => j.jobTypeId))];
  const types = await em.execute<JobTypeRow[]>(
    `select t.id, t.is_active, t.max_tries, r.id as rev_id, (t.configuration->>'priority')::int as priority
       from job_type t join job_type_revision r on r.job_type_id = t.id and r.revision_num = t.revision_num
      where t.id in (?)`,
    [typeIds],
  );
  const byId = new Map(types.map((t) => [t.id, t]));
  const jobIds: number[] = [];
  const queuedIds: number[] = [];
  for (const [index, job] of request.jobs.entries()) {
    const type = byId.get(job.jobTypeId);
    if (!type) throw NotFoundError.of('job type', job.jobTypeId);
    // A recipe pins its job type revisions when it is created; deactivating a type later must not strand it.
    if (job.recipe) {
      jobIds.push(await insertRecipeJob(em, subjects, type, { ...job, recipe: job.recipe }, index, DEFAULT_PRIORITY));
      continue;
    }
    if (!type.is_active)
      throw ValidationError.field(`jobs.${index}.jobTypeId`, `job type ${job.jobTypeId} is not active`);
    const [row] = await em.execute<{ id: string }[]>(
      `insert into job (job_type_id, job_type_rev_id, status, priority, max_tries, num_exes, input, queued)
       values (?, ?, 'QUEUED', ?, ?, 1, ?, now()) returning id`,
      [
        type.id,
        type.rev_id,
        job.priority ?? type.priority ?? DEFAULT_PRIORITY,
        type.max_tries,
        JSON.stringify(job.input),
      ],
    );
    jobIds.push(Number(row!.id));
    queuedIds.push(Number(row!.id));
    await recordJobInputFiles(em, Number(row!.id), job.input, `jobs.${index}.input`);
  }
  await writeOutbox(
    em,
    queuedIds.map((id) => jobStatusMessage(subjects, id, 'QUEUED', 1)),
  );
  const result = { jobIds };
  if (request.idempotencyKey) {
    await em.execute(`insert into idempotency_key (key, scope, result, request_hash) values (?, 'queue-jobs', ?, ?)`, [
      request.idempotencyKey,
      JSON.stringify(result),
      fingerprint,
    ]);
  }
  return result;
}

/**
 * The answer remembered for a key within IDEMPOTENCY_KEY_HOURS; an expired one is forgotten here (the leader also
 * prunes them), so the key can name a new request.
 */
async function rememberedAnswer(
  em: EntityManager,
  key: string,
): Promise<{ result: QueueJobsResult; request_hash: string | null } | undefined> {
  const [row] = await em.execute<{ result: QueueJobsResult; request_hash: string | null; expired: boolean }[]>(
    `select result, request_hash, created <= now() - (? * interval '1 hour') as expired
       from idempotency_key where key = ? and scope = 'queue-jobs'`,
    [IDEMPOTENCY_KEY_HOURS, key],
  );
  if (!row?.expired) return row;
  await em.execute('delete from idempotency_key where key = ?', [key]);
  return undefined;
}

/** Deletes the keys older than IDEMPOTENCY_KEY_HOURS (the leader runs it now and then); returns how many. */
export async function forgetExpiredKeys(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ count: string }[]>(
    `with expired as (
       delete from idempotency_key where created <= now() - (? * interval '1 hour') returning 1
     )
     select count(*) as count from expired`,
    [IDEMPOTENCY_KEY_HOURS],
  );
  return Number(row?.count ?? 0);
}
