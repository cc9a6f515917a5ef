/** NATS plumbing every service needs: connect, declare streams, typed publish/request/serve/consume. */
import {
  AckPolicy,
  type JetStreamClient,
  type JsMsg,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
} from '@nats-io/jetstream';
import {
  connect,
  delay,
  type Msg,
  type NatsConnection,
  NoRespondersError,
  nanos,
  RequestError,
  TimeoutError,
} from '@nats-io/transport-node';
import { CommandReply, type Subjects } from '@scale/contracts';
import type { z } from 'zod';
import { AppError, ERROR_POLICY, toAppError, UnavailableError, ValidationError } from './errors.ts';
import type { Logger } from './logger.ts';

export type { JetStreamClient, JsMsg, Msg, NatsConnection };
export { jetstream };

export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  // No async traces: each request would capture a stack trace for its error, a tenth of a busy scheduler's CPU.
  return connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 500, noAsyncTraces: true });
}

export interface StreamLimits {
  /** How long log lines stay in the live stream, ms. @default 7 days */
  logsMaxAgeMs?: number;
  /** Byte cap of the log stream. @default 1 GiB */
  logsMaxBytes?: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** Creates or updates the platform's streams. Idempotent; every service calls it at start. */
export async function ensureStreams(nc: NatsConnection, subjects: Subjects, limits: StreamLimits = {}): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const { events, nodeCommands, agent, logs, commands } = subjects.streams;
  const configs = [
    { ...events, retention: RetentionPolicy.Limits, max_age: nanos(7 * DAY_MS), duplicate_window: nanos(120_000) },
    { ...nodeCommands, retention: RetentionPolicy.Workqueue, max_age: nanos(DAY_MS), duplicate_window: nanos(120_000) },
    { ...agent, retention: RetentionPolicy.Limits, max_age: nanos(DAY_MS), duplicate_window: nanos(120_000) },
    // Work queue: an applied command is gone, so a consumer created later never replays it.
    { ...commands, retention: RetentionPolicy.Workqueue, max_age: nanos(DAY_MS), duplicate_window: nanos(120_000) },
    {
      ...logs,
      retention: RetentionPolicy.Limits,
      max_age: nanos(limits.logsMaxAgeMs ?? 7 * DAY_MS),
      max_bytes: limits.logsMaxBytes ?? 1024 ** 3,
      duplicate_window: nanos(120_000),
    },
  ];
  for (const config of configs) {
    try {
      await jsm.streams.info(config.name);
      await jsm.streams.update(config.name, config);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await jsm.streams.add(config);
    }
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof Error && /not found/i.test(err.message);
}

/** Creates (or keeps) a durable pull consumer with explicit acks. */
export async function ensureDurableConsumer(
  nc: NatsConnection,
  stream: string,
  durable: string,
  filterSubject: string,
  ackWaitMs = 30_000,
  /** Messages delivered and not yet acked, across all instances; 1 applies them strictly in order. */
  maxAckPending?: number,
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    filter_subject: filterSubject,
    ack_wait: nanos(ackWaitMs),
    max_deliver: -1,
    ...(maxAckPending === undefined ? {} : { max_ack_pending: maxAckPending }),
  });
}

export function encodeJson(value: unknown): string {
  return JSON.stringify(value);
}

/** Publishes to JetStream with a deterministic message id, so a retried publish is dropped as a duplicate. */
export async function publishDurable(
  js: JetStreamClient,
  subject: string,
  payload: unknown,
  msgID: string,
): Promise<void> {
  await js.publish(subject, encodeJson(payload), { msgID });
}

/**
 * Answers request/reply commands on `subject` (queue group "q", so replicas share the load).
 * The handler's result, or its AppError, travels back as a CommandReply.
 */
export function serveCommand<Req extends z.ZodType, Res>(
  nc: NatsConnection,
  subject: string,
  requestSchema: Req,
  handler: (request: z.infer<Req>) => Promise<Res>,
  log: Logger,
): { stop(): Promise<void> } {
  const inflight = new Set<Promise<void>>();
  const sub = nc.subscribe(subject, {
    queue: 'q',
    callback: (err, msg) => {
      if (err) {
        log.error({ err, subject }, 'command subscription failed');
        return;
      }
      const work = answer(msg).finally(() => inflight.delete(work));
      inflight.add(work);
    },
  });
  async function answer(msg: Msg): Promise<void> {
    let reply: CommandReply<Res>;
    try {
      const parsed = requestSchema.safeParse(safeJson(msg));
      if (!parsed.success) throw ValidationError.fromZod('invalid command payload', parsed.error.issues);
      reply = { ok: true, result: await handler(parsed.data) };
    } catch (err) {
      const appError = toAppError(err);
      if (ERROR_POLICY[appError.code].httpStatus >= 500) log.error({ err, subject }, 'command failed');
      reply = { ok: false, error: appError.toBody() };
    }
    msg.respond(encodeJson(reply));
  }
  return {
    async stop() {
      sub.unsubscribe();
      await Promise.allSettled([...inflight]);
    },
  };
}

