import { Migrator } from '@mikro-orm/migrations';
import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { ENTITIES } from './entities.ts';
import { Migration20261123000000_initial } from './migrations/Migration20261123000000_initial.ts';

export type Orm = MikroORM;
export type { EntityManager };

/** Every migration, in order. Listed explicitly so no file discovery happens at run time. */
export const MIGRATIONS = [Migration20261123000000_initial];

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
