/**
 * Job types and queued jobs written straight into a bench database (the schema of packages/db/src/migrations),
 * so a bench can start from 10k or 100k queued jobs in a second instead of queueing them one by one.
 */
import { SeedManifest } from '@scale/contracts';
import type pg from 'pg';

export interface BenchJobType {
  jobTypeId: number;
  revisionId: number;
  name: string;
}

/** A job type (and its revision 1) whose jobs need `cpus` cores and `memMiB` memory. */
export async function insertJobType(
  pool: pg.Pool,
  options: { name: string; cpus: number; memMiB: number; maxTries?: number; timeoutSeconds?: number },
): Promise<BenchJobType> {
  const manifest = SeedManifest.parse({
    seedVersion: '1.0.0',
    job: {
      name: options.name,
      jobVersion: '1.0.0',
      packageVersion: '1.0.0',
      title: `Bench ${options.name}`,
      timeout: options.timeoutSeconds ?? 3600,
      interface: { command: 'true' },
      resources: {
        scalar: [
          { name: 'cpus', value: options.cpus },
          { name: 'mem', value: options.memMiB },
        ],
      },
    },
  });
  const type = await pool.query<{ id: number }>(
    `insert into job_type (name, version, docker_image, manifest, max_tries)
     values ($1, '1.0.0', 'local/busybox:latest', $2, $3) returning id`,
    [options.name, JSON.stringify(manifest), options.maxTries ?? 3],
  );
  const jobTypeId = type.rows[0]!.id;
  const revision = await pool.query<{ id: number }>(
    `insert into job_type_revision (job_type_id, revision_num, docker_image, manifest)
     values ($1, 1, 'local/busybox:latest', $2) returning id`,
    [jobTypeId, JSON.stringify(manifest)],
  );
  return { jobTypeId, revisionId: revision.rows[0]!.id, name: options.name };
}

/**
 * Inserts `count` QUEUED jobs of the type in one set-based statement (first try: num_exes = 1, as queue-jobs
 * does), in id order of queueing. Returns the first and last job id.
 */
export async function insertQueuedJobs(
  pool: pg.Pool,
  type: BenchJobType,
  count: number,
  priority = 100,
): Promise<{ firstId: number; lastId: number }> {
  const result = await pool.query<{ first: string; last: string }>(
    `with inserted as (
       insert into job (job_type_id, job_type_rev_id, status, priority, max_tries, num_exes, input, queued)
       select $1, $2, 'QUEUED', $3, t.max_tries, 1, '{"files": {}, "json": {}}'::jsonb,
              now() + g * interval '1 microsecond'
         from generate_series(1, $4::int) g, job_type t
        where t.id = $1
       returning id)
     select min(id) as first, max(id) as last from inserted`,
    [type.jobTypeId, type.revisionId, priority, count],
  );
  await pool.query('analyze job');
  return { firstId: Number(result.rows[0]!.first), lastId: Number(result.rows[0]!.last) };
}