function safeJson(msg: { string(): string }): unknown {
  try {
    return JSON.parse(msg.string());
  } catch {
    return undefined;
  }
}

/** Sends a command and returns the owner's result, or throws its AppError (UNAVAILABLE if nobody answers). */
export interface RequestOptions {
  /** Deadline for the whole call, ms (every attempt included). @default 10 s */
  timeoutMs?: number;
  /**
   * The command is safe to send twice (it carries an idempotency key or changes nothing): a silent attempt is
   * retried within the deadline too. Without it only "no responders" is retried, since nobody received that one.
   */
  idempotent?: boolean;
}

/** Pause between attempts while no replica of the service subscribes (a restart or fail-over in progress). */
const NO_RESPONDERS_RETRY_MS = 200;
/** An attempt of an idempotent command waits at most this long before it is sent again. */
const IDEMPOTENT_ATTEMPT_MS = 3_000;

/**
 * Sends a command and returns its result, or throws the AppError its server answered with. Until the deadline it
 * rides out a fail-over: while no replica subscribes it tries again, so a client is not refused during the seconds
 * a standby takes to start. UNAVAILABLE (503) when the deadline passes without an answer.
 */
export async function requestCommand<Res extends z.ZodType>(
  nc: NatsConnection,
  subject: string,
  payload: unknown,
  resultSchema: Res,
  options: number | RequestOptions = {},
): Promise<z.infer<Res>> {
  const { timeoutMs = 10_000, idempotent = false } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  const body = encodeJson(payload);
  let msg: Msg | undefined;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new UnavailableError(`no answer on ${subject}`);
    try {
      const attemptMs = idempotent ? Math.min(remaining, IDEMPOTENT_ATTEMPT_MS) : remaining;
      msg = await nc.request(subject, body, { timeout: attemptMs });
      break;
    } catch (err) {
      const retry = isNoResponders(err) || (idempotent && err instanceof TimeoutError);
      if (!retry || deadline - Date.now() <= NO_RESPONDERS_RETRY_MS) {
        throw new UnavailableError(`no answer on ${subject}`, { cause: err });
      }
      if (isNoResponders(err)) await delay(NO_RESPONDERS_RETRY_MS);
    }
  }
  const parsed = CommandReply(resultSchema).safeParse(safeJson(msg));
  if (!parsed.success) throw new AppError('INTERNAL', `malformed reply on ${subject}`);
  const reply = parsed.data as CommandReply<z.infer<Res>>;
  if (!reply.ok) throw AppError.fromBody(reply.error);
  return reply.result;
}

function isNoResponders(err: unknown): boolean {
  return err instanceof NoRespondersError || (err instanceof RequestError && err.isNoResponders());
}

export interface Consumption {
  stop(): Promise<void>;
}

/**
 * Consumes a durable pull consumer: decode with the schema, run the handler, then ack.
 * A malformed message is terminated; a handler error is acked, nak'ed or terminated per ERROR_POLICY.
 * Handlers must be idempotent: JetStream delivers at least once.
 */
export async function consumeDurable<S extends z.ZodType>(
  nc: NatsConnection,
  stream: string,
  durable: string,
  schema: S,
  handler: (message: z.infer<S>, raw: JsMsg) => Promise<void>,
  log: Logger,
  maxMessages = 64,
): Promise<Consumption> {
  const js = jetstream(nc);
  const consumer = await js.consumers.get(stream, durable);
  const messages = await consumer.consume({ max_messages: maxMessages });
  const loop = (async () => {
    for await (const m of messages) {
      const parsed = schema.safeParse(safeJson(m));
      if (!parsed.success) {
        log.error({ subject: m.subject, issues: parsed.error.issues }, 'malformed message terminated');
        // No reason argument: nats-server 2.9 ignores a term that carries one and redelivers the message.
        m.term();
        continue;
      }
      try {
        await handler(parsed.data, m);
        m.ack();
      } catch (err) {
        const appError = toAppError(err);
        const policy = ERROR_POLICY[appError.code].ack;
        log.warn({ err, subject: m.subject, policy, deliveries: m.info.deliveryCount }, 'message handler failed');
        if (policy === 'term') m.term();
        else if (policy === 'ack') m.ack();
        else m.nak(Math.min(30_000, 250 * 2 ** Math.min(m.info.deliveryCount, 7)));
      }
    }
  })();
  return {
    async stop() {
      await messages.close();
      await loop;
    },
  };
}

