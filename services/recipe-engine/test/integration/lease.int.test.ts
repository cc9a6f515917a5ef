/** The lease that keeps two replicas from advancing one recipe tree at once, on a real database. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Orm, openOrm } from '@scale/db';
import { createTestDatabase, type TestDatabase } from '@scale/testkit';
import { claimTree, markDirty, releaseLease } from '../../src/adapters/db/lease.ts';

describe('recipe lease', () => {
  let db: TestDatabase;
  let orm: Orm;
  let rootId: number;
  const claim = (owner: string, leaseMs = 60_000) =>
    orm.em.fork().transactional((tx) => claimTree(tx, rootId, owner, leaseMs));
  const release = (owner: string) => releaseLease(orm.em.fork(), rootId, owner);
  const row = async () =>
    (
      await orm.em
        .fork()
        .execute<{ owner: string | null; dirty: boolean; advanced: Date | null }[]>(
          'select engine_lease_owner as owner, engine_dirty as dirty, last_advanced as advanced from recipe where id = ?',
          [rootId],
        )
    )[0]!;

  beforeAll(async () => {
    db = await createTestDatabase('lease');
    orm = await openOrm({ url: db.url, poolSize: 2 });
    const em = orm.em.fork();
    const [type] = await em.execute<{ id: number }[]>(
      `insert into recipe_type (name, definition) values ('t', '{"input": {}, "nodes": {}}') returning id`,
    );
    const [rev] = await em.execute<{ id: number }[]>(
      `insert into recipe_type_revision (recipe_type_id, revision_num, definition) values (?, 1, '{"input": {}, "nodes": {}}') returning id`,
      [type!.id],
    );
    const [recipe] = await em.execute<{ id: string }[]>(
      `insert into recipe (recipe_type_id, recipe_type_rev_id, input) values (?, ?, '{}') returning id`,
      [type!.id, rev!.id],
    );
    rootId = Number(recipe!.id);
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('recipe lease - a second replica marks the tree dirty and the owner goes round again', async () => {
    expect(await claim('a')).toBe('owned');
    expect(await row()).toMatchObject({ owner: 'a', dirty: false });
    expect((await row()).advanced).not.toBeNull();
    expect(await claim('b')).toBe('leased');
    expect(await row()).toMatchObject({ owner: 'a', dirty: true });
    expect(await release('a')).toBe('dirty');
    expect(await claim('a')).toBe('owned');
    expect(await row()).toMatchObject({ owner: 'a', dirty: false });
    expect(await release('a')).toBe('released');
    expect(await row()).toMatchObject({ owner: null });
    expect(await claim('b')).toBe('owned');
    expect(await release('b')).toBe('released');
  });

  it('recipe lease - an expired lease is taken over; the old owner finds it lost', async () => {
    expect(await claim('a', 1)).toBe('owned');
    await new Promise((r) => setTimeout(r, 20));
    expect(await claim('b')).toBe('owned');
    expect(await release('a')).toBe('lost');
    expect(await release('b')).toBe('released');
  });

  it('recipe lease - dirty without an owner is left for the sweep; a missing recipe is reported', async () => {
    await markDirty(orm.em.fork(), rootId);
    expect(await row()).toMatchObject({ owner: null, dirty: true });
    expect(await claim('c')).toBe('owned');
    expect(await row()).toMatchObject({ dirty: false });
    expect(await release('c')).toBe('released');
    expect(await orm.em.fork().transactional((tx) => claimTree(tx, 999_999, 'a', 1000))).toBe('missing');
  });
});
