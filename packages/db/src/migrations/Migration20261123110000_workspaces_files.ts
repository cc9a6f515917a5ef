import { Migration } from '@mikro-orm/migrations';

/**
 * Workspaces and the files catalogue (Scale's `workspace`, `scale_file` and `job_input_file`).
 * Writers: the API writes workspaces and registers SOURCE files; the scheduler registers PRODUCT files when it
 * completes an execution and records a job's input files when it queues the job.
 */
export class Migration20261123110000_workspaces_files extends Migration {
  override name = 'Migration20261123110000_workspaces_files';

  override up(): void {
    this.addSql(`
create table workspace (
  id serial primary key,
  name varchar(50) not null,
  title varchar(50) not null,
  description text,
  base_url varchar(1000),
  is_active boolean not null default true,
  json_config jsonb not null,
  is_move_enabled boolean not null default true,
  created timestamptz not null default now(),
  deprecated timestamptz,
  last_modified timestamptz not null default now(),
  constraint workspace_name_unique unique (name)
);`);
    this.addSql(`create index workspace_last_modified on workspace (last_modified);`);
    this.addSql(`
create table scale_file (
  id bigserial primary key,
  file_name varchar(250) not null,
  file_type varchar(50) not null default 'SOURCE' check (file_type in ('SOURCE', 'PRODUCT')),
  media_type varchar(250) not null,
  file_size bigint not null check (file_size >= 0),
  data_type_tags jsonb not null default '[]',
  file_path varchar(1000) not null,
  workspace_id integer not null references workspace (id),
  is_deleted boolean not null default false,
  deleted timestamptz,
  uuid varchar(32),
  meta_data jsonb,
  countries jsonb not null default '[]',
  data_started timestamptz,
  data_ended timestamptz,
  source_started timestamptz,
  source_ended timestamptz,
  source_sensor_class text,
  source_sensor text,
  source_collection text,
  source_task text,
  job_exe_id bigint references job_exe (id),
  job_id bigint references job (id),
  job_type_id integer references job_type (id),
  job_output varchar(250),
  recipe_id bigint,
  recipe_node varchar(100),
  recipe_type_id integer,
  batch_id bigint,
  is_superseded boolean not null default false,
  superseded timestamptz,
  is_published boolean not null default false,
  has_been_published boolean not null default false,
  published timestamptz,
  unpublished timestamptz,
  created timestamptz not null default now(),
  last_modified timestamptz not null default now()
);`);
    // One live catalogue entry per stored file: registering a path twice finds the first entry.
    this.addSql(
      `create unique index scale_file_workspace_path on scale_file (workspace_id, file_path) where not is_deleted;`,
    );
    this.addSql(`create index scale_file_last_modified on scale_file (last_modified, id);`);
    this.addSql(`create index scale_file_job on scale_file (job_id) where job_id is not null;`);
    this.addSql(`create index scale_file_job_type on scale_file (job_type_id) where job_type_id is not null;`);
    this.addSql(`create index scale_file_file_name on scale_file (file_name);`);
    this.addSql(`
create table job_input_file (
  id bigserial primary key,
  job_id bigint not null references job (id),
  input_file_id bigint not null references scale_file (id),
  job_input varchar(250) not null,
  created timestamptz not null default now(),
  constraint job_input_file_unique unique (job_id, job_input, input_file_id)
);`);
    this.addSql(`create index job_input_file_file on job_input_file (input_file_id);`);
  }
}
