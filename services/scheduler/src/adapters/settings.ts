/** Operator settings the scheduler owns: per-node pause/activation and the scheduler's own pause and queue mode. */
import type {
  UpdateNodeRequest,
  UpdateNodeResult,
  UpdateSchedulerRequest,
  UpdateSchedulerResult,
} from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { NotFoundError } from '@scale/runtime';

export async function updateNode(em: EntityManager, request: UpdateNodeRequest): Promise<UpdateNodeResult> {
  const rows = await em.execute<{ id: number }[]>(
    `update node
        set is_paused = coalesce(?, is_paused),
            pause_reason = case when ? then ? else pause_reason end,
            is_active = coalesce(?, is_active),
            deprecated = case when coalesce(?, is_active) then null else coalesce(deprecated, now()) end,
            state = case when state = 'OFFLINE' then 'OFFLINE' when coalesce(?, is_paused) then 'PAUSED' else 'READY' end,
            last_modified = now()
      where id = ? returning id`,
    [
      request.isPaused ?? null,
      request.pauseReason !== undefined,
      request.pauseReason ?? null,
      request.isActive ?? null,
      request.isActive ?? null,
      request.isPaused ?? null,
      request.nodeId,
    ],
  );
  if (!rows[0]) throw NotFoundError.of('node', request.nodeId);
  return { nodeId: rows[0].id };
}

export async function updateScheduler(
  em: EntityManager,
  request: UpdateSchedulerRequest,
): Promise<UpdateSchedulerResult> {
  const [row] = await em.execute<{ is_paused: boolean; queue_mode: 'FIFO' | 'LIFO' }[]>(
    `update scheduler set is_paused = coalesce(?, is_paused), queue_mode = coalesce(?, queue_mode), last_modified = now()
      where id = 1 returning is_paused, queue_mode`,
    [request.isPaused ?? null, request.queueMode ?? null],
  );
  return { isPaused: row!.is_paused, queueMode: row!.queue_mode };
}