/** One decoded message of a batch, with its raw JetStream message. */
export interface BatchMessage<T> {
  data: T;
  raw: JsMsg;
}

export interface BatchOptions {
  /** Most messages handed to the handler at once. @default 256 */
  maxBatch?: number;
  /** How long to wait for more messages once the first one arrived, ms. @default 20 */
  maxWaitMs?: number;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Consumes a durable pull consumer in batches: up to `maxBatch` messages (waiting at most `maxWaitMs` for more after
 * the first), malformed ones terminated, the valid ones handed to the handler at once and acked together when it
 * succeeds. A retryable failure naks the whole batch; a non-retryable one replays the batch one message at a time,
 * so one poison message does not take the others with it (each then acked, nak'ed or terminated per ERROR_POLICY).
 * Handlers must be idempotent, within a batch too: JetStream delivers at least once.
 */
export async function consumeDurableBatches<S extends z.ZodType>(
  nc: NatsConnection,
  stream: string,
  durable: string,
  schema: S,
  handler: (messages: BatchMessage<z.infer<S>>[]) => Promise<void>,
  log: Logger,
  { maxBatch = 256, maxWaitMs = 20 }: BatchOptions = {},
): Promise<Consumption> {
  const js = jetstream(nc);
  const consumer = await js.consumers.get(stream, durable);
  const messages = await consumer.consume({ max_messages: maxBatch });
  const iterator = messages[Symbol.asyncIterator]();

  /** The next message, or TIMED_OUT after `ms`; a pending read is kept for the next call, never dropped. */
  let pending: Promise<IteratorResult<JsMsg>> | undefined;
  async function next(ms: number | undefined): Promise<IteratorResult<JsMsg> | typeof TIMED_OUT> {
    pending ??= iterator.next();
    if (ms === undefined) {
      const result = await pending;
      pending = undefined;
      return result;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms));
    });
    try {
      const result = await Promise.race([pending, timeout]);
      if (result !== TIMED_OUT) pending = undefined;
      return result;
    } finally {
      clearTimeout(timer);
    }
  }

  function settle(m: JsMsg, err: unknown): void {
    const appError = toAppError(err);
    const policy = ERROR_POLICY[appError.code].ack;
    log.warn({ err, subject: m.subject, policy, deliveries: m.info.deliveryCount }, 'message handler failed');
    if (policy === 'term') m.term();
    else if (policy === 'ack') m.ack();
    else m.nak(Math.min(30_000, 250 * 2 ** Math.min(m.info.deliveryCount, 7)));
  }

  async function handle(batch: BatchMessage<z.infer<S>>[]): Promise<void> {
    try {
      await handler(batch);
      for (const { raw } of batch) raw.ack();
      return;
    } catch (err) {
      if (batch.length === 1 || ERROR_POLICY[toAppError(err).code].retryable) {
        for (const { raw } of batch) settle(raw, err);
        return;
      }
    }
    for (const one of batch) {
      try {
        await handler([one]);
        one.raw.ack();
      } catch (err) {
        settle(one.raw, err);
      }
    }
  }

  const loop = (async () => {
    for (;;) {
      const first = await next(undefined);
      if (first === TIMED_OUT || first.done) return;
      const raw: JsMsg[] = [first.value];
      const deadline = performance.now() + maxWaitMs;
      let done = false;
      while (raw.length < maxBatch) {
        const more = await next(deadline - performance.now());
        if (more === TIMED_OUT) break;
        if (more.done) {
          done = true;
          break;
        }
        raw.push(more.value);
      }
      const batch: BatchMessage<z.infer<S>>[] = [];
      for (const m of raw) {
        const parsed = schema.safeParse(safeJson(m));
        if (parsed.success) batch.push({ data: parsed.data, raw: m });
        else {
          log.error({ subject: m.subject, issues: parsed.error.issues }, 'malformed message terminated');
          // No reason argument: nats-server 2.9 ignores a term that carries one and redelivers the message.
          m.term();
        }
      }
      if (batch.length) await handle(batch);
      if (done) return;
    }
  })();
  return {
    async stop() {
      await messages.close();
      await loop;
    },
  };
}
