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

export async function writeOutbox(em: EntityManager, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const values = messages.map(() => '(?, ?, ?)').join(', ');
  await em.execute(
    `insert into outbox (subject, msg_id, payload) values ${values}`,
    messages.flatMap((m) => [m.subject, m.msgId, encodeJson(m.payload)]),
  );
}

export function jobStatusMessage(
  subjects: Subjects,
  jobId: number,
  status: JobStatus,
  exeNum: number,
  errorCategory: JobStatusEvent['errorCategory'] = null,
): OutboxMessage {
  const event: JobStatusEvent = { jobId, status, exeNum, errorCategory, at: new Date().toISOString() };
  return { subject: subjects.jobStatusEvent(), msgId: `job:${jobId}:${exeNum}:${status}`, payload: event };
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
