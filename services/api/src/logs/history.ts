/**
 * Reads the stored history of one execution's log from the JetStream LOGS stream, without waiting for new lines.
 *
 * It speaks the JetStream wire API ($JS.API.*) over the core connection: an ephemeral, in-memory, no-ack consumer
 * filtered on the execution's subject(s), pulled with no_wait until the count it reported at creation is reached.
 * (The API has no @nats-io/jetstream dependency; swapping this for jetstream(nc).consumers.get() is local to this file.)
 */
import { randomBytes } from 'node:crypto';
import type { Subjects } from '@scale/contracts';
import { AppError, type Msg, type NatsConnection, UnavailableError } from '@scale/runtime';
import { compareLines, type LogLine, LogLinePayload, type LogSelector } from './line.ts';

export interface LogHistoryQuery {
  jobExeId: number;
  selector: LogSelector;
  /** Only lines stamped at or after this instant (Scale's `started`). */
  since?: Date;
  /** Most lines returned; the oldest ones win. */
  maxLines: number;
}

export interface LogHistory {
  lines: LogLine[];
  /** More lines matched than maxLines. */
  truncated: boolean;
}

export interface LogReadOptions {
  /** Deadline of each round trip to the server. @default 5000 */
  timeoutMs?: number;
}

const MS = 1_000_000; // nanoseconds
/** Agents stamp lines with their own clock: start the stream scan earlier than `since` to absorb clock skew. */
const CLOCK_SKEW_MS = 60_000;
const PULL_BATCH = 1000;

interface ConsumerInfo {
  name: string;
  num_pending: number;
}

interface ApiError {
  code: number;
  err_code?: number;
  description?: string;
}

function inbox(): string {
  return `_INBOX.${randomBytes(12).toString('hex')}`;
}

async function jsApi<T>(nc: NatsConnection, subject: string, body: unknown, timeoutMs: number): Promise<T | ApiError> {
  let reply: Msg;
  try {
    reply = await nc.request(subject, JSON.stringify(body ?? {}), { timeout: timeoutMs });
  } catch (err) {
    throw new UnavailableError('JetStream did not answer', { cause: err });
  }
  const parsed = reply.json<T & { error?: ApiError }>();
  return parsed.error ?? parsed;
}

function isApiError(value: unknown): value is ApiError {
  return typeof (value as ApiError).code === 'number' && !('name' in (value as object));
}

async function createConsumer(
  nc: NatsConnection,
  stream: string,
  filter: string,
  since: Date | undefined,
  timeoutMs: number,
): Promise<ConsumerInfo | null> {
  const config = {
    ack_policy: 'none',
    replay_policy: 'instant',
    filter_subject: filter,
    mem_storage: true,
    num_replicas: 1,
    inactive_threshold: 30_000 * MS,
    ...(since
      ? { deliver_policy: 'by_start_time', opt_start_time: new Date(since.getTime() - CLOCK_SKEW_MS).toISOString() }
      : { deliver_policy: 'all' }),
  };
  const info = await jsApi<ConsumerInfo>(
    nc,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    { stream_name: stream, config },
    timeoutMs,
  );
  if (isApiError(info)) {
    // No stream yet: nothing was ever logged under this prefix.
    if (info.err_code === 10059) return null;
    throw new AppError('INTERNAL', `cannot read log stream ${stream}: ${info.description ?? info.code}`);
  }
  return info;
}

/** One no_wait pull; resolves early when the server says there is nothing more (404/408 status). */
function pull(nc: NatsConnection, stream: string, consumer: string, batch: number, timeoutMs: number) {
  return new Promise<{ messages: Msg[]; exhausted: boolean }>((resolve, reject) => {
    const messages: Msg[] = [];
    const subject = inbox();
    const finish = (exhausted: boolean) => {
      clearTimeout(timer);
      sub.unsubscribe();
      resolve({ messages, exhausted });
    };
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new UnavailableError('timed out reading the log stream'));
    }, timeoutMs);
    const sub = nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) {
          clearTimeout(timer);
          sub.unsubscribe();
          reject(new UnavailableError('log stream subscription failed', { cause: err }));
          return;
        }
        const status = msg.data.length === 0 ? (msg.headers?.code ?? 0) : 0;
        if (status === 404 || status === 408) return finish(true);
        if (status >= 400) {
          clearTimeout(timer);
          sub.unsubscribe();
          reject(new AppError('INTERNAL', `log stream pull failed: ${status} ${msg.headers?.description ?? ''}`));
          return;
        }
        if (status) return; // heartbeats and other informational statuses
        messages.push(msg);
        if (messages.length >= batch) finish(false);
      },
    });
    nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, JSON.stringify({ batch, no_wait: true }), {
      reply: subject,
    });
  });
}

/** Stream sequence from the `$JS.ACK.` reply subject (both the 9- and 12-token forms). */
function streamSequence(msg: Msg, fallback: number): number {
  const tokens = msg.reply?.split('.') ?? [];
  const index = tokens.length >= 12 ? 7 : tokens.length === 9 ? 5 : -1;
  const seq = index >= 0 ? Number(tokens[index]) : Number.NaN;
  return Number.isSafeInteger(seq) ? seq : fallback;
}

function decode(msg: Msg, seq: number): LogLine | null {
  let json: unknown;
  try {
    json = JSON.parse(msg.string());
  } catch {
    return null;
  }
  const parsed = LogLinePayload.safeParse(json);
  return parsed.success ? { ...parsed.data, seq } : null;
}

export async function readLogHistory(
  nc: NatsConnection,
  subjects: Subjects,
  query: LogHistoryQuery,
  options: LogReadOptions = {},
): Promise<LogHistory> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const stream = subjects.streams.logs.name;
  const filter =
    query.selector === 'combined' ? subjects.logs(query.jobExeId) : subjects.log(query.jobExeId, query.selector);
  const consumer = await createConsumer(nc, stream, filter, query.since, timeoutMs);
  if (!consumer) return { lines: [], truncated: false };

  const since = query.since?.getTime();
  const lines: LogLine[] = [];
  let remaining = consumer.num_pending;
  let delivered = 0;
  let exhausted = false;
  try {
    while (remaining > 0 && lines.length <= query.maxLines) {
      const batch = await pull(nc, stream, consumer.name, Math.min(remaining, PULL_BATCH), timeoutMs);
      remaining -= batch.messages.length;
      exhausted = batch.exhausted;
      for (const msg of batch.messages) {
        delivered += 1;
        const line = decode(msg, streamSequence(msg, delivered));
        // Malformed payloads are skipped: one bad publisher must not hide the rest of the log.
        if (line && (since === undefined || Date.parse(line.ts) >= since)) lines.push(line);
      }
      if (exhausted) break;
    }
  } finally {
    await jsApi(nc, `$JS.API.CONSUMER.DELETE.${stream}.${consumer.name}`, {}, timeoutMs).catch(() => undefined);
  }
  lines.sort(compareLines);
  const truncated = lines.length > query.maxLines || (remaining > 0 && !exhausted);
  return { lines: lines.slice(0, query.maxLines), truncated };
}
