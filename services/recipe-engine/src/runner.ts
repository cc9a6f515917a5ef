/**
 * Advances recipe trees: reads a tree, runs the reducer, carries the commands out (local ones in the same
 * transaction, job ones through the scheduler), and goes round again while that made progress (a created job
 * lets its children be created, a processed condition its branch...).
 *
 * Per tree, one advance at a time: requests for a tree already being advanced in this process join it and make
 * it go round once more; across replicas the lease on the top-level recipe row does the same (lease.ts).
 */
import type { JobStatusEvent } from '@scale/contracts';
import type { EntityManager, Orm } from '@scale/db';
import type { Logger } from '@scale/runtime';
import { applyLocal, recordJobNodes } from './adapters/db/effects.ts';
import { claimTree, markDirty, releaseLease } from './adapters/db/lease.ts';
import { CatalogueCache, loadTree } from './adapters/db/tree-loader.ts';
import type { SchedulerClient } from './adapters/nats/scheduler.ts';
import { advance } from './domain/advance.ts';
import { type Command, isLocal, type JobCommand } from './domain/tree.ts';

/** A tree that still changes after this many rounds is left to the next event or the sweep. */
const MAX_ROUNDS = 50;

export interface RunnerDeps {
  orm: Orm;
  scheduler: SchedulerClient;
  log: Logger;
  engineId: string;
  leaseMs: number;
  /** Called when the scheduler created jobs and before they are recorded (a failpoint for fault tests). */
  afterJobsCreated?: () => void;
}

export interface TreeRunner {
  /** Advances the tree under this top-level recipe; resolves once its state is acted upon (or handed over). */
  advance(rootId: number, event?: JobStatusEvent): Promise<void>;
  /** Resolves when no advance is running. */
  idle(): Promise<void>;
}

export function createRunner({ orm, scheduler, log, engineId, leaseMs, afterJobsCreated }: RunnerDeps): TreeRunner {
  const running = new Map<number, { again: boolean; done: Promise<void> }>();
  const catalogue = new CatalogueCache();

  /** One round: read the tree, run the reducer, carry the commands out. 'again' when that made progress. */
  async function round(rootId: number, event: JobStatusEvent | undefined): Promise<'again' | 'done' | 'leased'> {
    const local = await orm.em.fork().transactional(async (tx) => {
      const claim = await claimTree(tx, rootId, engineId, leaseMs);
      if (claim !== 'owned') return claim;
      const loaded = await loadTree(tx, rootId, catalogue);
      if (!loaded) return 'missing';
      const adopted = await recordJobNodes(tx, loaded.orphans);
      const { commands } = advance(loaded.tree, event);
      const changed = await applyLocal(tx, commands.filter(isLocal));
      // The scheduler gets the job commands before this transaction commits, so a child is queued one commit
      // sooner. Safe: it locks nothing this transaction holds (job rows only reference recipes that existed when
      // the round began), a repeat finds the same job (one per node), and jobs created by a round that then rolls
      // back are adopted as orphans by the next one.
      const progress = await carryOut(
        tx,
        commands.filter((c): c is JobCommand => !isLocal(c)),
      );
      return { commands, changed: changed + adopted, progress };
    });
    if (local === 'leased') return 'leased';
    if (local === 'missing') return 'done';
    if (local.commands.length) log.info({ rootId, commands: local.commands.map(describe) }, 'recipe advanced');
    return local.changed > 0 || local.progress ? 'again' : 'done';
  }

  /** Sends the job commands to the scheduler; true when that can let the tree move on (new jobs, superseded ones). */
  async function carryOut(tx: EntityManager, commands: JobCommand[]): Promise<boolean> {
    const creates = commands.filter((c) => c.type === 'CREATE_JOB');
    const pick = <T extends JobCommand['type']>(type: T) =>
      commands.filter((c): c is Extract<JobCommand, { type: T }> => c.type === type);
    const moves = {
      queue: pick('QUEUE_JOB').map((c) => ({ jobId: c.jobId, input: c.input })),
      block: pick('BLOCK_JOB').map((c) => c.jobId),
      unblock: pick('UNBLOCK_JOB').map((c) => c.jobId),
      supersede: pick('SUPERSEDE_JOBS').flatMap((c) => c.jobIds),
    };
    const anyMove = Object.values(moves).some((list) => list.length > 0);
    const [jobIds, moved] = await Promise.all([
      creates.length ? scheduler.createJobs(creates) : Promise.resolve([]),
      anyMove ? scheduler.moveJobs(moves) : Promise.resolve(undefined),
    ]);
    if (creates.length) afterJobsCreated?.();
    const recorded = await recordJobNodes(
      tx,
      creates.map((c, i) => ({ recipeId: c.recipeId, node: c.node, jobId: jobIds[i]! })),
    );
    return recorded > 0 || (moved?.superseded.length ?? 0) > 0;
  }

  async function advanceLeased(rootId: number, event: JobStatusEvent | undefined): Promise<void> {
    let pending = event;
    let owned = false;
    try {
      for (;;) {
        for (let rounds = 1; ; rounds++) {
          const outcome = await round(rootId, pending);
          pending = undefined;
          // Another replica owns the tree: it was marked dirty, the owner goes round again.
          if (outcome === 'leased') return;
          owned = true;
          if (outcome === 'done') break;
          if (rounds >= MAX_ROUNDS) {
            log.warn({ rootId, rounds }, 'recipe tree still changing, leaving it to the next pass');
            break;
          }
        }
        if ((await releaseLease(orm.em.fork(), rootId, engineId)) !== 'dirty') return;
      }
    } catch (err) {
      // Leave the tree to whoever comes next (a redelivered event, another replica, the sweep) without waiting
      // for the lease to expire.
      const em = orm.em.fork();
      if (owned) await releaseLease(em, rootId, engineId).catch(() => undefined);
      await markDirty(em, rootId).catch(() => undefined);
      throw err;
    }
  }

  return {
    advance(rootId, event) {
      const current = running.get(rootId);
      if (current) {
        current.again = true;
        return current.done;
      }
      const entry = { again: false, done: Promise.resolve() };
      entry.done = (async () => {
        try {
          let first = event;
          do {
            entry.again = false;
            await advanceLeased(rootId, first);
            first = undefined;
          } while (entry.again);
        } finally {
          running.delete(rootId);
        }
      })();
      running.set(rootId, entry);
      return entry.done;
    },
    async idle() {
      while (running.size) await Promise.allSettled([...running.values()].map((r) => r.done));
    },
  };
}

function describe(command: Command): string {
  switch (command.type) {
    case 'CREATE_JOB':
      return `create ${command.status} job ${command.recipeId}/${command.node}`;
    case 'QUEUE_JOB':
    case 'BLOCK_JOB':
    case 'UNBLOCK_JOB':
      return `${command.type.split('_')[0]!.toLowerCase()} job ${command.jobId} (${command.recipeId}/${command.node})`;
    case 'PROCESS_CONDITION':
      return `condition ${command.recipeId}/${command.node} ${command.accepted ? 'accepted' : 'rejected'}`;
    case 'CREATE_SUB_RECIPE':
      return `sub-recipe ${command.recipeId}/${command.node}`;
    case 'COMPLETE_RECIPE':
      return `complete recipe ${command.recipeId}`;
    case 'SUPERSEDE_JOBS':
      return `supersede jobs ${command.jobIds.join(',')}`;
  }
}
