/**
 * The API's window on the JetStream LOGS stream, through @nats-io/jetstream: where the archive ends (the log
 * archiver's ack floor), ordered consumers over one execution's lines, and the last stored line of an execution.
 *
 * Each reader gets an ordered consumer: ephemeral, in memory, no acks, filtered on the execution's subject(s) with
 * a single `filter_subject` (nats-server 2.9 has no `filter_subjects`), deleted when the reader is done and reaped
 * by the server after `inactive_threshold` if the API dies first.
 */
import { LogRecord, normalizeLogText, type Subjects } from '@scale/contracts';
import { type JetStreamClient, type JsMsg, jetstream, type NatsConnection, UnavailableError } from '@scale/runtime';
import { type LogLine, type LogSelector, selectorStreams } from '../domain/log-lines.ts';

/** How long the server keeps a reader's consumer after the API stopped pulling (it normally deletes it itself). */
const INACTIVE_THRESHOLD_MS = 30_000;

export type OrderedConsumer = Awaited<ReturnType<JetStreamClient['consumers']['get']>>;
export type FetchedMessages = Awaited<ReturnType<OrderedConsumer['fetch']>>;

/** A stored message of an execution's log; `line` is null when the payload is not a valid log record. */
export interface StreamEntry {
  seq: number;
  /** Matching messages left in the consumer after this one, when it was delivered. */
  pending: number;
  line: LogLine | null;
}

export interface OpenedLog {
  consumer: OrderedConsumer;
  /** Matching messages stored at creation. */
  pending: number;
}

export type StartAt = { seq: number } | { time: Date };

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : '';
}

function isStreamNotFound(err: unknown): boolean {
  return errorName(err) === 'StreamNotFoundError' || (err as { code?: number }).code === 10059;
}

function isConsumerNotFound(err: unknown): boolean {
  return errorName(err) === 'ConsumerNotFoundError' || (err as { code?: number }).code === 10014;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Decodes one stored message; malformed payloads become `line: null` so one bad publisher hides nothing else. */
export function toEntry(msg: JsMsg): StreamEntry {
  const entry: StreamEntry = { seq: msg.info.streamSequence, pending: msg.info.pending, line: null };
  const parsed = LogRecord.safeParse(safeJson(msg.string()));
  if (parsed.success) {
    const { line, stream, ts, n } = parsed.data;
    entry.line = { line: normalizeLogText(line), stream, ts: new Date(ts).toISOString(), n };
  }
  return entry;
}

export class LogStreamReader {
  readonly #js: JetStreamClient;
  readonly #subjects: Subjects;
  readonly #stream: string;

  constructor(nc: NatsConnection, subjects: Subjects, timeoutMs: number) {
    this.#js = jetstream(nc, { timeout: timeoutMs });
    this.#subjects = subjects;
    this.#stream = subjects.streams.logs.name;
  }

  /**
   * Every stream sequence at or below this one is in the Postgres archive: the archiver acks a line only after its
   * batch committed. 0 when no archiver consumer (or no stream) exists, so readers take everything from the stream.
   */
  async archiveFloor(): Promise<number> {
    try {
      const jsm = await this.#js.jetstreamManager();
      const info = await jsm.consumers.info(this.#stream, this.#subjects.consumers.logArchiver);
      return info.ack_floor.stream_seq;
    } catch (err) {
      if (isStreamNotFound(err) || isConsumerNotFound(err)) return 0;
      throw new UnavailableError('cannot read the log archiver position', { cause: err });
    }
  }

  /** An ordered consumer over one execution's lines from `start`, or null when the LOGS stream does not exist. */
  async open(jobExeId: number, selector: LogSelector, start: StartAt): Promise<OpenedLog | null> {
    const filter = selector === 'combined' ? this.#subjects.logs(jobExeId) : this.#subjects.log(jobExeId, selector);
    try {
      const consumer = await this.#js.consumers.get(this.#stream, {
        filter_subjects: filter,
        inactive_threshold: INACTIVE_THRESHOLD_MS,
        ...('seq' in start ? { opt_start_seq: Math.max(1, start.seq) } : { opt_start_time: start.time.toISOString() }),
      });
      const info = await consumer.info(true);
      return { consumer, pending: info.num_pending };
    } catch (err) {
      if (isStreamNotFound(err)) return null;
      throw new UnavailableError('cannot read the log stream', { cause: err });
    }
  }

  /**
   * The last stored message of the execution on the selected streams: its sequence and line number (0 and 0 when
   * there is none; the line number is 0 too when its payload is malformed).
   */
  async last(jobExeId: number, selector: LogSelector): Promise<{ seq: number; n: number }> {
    try {
      const jsm = await this.#js.jetstreamManager();
      const stored = await Promise.all(
        selectorStreams(selector).map((s) =>
          jsm.streams.getMessage(this.#stream, { last_by_subj: this.#subjects.log(jobExeId, s) }),
        ),
      );
      let last = { seq: 0, n: 0 };
      for (const msg of stored) {
        if (!msg) continue;
        const parsed = LogRecord.safeParse(safeJson(msg.string()));
        last = { seq: Math.max(last.seq, msg.seq), n: Math.max(last.n, parsed.success ? parsed.data.n : 0) };
      }
      return last;
    } catch (err) {
      if (isStreamNotFound(err)) return { seq: 0, n: 0 };
      throw new UnavailableError('cannot read the log stream', { cause: err });
    }
  }
}

/** Deletes a reader's consumer; a failure only leaves it to the server's inactivity reaper. */
export async function closeConsumer(opened: OpenedLog): Promise<void> {
  await opened.consumer.delete().catch(() => undefined);
}
