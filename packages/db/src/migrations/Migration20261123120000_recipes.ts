import { Migration } from '@mikro-orm/migrations';

/**
 * Recipe types (catalogue, written by the API) and recipes (written by the recipe engine only), plus the job
 * columns that tie a job to its recipe node (written by the scheduler only).
 *
 * Recipe job counts are not stored: they are derived from recipe_node and job at read time, so they cannot drift
 * from the jobs' statuses (Scale's counters did, issue #1847). `is_completed` is stored because it is a decision
 * the engine takes once, and lists filter on it.
 *
 * Exactly-once job creation per recipe node is enforced twice: `job_recipe_node_unique` on the job the scheduler
 * inserts, and `recipe_node_unique` on the engine's record of it.
 */
export class Migration20261123120000_recipes extends Migration {
  override name = 'Migration20261123120000_recipes';

  override up(): void {
    this.addSql(`
create table recipe_type (
  id serial primary key,
  name varchar(50) not null,
  title varchar(50),
  description text,
  is_system boolean not null default false,
  is_active boolean not null default true,
  revision_num integer not null default 1,
  definition jsonb not null,
  created timestamptz not null default now(),
  deprecated timestamptz,
  last_modified timestamptz not null default now(),
  constraint recipe_type_name_unique unique (name)
);`);
    this.addSql(`
create table recipe_type_revision (
  id serial primary key,
  recipe_type_id integer not null references recipe_type (id),
  revision_num integer not null,
  definition jsonb not null,
  created timestamptz not null default now(),
  constraint recipe_type_revision_unique unique (recipe_type_id, revision_num)
);`);
    // "Which recipe types use this job type / recipe type", for the current revision of each recipe type.
    this.addSql(`
create table recipe_type_job_link (
  recipe_type_id integer not null references recipe_type (id),
  job_type_id integer not null references job_type (id),
  primary key (recipe_type_id, job_type_id)
);`);
    this.addSql(`create index recipe_type_job_link_job_type on recipe_type_job_link (job_type_id);`);
    this.addSql(`
create table recipe_type_sub_link (
  recipe_type_id integer not null references recipe_type (id),
  sub_recipe_type_id integer not null references recipe_type (id),
  primary key (recipe_type_id, sub_recipe_type_id)
);`);
    this.addSql(`create index recipe_type_sub_link_sub on recipe_type_sub_link (sub_recipe_type_id);`);

    this.addSql(`
create table recipe (
  id bigserial primary key,
  recipe_type_id integer not null references recipe_type (id),
  recipe_type_rev_id integer not null references recipe_type_revision (id),
  recipe_id bigint references recipe (id),
  root_recipe_id bigint references recipe (id),
  recipe_node_name varchar(100),
  batch_id bigint,
  is_superseded boolean not null default false,
  superseded_recipe_id bigint references recipe (id),
  root_superseded_recipe_id bigint references recipe (id),
  forced_nodes jsonb,
  input jsonb not null,
  input_file_size double precision not null default 0,
  configuration jsonb,
  source_started timestamptz,
  source_ended timestamptz,
  source_sensor_class text,
  source_sensor text,
  source_collection text,
  source_task text,
  is_completed boolean not null default false,
  completed timestamptz,
  superseded timestamptz,
  create_key varchar(200),
  engine_lease_owner varchar(100),
  engine_lease_until timestamptz,
  engine_dirty boolean not null default false,
  last_advanced timestamptz,
  created timestamptz not null default now(),
  last_modified timestamptz not null default now(),
  constraint recipe_sub_recipe_has_parent check ((recipe_id is null) = (root_recipe_id is null))
);`);
    this.addSql(`create unique index recipe_create_key on recipe (create_key) where create_key is not null;`);
    // One sub-recipe per parent node, and a recipe is superseded by one recipe at most.
    this.addSql(
      `create unique index recipe_sub_node on recipe (recipe_id, recipe_node_name) where recipe_id is not null;`,
    );
    this.addSql(
      `create unique index recipe_superseded_once on recipe (superseded_recipe_id) where superseded_recipe_id is not null;`,
    );
    this.addSql(`create index recipe_read_last_modified on recipe (last_modified, id);`);
    this.addSql(`create index recipe_read_created on recipe (created, id);`);
    this.addSql(`create index recipe_read_type on recipe (recipe_type_id, last_modified, id);`);
    this.addSql(`create index recipe_root on recipe (root_recipe_id) where root_recipe_id is not null;`);
    this.addSql(`create index recipe_parent on recipe (recipe_id) where recipe_id is not null;`);
    // The engine's sweep: top-level recipes still in progress, least recently advanced first.
    this.addSql(
      `create index recipe_sweep on recipe (last_advanced nulls first, id) where recipe_id is null and not is_completed and not is_superseded;`,
    );

    this.addSql(`
create table recipe_condition (
  id bigserial primary key,
  root_recipe_id bigint not null references recipe (id),
  recipe_id bigint not null references recipe (id),
  batch_id bigint,
  data jsonb not null,
  is_processed boolean not null default false,
  is_accepted boolean not null default false,
  processed timestamptz,
  created timestamptz not null default now(),
  last_modified timestamptz not null default now()
);`);
    this.addSql(`create index recipe_condition_recipe on recipe_condition (recipe_id);`);

    this.addSql(`
create table recipe_node (
  id bigserial primary key,
  recipe_id bigint not null references recipe (id),
  node_name varchar(100) not null,
  is_original boolean not null default true,
  job_id bigint references job (id),
  sub_recipe_id bigint references recipe (id),
  condition_id bigint references recipe_condition (id),
  created timestamptz not null default now(),
  constraint recipe_node_unique unique (recipe_id, node_name),
  constraint recipe_node_one_target check (num_nonnulls(job_id, sub_recipe_id, condition_id) = 1)
);`);
    this.addSql(`create index recipe_node_job on recipe_node (job_id) where job_id is not null;`);
    this.addSql(`create index recipe_node_sub_recipe on recipe_node (sub_recipe_id) where sub_recipe_id is not null;`);

    this.addSql(`
create table recipe_input_file (
  id bigserial primary key,
  recipe_id bigint not null references recipe (id),
  input_file_id bigint not null references scale_file (id),
  recipe_input varchar(250) not null,
  created timestamptz not null default now(),
  constraint recipe_input_file_unique unique (recipe_id, recipe_input, input_file_id)
);`);
    this.addSql(`create index recipe_input_file_file on recipe_input_file (input_file_id);`);

    // Other migrations add some of these columns too ("if not exists" makes the order irrelevant); the foreign
    // keys are this migration's.
    this.addSql(`
alter table job
  add column if not exists recipe_id bigint,
  add column if not exists root_recipe_id bigint,
  add column if not exists recipe_node_name varchar(100),
  add column if not exists superseded_job_id bigint,
  add column if not exists root_superseded_job_id bigint,
  add column if not exists superseded timestamptz;`);
    for (const [name, column, target] of [
      ['job_recipe_fk', 'recipe_id', 'recipe'],
      ['job_root_recipe_fk', 'root_recipe_id', 'recipe'],
      ['job_superseded_job_fk', 'superseded_job_id', 'job'],
      ['job_root_superseded_job_fk', 'root_superseded_job_id', 'job'],
    ] as const) {
      this.addSql(`
do $$ begin
  if not exists (select 1 from pg_constraint where conname = '${name}') then
    alter table job add constraint ${name} foreign key (${column}) references ${target} (id);
  end if;
end $$;`);
    }
    // A recipe node gets at most one job, whatever retries, replicas or crashes happen (reliability.md I7).
    this.addSql(
      `create unique index job_recipe_node_unique on job (recipe_id, recipe_node_name) where recipe_id is not null;`,
    );
    this.addSql(`create index job_root_recipe on job (root_recipe_id) where root_recipe_id is not null;`);
  }
}
