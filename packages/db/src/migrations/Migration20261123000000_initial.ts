import { Migration } from '@mikro-orm/migrations';
import { BUILTIN_ERRORS } from '@scale/contracts';

/**
 * The initial schema. Written by hand rather than generated so that it carries the correctness rules the
 * entities cannot express: guarded statuses (CHECK), one live execution per job (partial unique index),
 * the singleton lease and the outbox.
 */
export class Migration20261123000000_initial extends Migration {
  override name = 'Migration20261123000000_initial';

  override up(): void {
    this.addSql(`
create table job_type (
  id serial primary key,
  name varchar(255) not null,
  version varchar(50) not null,
  title varchar(255),
  description text,
  icon_code varchar(20),
  is_system boolean not null default false,
  is_long_running boolean not null default false,
  is_active boolean not null default true,
  is_paused boolean not null default false,
  is_published boolean not null default false,
  max_scheduled integer,
  max_tries integer not null default 3,
  revision_num integer not null default 1,
  docker_image text not null,
  manifest jsonb not null,
  configuration jsonb not null default '{}',
  created timestamptz not null default now(),
  deprecated timestamptz,
  paused timestamptz,
  last_modified timestamptz not null default now(),
  constraint job_type_name_version_unique unique (name, version)
);`);
    this.addSql(`
create table job_type_revision (
  id serial primary key,
  job_type_id integer not null references job_type (id),
  revision_num integer not null,
  docker_image text not null,
  manifest jsonb not null,
  created timestamptz not null default now(),
  constraint job_type_revision_unique unique (job_type_id, revision_num)
);`);
    this.addSql(`
create table error (
  id serial primary key,
  name varchar(50) not null,
  job_type_name varchar(255),
  title varchar(255),
  description text,
  category varchar(50) not null check (category in ('SYSTEM', 'ALGORITHM', 'DATA')),
  is_builtin boolean not null default false,
  should_be_retried boolean not null default false,
  created timestamptz not null default now(),
  last_modified timestamptz not null default now()
);`);
    this.addSql(`create unique index error_name_unique on error (coalesce(job_type_name, ''), name);`);
    this.addSql(`
create table node (
  id serial primary key,
  agent_id varchar(250) not null unique,
  hostname varchar(250) not null,
  resources jsonb not null default '{}',
  is_paused boolean not null default false,
  pause_reason text,
  is_active boolean not null default true,
  state varchar(20) not null default 'READY' check (state in ('READY', 'PAUSED', 'DEGRADED', 'OFFLINE')),
  agent_version varchar(50),
  last_heartbeat timestamptz,
  created timestamptz not null default now(),
  deprecated timestamptz,
  last_modified timestamptz not null default now()
);`);
    this.addSql(`
create table job (
  id bigserial primary key,
  job_type_id integer not null references job_type (id),
  job_type_rev_id integer not null references job_type_revision (id),
  status varchar(50) not null
    check (status in ('PENDING', 'BLOCKED', 'QUEUED', 'RUNNING', 'FAILED', 'COMPLETED', 'CANCELED')),
  priority integer not null,
  max_tries integer not null,
  num_exes integer not null default 0,
  input jsonb not null,
  input_file_size double precision not null default 0,
  output jsonb,
  configuration jsonb,
  error_id integer references error (id),
  node_id integer references node (id),
  is_superseded boolean not null default false,
  created timestamptz not null default now(),
  queued timestamptz,
  started timestamptz,
  ended timestamptz,
  last_status_change timestamptz not null default now(),
  last_modified timestamptz not null default now()
);`);
    this.addSql(`create index job_queue_order on job (priority, queued, id) where status = 'QUEUED';`);
    this.addSql(`create index job_status_modified on job (status, last_modified);`);
    this.addSql(`create index job_job_type on job (job_type_id, last_modified);`);
    this.addSql(`
create table job_exe (
  id bigserial primary key,
  job_id bigint not null references job (id),
  job_type_id integer not null references job_type (id),
  exe_num integer not null,
  cluster_id varchar(100) not null,
  node_id integer not null references node (id),
  epoch bigint not null,
  docker_image text not null,
  timeout integer not null,
  input_file_size double precision not null default 0,
  resources jsonb not null,
  configuration jsonb not null default '{}',
  status varchar(50) not null default 'RUNNING' check (status in ('RUNNING', 'FAILED', 'COMPLETED', 'CANCELED')),
  error_id integer references error (id),
  task_results jsonb,
  output jsonb,
  queued timestamptz not null,
  started timestamptz,
  ended timestamptz,
  created timestamptz not null default now(),
  constraint job_exe_job_exe_num_unique unique (job_id, exe_num)
);`);
    // Correctness rule 3: at most one live execution per job.
    this.addSql(`create unique index job_exe_one_live_per_job on job_exe (job_id) where ended is null;`);
    this.addSql(`create index job_exe_live_by_node on job_exe (node_id) where ended is null;`);
    this.addSql(`
create table scheduler (
  id integer primary key check (id = 1),
  is_paused boolean not null default false,
  queue_mode varchar(10) not null default 'FIFO' check (queue_mode in ('FIFO', 'LIFO')),
  last_modified timestamptz not null default now()
);`);
    this.addSql(`insert into scheduler (id) values (1);`);
    this.addSql(`
create table scheduler_lease (
  id integer primary key check (id = 1),
  holder varchar(250),
  epoch bigint not null default 0,
  expires timestamptz not null default 'epoch'
);`);
    this.addSql(`insert into scheduler_lease (id) values (1);`);
    this.addSql(`
create table outbox (
  id bigserial primary key,
  subject varchar(250) not null,
  msg_id varchar(250) not null,
  payload jsonb not null,
  created timestamptz not null default now()
);`);
    this.addSql(`
create table idempotency_key (
  key varchar(200) primary key,
  scope varchar(100) not null,
  result jsonb not null,
  created timestamptz not null default now()
);`);
    for (const e of BUILTIN_ERRORS) {
      this.addSql(
        `insert into error (name, title, description, category, is_builtin, should_be_retried) values (${[
          e.name,
          e.title,
          e.description,
          e.category,
        ]
          .map(quote)
          .join(', ')}, true, ${e.shouldBeRetried});`,
      );
    }
  }
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
