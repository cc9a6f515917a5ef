import type { EntityManager } from '@scale/db';

/** Samples how many jobs of each type are pending, queued and running (served by /load/ and /v6/load/). */
export async function sampleJobLoad(em: EntityManager): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `insert into job_load (job_type_id, measured, pending_count, queued_count, running_count, total_count)
     select job_type_id, now(),
            count(*) filter (where status = 'PENDING'),
            count(*) filter (where status = 'QUEUED'),
            count(*) filter (where status = 'RUNNING'),
            count(*)
       from job where status in ('PENDING', 'QUEUED', 'RUNNING')
      group by job_type_id
     returning id`,
  );
  return rows.length;
}
