/**
 * A durable JetStream consumer that handles up to `concurrency` messages at once (the runtime's consumeDurable
 * handles one at a time, and one slow recipe tree must not hold up the others). Each message is acked only after
 * its handler finished, nak'ed with back-off or terminated per ERROR_POLICY when it failed.
 */
import { ERROR_POLICY, type JsMsg, jetstream, type Logger, type NatsConnection, toAppError } from '@scale/runtime';
import type { z } from 'zod';

export interface Consumption {
  stop(): Promise<void>;
}

export async function consumeConcurrently<S extends z.ZodType>(
  nc: NatsConnection,
  stream: string,
  durable: string,
  schema: S,
  handler: (message: z.infer<S>) => Promise<void>,
  log: Logger,
  concurrency: number,
): Promise<Consumption> {
  const consumer = await jetstream(nc).consumers.get(stream, durable);
  const messages = await consumer.consume({ max_messages: concurrency * 2 });
  const inflight = new Set<Promise<void>>();

  async function handle(m: JsMsg): Promise<void> {
    let payload: unknown;
    try {
      payload = JSON.parse(m.string());
    } catch {
      payload = undefined;
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      log.error({ subject: m.subject, issues: parsed.error.issues }, 'malformed message terminated');
      m.term('malformed');
      return;
    }
    try {
      await handler(parsed.data);
      m.ack();
    } catch (err) {
      const error = toAppError(err);
      const policy = ERROR_POLICY[error.code].ack;
      log.warn({ err, subject: m.subject, policy, deliveries: m.info.deliveryCount }, 'message handler failed');
      if (policy === 'term') m.term(error.message);
      else if (policy === 'ack') m.ack();
      else m.nak(Math.min(30_000, 250 * 2 ** Math.min(m.info.deliveryCount, 7)));
    }
  }

  const loop = (async () => {
    for await (const m of messages) {
      while (inflight.size >= concurrency) await Promise.race(inflight);
      const work: Promise<void> = handle(m).finally(() => inflight.delete(work));
      inflight.add(work);
    }
    await Promise.allSettled([...inflight]);
  })();
  return {
    async stop() {
      await messages.close();
      await loop;
    },
  };
}
