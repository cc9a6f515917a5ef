import { Migration } from '@mikro-orm/migrations';

/**
 * Scheduling at production grade: parked jobs and the reason a queued job is not running, job load samples,
 * and the columns bulk cancel/requeue filter on (added "if not exists": other migrations add them too).
 */
export class Migration20261123130000_scheduling extends Migration {
  override name = 'Migration20261123130000_scheduling';

  override up(): void {
    this.addSql(`
alter table job
  add column if not exists recipe_id bigint,
  add column if not exists batch_id bigint,
  add column if not exists unplaceable boolean not null default false,
  add column if not exists queue_reason text;`);
    // The scheduling window skips parked jobs, so they never crowd out the ones that can run.
    this.addSql(`drop index if exists job_queue_order;`);
    this.addSql(
      `create index job_queue_order on job (priority, queued, id) where status = 'QUEUED' and not unplaceable;`,
    );
    this.addSql(`create index if not exists job_unplaceable on job (id) where status = 'QUEUED' and unplaceable;`);
    this.addSql(`create index if not exists job_exe_live on job_exe (created) where ended is null;`);
    this.addSql(`
create table job_load (
  id bigserial primary key,
  job_type_id integer not null references job_type (id),
  measured timestamptz not null,
  pending_count integer not null,
  queued_count integer not null,
  running_count integer not null,
  total_count integer not null
);`);
    this.addSql(`create index job_load_measured on job_load (measured, job_type_id);`);
  }
}
