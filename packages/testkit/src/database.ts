/**
 * A database per test file, cloned from a migrated template (graphile-worker's trick): migrations run once per
 * schema version, each clone takes a few tens of milliseconds.
 */
import { createHash, randomBytes } from 'node:crypto';
import { MIGRATIONS, migrate, type Orm, openOrm } from '@scale/db';
import pg from 'pg';

/** The admin connection tests use; the setup script creates this role. */
export const TEST_DATABASE_URL =
  process.env.SCALE_TEST_DATABASE_URL ?? 'postgres://scale:scale@127.0.0.1:5432/postgres';
export const TEST_NATS_URL = process.env.SCALE_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function templateName(): string {
  const source = MIGRATIONS.map((m) => m.name + m.prototype.up.toString()).join('\n');
  return `scale_template_${createHash('sha256').update(source).digest('hex').slice(0, 12)}`;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function ensureTemplate(admin: pg.Client, template: string): Promise<void> {
  await admin.query('select pg_advisory_lock(72150002)');
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [template]);
    if (exists.rowCount) return;
    await admin.query(`create database "${template}"`);
    let orm: Orm | undefined;
    try {
      orm = await openOrm({ url: withDatabase(TEST_DATABASE_URL, template), poolSize: 1 });
      await migrate(orm);
    } catch (err) {
      await orm?.close();
      orm = undefined;
      await admin.query(`drop database if exists "${template}"`);
      throw err;
    }
    await orm.close();
    await admin.query(`update pg_database set datistemplate = true where datname = $1`, [template]);
  } finally {
    await admin.query('select pg_advisory_unlock(72150002)');
  }
}

/** Creates a fresh, migrated database for one test file. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const name = `scale_${label
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  const template = templateName();
  await withAdmin(async (admin) => {
    await ensureTemplate(admin, template);
    await admin.query(`create database "${name}" template "${template}"`);
  });
  return {
    url: withDatabase(TEST_DATABASE_URL, name),
    name,
    drop: () => withAdmin(async (admin) => void (await admin.query(`drop database if exists "${name}" with (force)`))),
  };
}

export interface SqlClient {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A plain connection to a test database, for end-to-end tests that check rows behind the API. */
export async function connectSql(url: string): Promise<SqlClient> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    query: async <T>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as T[],
    close: () => client.end(),
  };
}
