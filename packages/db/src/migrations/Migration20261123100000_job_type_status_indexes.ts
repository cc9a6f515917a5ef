import { Migration } from '@mikro-orm/migrations';

/**
 * What the job type status endpoints count on (GET /v6/job-types/status/, /system-failures/, v5 job_counts_*):
 * - per job type over a recent window of status changes (v5 details: one type, the last 24 h);
 * - failed jobs by error, so "job types with SYSTEM failures" reads a small partial index instead of every job.
 * Created "if not exists" so a deployment that built them by hand (CONCURRENTLY) skips the write lock on `job`.
 */
export class Migration20261123100000_job_type_status_indexes extends Migration {
  override name = 'Migration20261123100000_job_type_status_indexes';

  override up(): void {
    this.addSql(`create index if not exists job_type_status_change on job (job_type_id, last_status_change);`);
    this.addSql(
      `create index if not exists job_failed_by_error on job (error_id, job_type_id, last_status_change) where status = 'FAILED';`,
    );
  }
}
