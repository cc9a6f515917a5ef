import { Migration } from '@mikro-orm/migrations';

/**
 * The log archive (docs/adr/0002-log-archive.md): every line of the JetStream LOGS stream, copied by the log
 * archiver so an execution's log outlives the stream's age and byte limits. Written by services/log-archiver only;
 * the API reads it.
 *
 * The key is (job_exe_id, n): the agent's per-execution line number makes a re-delivered or re-published line an
 * idempotent no-op (`on conflict do nothing`). No foreign key to job_exe: the archiver must never stall on the
 * order in which the catalogue and the log arrive, and the check would cost every insert an index probe.
 */
export class Migration20261123115000_log_archive extends Migration {
  override name = 'Migration20261123115000_log_archive';

  override up(): void {
    this.addSql(`
create table log_line (
  job_exe_id bigint not null,
  n integer not null check (n > 0),
  stream varchar(6) not null check (stream in ('stdout', 'stderr')),
  ts timestamptz not null,
  line text not null,
  primary key (job_exe_id, n)
);`);
    // The history endpoint orders by @timestamp then line number (Scale's order) and cuts at 10,000 lines.
    this.addSql(`create index log_line_by_time on log_line (job_exe_id, ts, n);`);
  }

  override down(): void {
    this.addSql(`drop table if exists log_line;`);
  }
}
