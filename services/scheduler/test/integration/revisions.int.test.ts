/**
 * The scheduler's cache of job type revisions on a real database: what it reads from Postgres and what it keeps.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EntityManager, type Orm, openOrm } from '@scale/db';
import { createTestDatabase, type TestDatabase } from '@scale/testkit';
import { RevisionCache } from '../../src/adapters/revisions.ts';

const manifest = (version: string) => ({
  seedVersion: '1.0.0',
  job: { name: 'rev', jobVersion: '1.0.0', packageVersion: version, title: 'Rev', timeout: 60, interface: {} },
});

/** Counts the statements a cache read sends, so the test sees what it read from Postgres and what from memory. */
function counting(em: EntityManager): { em: EntityManager; statements: () => number } {
  let statements = 0;
  const proxy = new Proxy(em, {
    get(target, key, receiver) {
      if (key !== 'execute') return Reflect.get(target, key, receiver);
      return (...args: Parameters<EntityManager['execute']>) => {
        statements += 1;
        return target.execute(...args);
      };
    },
  });
  return { em: proxy, statements: () => statements };
}

describe('revision cache', () => {
  let db: TestDatabase;
  let orm: Orm;
  let revisionIds: number[];

  beforeAll(async () => {
    db = await createTestDatabase('revcache');
    orm = await openOrm({ url: db.url, poolSize: 2 });
    const em = orm.em.fork();
    const [type] = await em.execute<{ id: number }[]>(
      `insert into job_type (name, version, docker_image, manifest) values ('rev', '1.0.0', 'local/rev:1', ?) returning id`,
      [JSON.stringify(manifest('1'))],
    );
    const rows = await em.execute<{ id: number }[]>(
      `insert into job_type_revision (job_type_id, revision_num, docker_image, manifest)
       values (?, 1, 'local/rev:1', ?), (?, 2, 'local/rev:2', ?), (?, 3, 'local/rev:3', ?) returning id`,
      [
        type!.id,
        JSON.stringify(manifest('1')),
        type!.id,
        JSON.stringify(manifest('2')),
        type!.id,
        JSON.stringify(manifest('3')),
      ],
    );
    revisionIds = rows.map((r) => r.id);
  });

  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('revisions - reads each revision once, with its job type name and version', async () => {
    const cache = new RevisionCache();
    const { em, statements } = counting(orm.em.fork());
    const [first, second] = revisionIds as [number, number];
    const read = await cache.read(em, [first, first, second]);
    expect(statements()).toBe(1);
    expect(
      [...read.values()].map((r) => [r.id, r.docker_image, r.name, r.version, r.manifest.job.packageVersion]),
    ).toEqual([
      [first, 'local/rev:1', 'rev', '1.0.0', '1'],
      [second, 'local/rev:2', 'rev', '1.0.0', '2'],
    ]);
    expect((await cache.read(em, [second, first])).size).toBe(2);
    expect(statements()).toBe(1);
  });

  it('revisions - beyond its capacity the oldest read is dropped and read again when needed', async () => {
    const cache = new RevisionCache(2);
    const { em, statements } = counting(orm.em.fork());
    const [first, second, third] = revisionIds as [number, number, number];
    await cache.read(em, [first]);
    await cache.read(em, [second]);
    await cache.read(em, [third]);
    expect(statements()).toBe(3);
    await cache.read(em, [second, third]);
    expect(statements()).toBe(3);
    expect((await cache.read(em, [first])).get(first)?.docker_image).toBe('local/rev:1');
    expect(statements()).toBe(4);
  });

  it('revisions - an id that names no revision is left out', async () => {
    const read = await new RevisionCache().read(orm.em.fork(), [999_999]);
    expect(read.size).toBe(0);
  });
});
