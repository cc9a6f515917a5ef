import { Migration } from '@mikro-orm/migrations';

/**
 * Exact job counts for the list endpoints without counting the job table (docs/queries.md, "Counts").
 *
 * An exact count(*) over most of a million jobs costs 55–100 ms on two cores whatever the index, more than the
 * P8 budget of a whole list request. Statement-level triggers record how many jobs each statement added to or
 * removed from each (status, job_type_id, error_id, is_superseded) group, as rows appended to job_count_delta
 * in the writer's own transaction: writers never update a shared row, so they never wait on each other or
 * deadlock, and a reader that sums job_count_rollup + job_count_delta in one statement sees exactly the jobs
 * of its snapshot. job_count_compact() folds the deltas into the rollup (one compactor at a time).
 *
 * The triggers are ENABLE ALWAYS: they fire for bulk loads run with session_replication_role = replica too,
 * which otherwise skip triggers and would leave the counts wrong.
 */
export class Migration20261123150000_job_counts extends Migration {
  override name = 'Migration20261123150000_job_counts';

  override up(): void {
    // Until this transaction commits no job is written, so the initial count below and the triggers agree.
    this.addSql(`lock table job in share row exclusive mode;`);
    this.addSql(`
create table job_count_rollup (
  status varchar(50) not null,
  job_type_id integer not null,
  -- 0 for "no error": error ids start at 1, and a primary key needs a value
  error_id integer not null,
  is_superseded boolean not null,
  n bigint not null,
  primary key (status, job_type_id, error_id, is_superseded)
);`);
    this.addSql(`
create table job_count_delta (
  id bigserial primary key,
  status varchar(50) not null,
  job_type_id integer not null,
  error_id integer not null,
  is_superseded boolean not null,
  n bigint not null
);`);
    this.addSql(`
create function job_count_on_insert() returns trigger language plpgsql as $$
begin
  insert into job_count_delta (status, job_type_id, error_id, is_superseded, n)
  select status, job_type_id, coalesce(error_id, 0), is_superseded, count(*) from new_rows group by 1, 2, 3, 4;
  return null;
end $$;`);
    this.addSql(`
create function job_count_on_delete() returns trigger language plpgsql as $$
begin
  insert into job_count_delta (status, job_type_id, error_id, is_superseded, n)
  select status, job_type_id, coalesce(error_id, 0), is_superseded, -count(*) from old_rows group by 1, 2, 3, 4;
  return null;
end $$;`);
    // Old rows count -1 and new rows +1 in their groups; groups that net to 0 (a statement that only touched
    // last_modified, say) add nothing. Aggregating each transition table is linear: joining old to new rows
    // would be a nested loop over two unindexed tables, quadratic in the rows one statement updates.
    this.addSql(`
create function job_count_on_update() returns trigger language plpgsql as $$
begin
  insert into job_count_delta (status, job_type_id, error_id, is_superseded, n)
  select status, job_type_id, error_id, is_superseded, sum(n) from (
    select status, job_type_id, coalesce(error_id, 0) as error_id, is_superseded, 1 as n from new_rows
    union all
    select status, job_type_id, coalesce(error_id, 0), is_superseded, -1 from old_rows
  ) as d
  group by 1, 2, 3, 4
  having sum(n) <> 0;
  return null;
end $$;`);
    this.addSql(`
create function job_count_on_truncate() returns trigger language plpgsql as $$
begin
  delete from job_count_delta;
  delete from job_count_rollup;
  return null;
end $$;`);
    // Folds every visible delta into the rollup; returns the number of groups it touched, 0 when another
    // session is compacting (try-lock: callers never wait for each other).
    this.addSql(`
create function job_count_compact() returns integer language plpgsql as $$
declare
  touched integer;
begin
  if not pg_try_advisory_xact_lock(72150010) then
    return 0;
  end if;
  with moved as (
    delete from job_count_delta returning status, job_type_id, error_id, is_superseded, n
  ), grouped as (
    select status, job_type_id, error_id, is_superseded, sum(n) as n from moved group by 1, 2, 3, 4
  )
  insert into job_count_rollup as c (status, job_type_id, error_id, is_superseded, n)
  select status, job_type_id, error_id, is_superseded, n from grouped
  on conflict (status, job_type_id, error_id, is_superseded) do update set n = c.n + excluded.n;
  get diagnostics touched = row_count;
  delete from job_count_rollup where n = 0;
  return touched;
end $$;`);
    this.addSql(`
create trigger job_count_insert after insert on job referencing new table as new_rows
  for each statement execute function job_count_on_insert();`);
    this.addSql(`
create trigger job_count_update after update on job referencing old table as old_rows new table as new_rows
  for each statement execute function job_count_on_update();`);
    this.addSql(`
create trigger job_count_delete after delete on job referencing old table as old_rows
  for each statement execute function job_count_on_delete();`);
    this.addSql(
      `create trigger job_count_truncate after truncate on job for each statement execute function job_count_on_truncate();`,
    );
    for (const trigger of ['job_count_insert', 'job_count_update', 'job_count_delete', 'job_count_truncate']) {
      this.addSql(`alter table job enable always trigger ${trigger};`);
    }
    // The jobs that exist already.
    this.addSql(`
insert into job_count_rollup (status, job_type_id, error_id, is_superseded, n)
select status, job_type_id, coalesce(error_id, 0), is_superseded, count(*) from job group by 1, 2, 3, 4;`);
  }
}
