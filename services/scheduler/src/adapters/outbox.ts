/**
 * Correctness rule 2: messages are written with the state change, in its transaction, then published. The writer
 * publishes what its transaction wrote as soon as it committed (OutboxPublisher) and deletes the rows; the relay
 * publishes whatever is left (a crash between commit and publish, a failed publish, another replica's rows).
 */
import type { JobStatus, JobStatusEvent, Subjects } from '@scale/contracts';
import type { EntityManager, Orm } from '@scale/db';
import { encodeJson, type JetStreamClient, type Logger } from '@scale/runtime';

export interface OutboxMessage {
  subject: string;
  /** Deterministic: JetStream drops a re-published duplicate within its window. */
  msgId: string;
  payload: unknown;
}

/** Rows per statement: one JSON parameter per chunk keeps far below Postgres' 65,535-parameter limit. */
const OUTBOX_CHUNK = 5000;

/** What one transaction wrote to the outbox: its messages in order and the ids of their rows. */
export interface WrittenMessages {
  ids: string[];
  messages: OutboxMessage[];
}

/** Per transaction (its EntityManager), what writeOutbox wrote, for the caller to publish once it committed. */
const written = new WeakMap<EntityManager, WrittenMessages>();

/**
 * Inserts messages in their order and returns the row ids; its one parameter is the messages' JSON (encodeJson).
 * Also a part of statements that write other rows in the same round trip (noteWritten records what it wrote).
 */
export const OUTBOX_INSERT = `insert into outbox (subject, msg_id, payload)
  select m->>'subject', m->>'msgId', m->'payload' from jsonb_array_elements(?::jsonb) with ordinality as t(m, i)
  order by i
  returning id`;

export async function writeOutbox(em: EntityManager, messages: readonly OutboxMessage[]): Promise<void> {
  for (let start = 0; start < messages.length; start += OUTBOX_CHUNK) {
    const chunk = messages.slice(start, start + OUTBOX_CHUNK);
    const rows = await em.execute<{ id: string }[]>(OUTBOX_INSERT, [encodeJson(chunk)]);
    noteWritten(
      em,
      rows.map((row) => String(row.id)),
      chunk,
    );
  }
}

/**
 * Records outbox rows the transaction of `em` inserted (writeOutbox, or a larger statement's INSERT ... RETURNING),
 * for takeWritten. The ids need not be in the order of the messages: they only name the rows to delete.
 */
export function noteWritten(em: EntityManager, ids: readonly string[], messages: readonly OutboxMessage[]): void {
  if (ids.length === 0) return;
  const entry = written.get(em) ?? { ids: [], messages: [] };
  entry.ids.push(...ids);
  entry.messages.push(...messages);
  written.set(em, entry);
}

/** Takes what the transaction of `em` wrote to the outbox (call it inside the transaction, as its last step). */
export function takeWritten(em: EntityManager): WrittenMessages | undefined {
  const entry = written.get(em);
  written.delete(em);
  return entry;
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
  // executions.ts completeExecutions builds the same msgId and payload in SQL: change both together.
  const msgId = `job:${jobId}:${exeNum}:${status}${occurrence ? `:${occurrence}` : ''}`;
  return { subject: subjects.jobStatusEvent(), msgId, payload: event };
}

/**
 * Publishes pending outbox rows in id order and deletes them. Rows are locked (SKIP LOCKED) so relays on several
 * replicas never publish the same row at once; a crash between publish and delete re-publishes with the same msgId.
 * `skip`: rows this process is publishing itself right now (OutboxPublisher).
 */
export async function relayOutbox(
  orm: Orm,
  js: JetStreamClient,
  batch = 200,
  skip: readonly string[] = [],
): Promise<number> {
  return orm.em.fork().transactional(async (em) => {
    const rows = await em.execute<{ id: string; subject: string; msg_id: string; payload: unknown }[]>(
      `select id, subject, msg_id, payload from outbox ${skip.length ? 'where id not in (?)' : ''}
        order by id limit ? for update skip locked`,
      skip.length ? [skip, batch] : [batch],
    );
    if (rows.length === 0) return 0;
    await Promise.all(rows.map((row) => js.publish(row.subject, encodeJson(row.payload), { msgID: row.msg_id })));
    await em.execute('delete from outbox where id in (?)', [rows.map((r) => r.id)]);
    return rows.length;
  });
}

/** Above this many messages a transaction leaves them to the relay, which publishes and deletes in batches. */
const DIRECT_LIMIT = 1000;

/**
 * Publishes what a committed transaction wrote to the outbox, without reading it back, then deletes the rows. The
 * rows stay hidden from this process's relay meanwhile (inFlight); on any failure they stay in the outbox for it.
 */
export class OutboxPublisher {
  private readonly inFlight = new Set<string>();
  private readonly pending = new Set<Promise<void>>();

  private readonly orm: Orm;
  private readonly js: JetStreamClient;
  private readonly log: Logger;

  constructor(orm: Orm, js: JetStreamClient, log: Logger) {
    this.orm = orm;
    this.js = js;
    this.log = log;
  }

  /** Row ids being published right now, for relayOutbox's `skip`. */
  skip(): string[] {
    return [...this.inFlight];
  }

  /** Starts publishing (not awaited by the caller); false when it is left to the relay. */
  publish(committed: WrittenMessages | undefined): boolean {
    if (!committed || committed.ids.length === 0) return true;
    if (committed.ids.length > DIRECT_LIMIT) return false;
    for (const id of committed.ids) this.inFlight.add(id);
    const work = this.send(committed).finally(() => {
      for (const id of committed.ids) this.inFlight.delete(id);
      this.pending.delete(work);
    });
    this.pending.add(work);
    return true;
  }

  /** Resolves when every publish started so far has finished. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async send({ ids, messages }: WrittenMessages): Promise<void> {
    try {
      // Sent in order on one connection, so JetStream stores them in the order the transaction wrote them.
      await Promise.all(messages.map((m) => this.js.publish(m.subject, encodeJson(m.payload), { msgID: m.msgId })));
      await this.orm.em.fork().execute('delete from outbox where id in (?)', [ids]);
    } catch (err) {
      this.log.warn({ err, messages: ids.length }, 'direct publish failed; the outbox relay takes them');
    }
  }
}
