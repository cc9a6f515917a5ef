/** Correctness rule 4: one active scheduler, elected by a lease row whose epoch grows with every new holder. */
import type { EntityManager } from '@scale/db';

/**
 * Takes the lease if it is free or expired, or renews it if we hold it. Returns our epoch, or null when another
 * scheduler holds a live lease. A takeover increments the epoch, so writes checked against the old one fail.
 */
export async function acquireLease(em: EntityManager, holder: string, leaseMs: number): Promise<number | null> {
  const rows = await em.execute<{ epoch: string }[]>(
    `update scheduler_lease
        set epoch = case when holder = ? and expires > now() then epoch else epoch + 1 end,
            holder = ?,
            expires = now() + (? * interval '1 millisecond')
      where id = 1 and (holder = ? or expires <= now())
      returning epoch`,
    [holder, holder, leaseMs, holder],
  );
  return rows[0] ? Number(rows[0].epoch) : null;
}

/** Gives the lease up at shutdown, so a standby takes over at once instead of waiting for expiry. */
export async function releaseLease(em: EntityManager, holder: string): Promise<void> {
  await em.execute(`update scheduler_lease set expires = now() where id = 1 and holder = ?`, [holder]);
}

export interface SchedulerSettings {
  is_paused: boolean;
  queue_mode: 'FIFO' | 'LIFO';
}

/**
 * Inside a transaction: locks the lease row and reads the scheduler settings, in one round trip. Null unless we
 * still hold the lease under this epoch (the pass is fenced).
 */
export async function leaseAndSettings(
  em: EntityManager,
  holder: string,
  epoch: number,
): Promise<SchedulerSettings | null> {
  const [row] = await em.execute<SchedulerSettings[]>(
    `select s.is_paused, s.queue_mode
       from (select 1 from scheduler_lease
              where id = 1 and holder = ? and epoch = ? and expires > now() for share) lease
       cross join scheduler s
      where s.id = 1`,
    [holder, epoch],
  );
  return row ?? null;
}
