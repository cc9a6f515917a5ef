/** Raw NATS limits measured in the same run as a benchmark (reference/peers.md §5b). */
import type { Subjects } from '@scale/contracts';
import { jetstream, type NatsConnection } from '@scale/runtime';
import { nowMs } from './stats.ts';

/**
 * Publishes `messages` JSON messages of about `payloadBytes` to a scratch file-store stream of the bench's prefix,
 * `window` at a time (each window awaited), each with a msgID as the platform's publishers use. Returns msgs/s.
 * The stream is deleted afterwards.
 */
export async function measureJetStreamPublish(
  nc: NatsConnection,
  subjects: Subjects,
  options: { messages: number; window: number; payloadBytes?: number },
): Promise<number> {
  const js = jetstream(nc);
  const jsm = await js.jetstreamManager();
  const name = `${subjects.streams.events.name}_RAWBENCH`;
  const subject = `${subjects.prefix}.rawbench.publish`;
  await jsm.streams.add({ name, subjects: [subject] });
  try {
    const payload = JSON.stringify({ pad: 'x'.repeat(Math.max(0, (options.payloadBytes ?? 120) - 10)) });
    const started = nowMs();
    for (let sent = 0; sent < options.messages; sent += options.window) {
      const count = Math.min(options.window, options.messages - sent);
      await Promise.all(
        Array.from({ length: count }, (_, i) => js.publish(subject, payload, { msgID: `raw:${sent + i}` })),
      );
    }
    return options.messages / ((nowMs() - started) / 1000);
  } finally {
    await jsm.streams.delete(name).catch(() => undefined);
  }
}
