import { Migrator } from '@mikro-orm/migrations';
import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { ENTITIES } from './entities.ts';
import { Migration20261123000000_initial } from './migrations/Migration20261123000000_initial.ts';
import { Migration20261123100000_job_type_status_indexes } from './migrations/Migration20261123100000_job_type_status_indexes.ts';
import { Migration20261123110000_workspaces_files } from './migrations/Migration20261123110000_workspaces_files.ts';
import { Migration20261123115000_log_archive } from './migrations/Migration20261123115000_log_archive.ts';
import { Migration20261123120000_recipes } from './migrations/Migration20261123120000_recipes.ts';
import { Migration20261123130000_scheduling } from './migrations/Migration20261123130000_scheduling.ts';
import { Migration20261123140000_job_read_indexes } from './migrations/Migration20261123140000_job_read_indexes.ts';
import { Migration20261123150000_job_counts } from './migrations/Migration20261123150000_job_counts.ts';
import { Migration20261123160000_output_too_large } from './migrations/Migration20261123160000_output_too_large.ts';
import { Migration20261123170000_idempotency_fingerprints } from './migrations/Migration20261123170000_idempotency_fingerprints.ts';

export type Orm = MikroORM;
export type { EntityManager };

/**
 * Every migration, applied in the order of their timestamped class names (whatever order they are listed in).
 * Listed explicitly so no file discovery happens at run time.
 */
export const MIGRATIONS = [
  Migration20261123000000_initial,
  Migration20261123100000_job_type_status_indexes,
  Migration20261123110000_workspaces_files,
  Migration20261123115000_log_archive,
  Migration20261123120000_recipes,
  Migration20261123130000_scheduling,
  Migration20261123140000_job_read_indexes,
  Migration20261123150000_job_counts,
  Migration20261123160000_output_too_large,
  Migration20261123170000_idempotency_fingerprints,
].sort((a, b) => a.name.localeCompare(b.name));

export interface OrmOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Connection pool size. @default 10 */
  poolSize?: number;
  debug?: boolean;
}

export async function openOrm({ url, poolSize = 10, debug = false }: OrmOptions): Promise<Orm> {
  return MikroORM.init({
    clientUrl: url,
    entities: ENTITIES,
    extensions: [Migrator],
    pool: { min: 0, max: poolSize },
    debug,
    migrations: {
      migrationsList: MIGRATIONS.map((m) => ({ name: m.name, class: m })),
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      snapshotOnMigrate: false,
    },
    // The schema comes from the committed migrations only.
    ensureDatabase: false,
  });
}

/** Applies pending migrations and returns their names; safe to run from several processes at once (advisory lock). */
export async function migrate(orm: Orm): Promise<string[]> {
  const em = orm.em.fork();
  await em.getConnection().execute('select pg_advisory_lock(72150001)');
  try {
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  } finally {
    await em.getConnection().execute('select pg_advisory_unlock(72150001)');
  }
}
