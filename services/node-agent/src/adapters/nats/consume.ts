/**
 * The agent's command consumer: like @scale/runtime's consumeDurable, but with up to `concurrency` messages in
 * hand at once. A launch spends most of its time waiting on Docker (create, attach, start), so several launches
 * overlap as they do for raw Docker, and a kill never waits behind a queue of launches. Each message is acked
 * (or nak'ed / terminated by the error policy) when its own handler ends.
 */
import {
  type Consumption,
  ERROR_POLICY,
  type JsMsg,
  jetstream,
  type Logger,
  type NatsConnection,
  toAppError,
} from '@scale/runtime';

export async function consumeConcurrently(
  nc: NatsConnection,
  stream: string,
  durable: string,
  concurrency: number,
  handler: (payload: unknown, raw: JsMsg) => Promise<void>,
  log: Logger,
): Promise<Consumption> {
  const consumer = await jetstream(nc).consumers.get(stream, durable);
  // The server holds back what is not yet in hand, so no more than `concurrency` messages wait on their ack.
  const messages = await consumer.consume({ max_messages: concurrency });
  const inFlight = new Set<Promise<void>>();

  const handle = async (m: JsMsg): Promise<void> => {
    let payload: unknown;
    try {
      payload = m.json();
    } catch {
      log.error({ subject: m.subject }, 'malformed message terminated');
      m.term('malformed');
      return;
    }
    try {
      await handler(payload, m);
      m.ack();
    } catch (err) {
      const policy = ERROR_POLICY[toAppError(err).code].ack;
      log.warn({ err, subject: m.subject, policy, deliveries: m.info.deliveryCount }, 'message handler failed');
      if (policy === 'term') m.term(toAppError(err).message);
      else if (policy === 'ack') m.ack();
      else m.nak(Math.min(30_000, 250 * 2 ** Math.min(m.info.deliveryCount, 7)));
    }
  };

  const loop = (async () => {
    for await (const m of messages) {
      const task = handle(m).finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
    await Promise.allSettled(inFlight);
  })();

  return {
    async stop() {
      await messages.close();
      await loop;
    },
  };
}
