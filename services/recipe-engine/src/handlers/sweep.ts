/**
 * Correctness rule 1: no progress depends on a single message. Every sweep advances the recipes in progress that
 * nobody advanced for a while, or that a replica marked dirty and then lost (crash, failed scheduler command): a
 * lost event, a killed engine or a scheduler that was down never leave a recipe stuck.
 */
import type { Orm } from '@scale/db';
import type { Logger } from '@scale/runtime';
import { sweepCandidates } from '../adapters/db/recipes.ts';
import type { TreeRunner } from '../runner.ts';

export function sweeper(orm: Orm, runner: TreeRunner, log: Logger, options: { staleMs: number; batch: number }) {
  return async (): Promise<number> => {
    const roots = await sweepCandidates(orm.em.fork(), options.staleMs, options.batch);
    await Promise.all(
      roots.map((root) =>
        runner.advance(root).catch((err: unknown) => log.warn({ err, rootId: root }, 'sweep could not advance recipe')),
      ),
    );
    return roots.length;
  };
}
