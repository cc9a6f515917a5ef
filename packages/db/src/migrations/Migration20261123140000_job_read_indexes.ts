import { Migration } from '@mikro-orm/migrations';

/**
 * What the job list endpoints filter and order on (see docs/queries.md for the plans these indexes give).
 *
 * The columns are added "if not exists" because the recipes and scheduling migrations add some of them too; no
 * foreign keys here, the recipes migration owns those. Every index ends in `id`, the tie-breaker of every list
 * order, so "ORDER BY x, id LIMIT 100" reads the first 100 index entries instead of sorting the table.
 * On a large existing deployment, build these by hand with CREATE INDEX CONCURRENTLY first: the
 * "if not exists" then makes this migration a no-op instead of a write lock on `job`.
 */
export class Migration20261123140000_job_read_indexes extends Migration {
  override name = 'Migration20261123140000_job_read_indexes';

  override up(): void {
    this.addSql(`
alter table job
  add column if not exists recipe_id bigint,
  add column if not exists batch_id bigint,
  add column if not exists superseded_job_id bigint,
  add column if not exists root_superseded_job_id bigint,
  add column if not exists superseded timestamptz;`);
    // One per documented order field. The two that time ranges filter on (started/ended: last_modified, and
    // last_status_change for the updates feed) carry is_superseded, so counting a range of current jobs (every
    // v5 list) is an index-only scan instead of a heap fetch per job.
    for (const column of ['created', 'queued', 'started', 'ended']) {
      this.addSql(`create index if not exists job_read_${column} on job (${column}, id);`);
    }
    for (const column of ['last_modified', 'last_status_change']) {
      this.addSql(`create index if not exists job_read_${column} on job (${column}, id) include (is_superseded);`);
    }
    // Selective filters: most jobs have none of these, so partial indexes stay small.
    for (const column of ['error_id', 'recipe_id', 'batch_id']) {
      this.addSql(
        `create index if not exists job_read_${column} on job (${column}, last_modified, id) where ${column} is not null;`,
      );
    }
    this.addSql(`create index if not exists job_read_superseded on job (last_modified, id) where is_superseded;`);
    // superseded_by_job in job details: the job whose superseded_job_id points here.
    this.addSql(
      `create index if not exists job_read_superseded_by on job (superseded_job_id) where superseded_job_id is not null;`,
    );
  }
}
