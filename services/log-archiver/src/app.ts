/**
 * The log archiver: copies every line of the JetStream LOGS stream into Postgres (`log_line`), so a log outlives
 * the stream's age and byte limits (docs/adr/0002-log-archive.md).
 *
 * One durable pull consumer (`log-archiver`, explicit acks) shared by every replica. Lines are written in batches,
 * one transaction each, and acked only after the commit: the consumer's ack floor is therefore a promise that
 * every line at or below it is in Postgres, which the API relies on to know where the archive ends. Writes are
 * idempotent on (job_exe_id, n), so redeliveries and replicas never duplicate a line.
 */
import type { Subjects } from '@scale/contracts';
import type { Orm } from '@scale/db';
import { ensureStreams, type JsMsg, jetstream, type Logger, type NatsConnection } from '@scale/runtime';
import { insertLines, isRowError } from './adapters/log-lines.ts';
import { batches } from './batches.ts';
import type { Config } from './config.ts';
import { type ArchiveRow, isRow, toRow } from './domain/rows.ts';

export interface LogArchiverDeps {
  orm: Orm;
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  config: Pick<Config, 'batchSize' | 'flushMs'>;
}

export interface LogArchiver {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Lines handed out and not yet acked, per consumer: bounds the memory of every replica. */
const ACK_PENDING_BATCHES = 4;
const ACK_WAIT_MS = 60_000;

function retryDelayMs(deliveries: number): number {
  return Math.min(30_000, 500 * 2 ** Math.min(deliveries, 6));
}

export function buildLogArchiver({ orm, nc, subjects, log, config }: LogArchiverDeps): LogArchiver {
  const js = jetstream(nc);
  const stream = subjects.streams.logs.name;
  const durable = subjects.consumers.logArchiver;
  let messages: { close(): Promise<unknown> } | undefined;
  let loop: Promise<void> | undefined;

  async function ensureConsumer(): Promise<void> {
    const jsm = await js.jetstreamManager();
    const config_ = {
      durable_name: durable,
      ack_policy: 'explicit' as const,
      deliver_policy: 'all' as const,
      filter_subject: subjects.streams.logs.subjects[0]!,
      ack_wait: ACK_WAIT_MS * 1_000_000,
      max_deliver: -1,
      max_ack_pending: config.batchSize * ACK_PENDING_BATCHES,
    };
    try {
      await jsm.consumers.info(stream, durable);
      // Only the mutable settings change on an existing consumer; its position is kept.
      await jsm.consumers.update(stream, durable, {
        ack_wait: config_.ack_wait,
        max_deliver: config_.max_deliver,
        max_ack_pending: config_.max_ack_pending,
      });
    } catch (err) {
      if (!(err instanceof Error && err.name === 'ConsumerNotFoundError')) throw err;
      await jsm.consumers.add(stream, config_);
    }
  }

  /**
   * Writes one batch; acks what is stored, terms what can never be stored, naks the rest for a later retry.
   * `term()` carries no reason: nats-server 2.9 does not parse `+TERM <reason>` and would leave the message pending.
   */
  async function archive(batch: JsMsg[]): Promise<void> {
    const rows: { msg: JsMsg; row: ArchiveRow }[] = [];
    for (const msg of batch) {
      const row = toRow({ subject: msg.subject, text: msg.string() });
      if (isRow(row)) rows.push({ msg, row });
      else {
        log.warn({ subject: msg.subject, seq: msg.seq, reason: row.malformed }, 'log message not archived');
        msg.term();
      }
    }
    try {
      const inserted = await insertLines(
        orm.em.fork(),
        rows.map((r) => r.row),
      );
      for (const { msg } of rows) msg.ack();
      log.debug({ lines: rows.length, inserted }, 'log lines archived');
      return;
    } catch (err) {
      if (rows.length === 1 || !isRowError(err)) {
        log.warn({ err, lines: rows.length }, 'log lines not archived, retrying later');
        for (const { msg } of rows) msg.nak(retryDelayMs(msg.info.deliveryCount));
        return;
      }
    }
    // One row the database refuses must not hold back the others: write them one by one.
    for (const { msg, row } of rows) {
      try {
        await insertLines(orm.em.fork(), [row]);
        msg.ack();
      } catch (err) {
        if (isRowError(err)) {
          log.error({ err, jobExeId: row.job_exe_id, n: row.n }, 'log line refused by the database, dropped');
          msg.term();
        } else {
          msg.nak(retryDelayMs(msg.info.deliveryCount));
        }
      }
    }
  }

  return {
    async start() {
      await ensureStreams(nc, subjects);
      await ensureConsumer();
      const consumer = await js.consumers.get(stream, durable);
      const consumed = await consumer.consume({ max_messages: config.batchSize });
      messages = consumed;
      loop = (async () => {
        for await (const batch of batches(consumed, config.batchSize, config.flushMs)) await archive(batch);
      })().catch((err: unknown) => log.error({ err }, 'log archiver stopped consuming'));
      log.info({ stream, durable }, 'log archiver consuming');
    },
    async stop() {
      await messages?.close();
      await loop;
    },
  };
}
