/** Correctness rule 2: messages are written with the state change, in its transaction, then relayed. */
import type { JobStatus, JobStatusEvent, Subjects } from '@scale/contracts';
import type { EntityManager, Orm } from '@scale/db';
import { encodeJson, type JetStreamClient } from '@scale/runtime';

export interface OutboxMessage {
  subject: string;
  /** Deterministic: JetStream drops a re-published duplicate within its window. */
  msgId: string;
  payload: unknown;
}

/** Rows per statement: one JSON parameter per chunk keeps far below Postgres' 65,535-parameter limit. */
const OUTBOX_CHUNK = 5000;

export async function writeOutbox(em: EntityManager, messages: readonly OutboxMessage[]): Promise<void> {
  for (let start = 0; start < messages.length; start += OUTBOX_CHUNK) {
    const chunk = messages.slice(start, start + OUTBOX_CHUNK);
    await em.execute(
      `insert into outbox (subject, msg_id, payload)
       select m->>'subject', m->>'msgId', m->'payload' from jsonb_array_elements(?::jsonb) with ordinality as t(m, i)
       order by i`,
      [encodeJson(chunk)],
    );
  }
}

export function jobStatusMessage(
  subjects: Subjects,
  jobId: number,
  status: JobStatus,
  exeNum: number,
  errorCategory: JobStatusEvent['errorCategory'] = null,
  /**
   * Distinguishes a repeat of the same (job, exe_num, status), e.g. a never-queued job requeued back to PENDING,
   * which JetStream would otherwise drop as a duplicate of the first event within its window.
   */
  occurrence?: string,
): OutboxMessage {
  const event: JobStatusEvent = { jobId, status, exeNum, errorCategory, at: new Date().toISOString() };
  const msgId = `job:${jobId}:${exeNum}:${status}${occurrence ? `:${occurrence}` : ''}`;
  return { subject: subjects.jobStatusEvent(), msgId, payload: event };
}

/**
 * Publishes pending outbox rows in id order and deletes them. Rows are locked (SKIP LOCKED) so relays on several
 * replicas never publish the same row at once; a crash between publish and delete re-publishes with the same msgId.
 */
export async function relayOutbox(orm: Orm, js: JetStreamClient, batch = 200): Promise<number> {
  return orm.em.fork().transactional(async (em) => {
    const rows = await em.execute<{ id: string; subject: string; msg_id: string; payload: unknown }[]>(
      'select id, subject, msg_id, payload from outbox order by id limit ? for update skip locked',
      [batch],
    );
    if (rows.length === 0) return 0;
    await Promise.all(rows.map((row) => js.publish(row.subject, encodeJson(row.payload), { msgID: row.msg_id })));
    await em.execute('delete from outbox where id in (?)', [rows.map((r) => r.id)]);
    return rows.length;
  });
}
