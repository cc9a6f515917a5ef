/**
 * One replica advances a recipe tree at a time: a lease on the top-level recipe row (owner + expiry), and a dirty
 * flag for work that arrives meanwhile. A replica that finds the tree leased marks it dirty and leaves; the owner
 * sees the flag when it tries to release, and goes round again. A crashed owner's lease expires and the sweep
 * takes the tree over. Correctness does not depend on the lease (every effect is guarded or unique); it keeps
 * replicas from racing each other with decisions made on different snapshots.
 */
import type { EntityManager } from '@scale/db';

export type Claim = 'owned' | 'leased' | 'missing';

/**
 * Takes or renews the lease at the start of a round, in the round's transaction: the UPDATE also locks the row
 * (ordering the round after any other transaction on the tree), clears the dirty flag (the owner is about to read
 * the latest state) and stamps `last_advanced` for the sweep. A tree leased to another replica is marked dirty.
 */
export async function claimTree(tx: EntityManager, rootId: number, owner: string, leaseMs: number): Promise<Claim> {
  const rows = await tx.execute<{ id: string }[]>(
    `update recipe set engine_lease_owner = ?, engine_lease_until = now() + ? * interval '1 millisecond',
            engine_dirty = false, last_advanced = now()
      where id = ? and (engine_lease_until is null or engine_lease_until < now() or engine_lease_owner = ?)
      returning id`,
    [owner, leaseMs, rootId, owner],
  );
  if (rows.length) return 'owned';
  const dirty = await tx.execute<{ id: string }[]>('update recipe set engine_dirty = true where id = ? returning id', [
    rootId,
  ]);
  return dirty.length ? 'leased' : 'missing';
}

/** Marks the tree as needing another pass, for whoever advances it next (the owner, another replica, the sweep). */
export async function markDirty(em: EntityManager, rootId: number): Promise<void> {
  await em.execute('update recipe set engine_dirty = true where id = ?', [rootId]);
}

/**
 * Gives the lease up unless work arrived while it was held: 'released', 'dirty' (go round again, still the
 * owner) or 'lost' (another replica took over after the lease expired).
 */
export async function releaseLease(
  em: EntityManager,
  rootId: number,
  owner: string,
): Promise<'released' | 'dirty' | 'lost'> {
  const [row] = await em.execute<{ released: boolean; owner: string | null }[]>(
    `with released as (
       update recipe set engine_lease_owner = null, engine_lease_until = null
        where id = ? and engine_lease_owner = ? and not engine_dirty returning id
     )
     select exists (select 1 from released) as released, (select engine_lease_owner from recipe where id = ?) as owner`,
    [rootId, owner, rootId],
  );
  if (row?.released) return 'released';
  return row?.owner === owner ? 'dirty' : 'lost';
}
