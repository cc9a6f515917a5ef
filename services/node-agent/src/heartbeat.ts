/**
 * Registration and liveness in one message, on core NATS: a lost beat is repaired by the next one, so it needs no
 * stream. Sent at once on start (so the scheduler learns of a new node without waiting) and then every period.
 */
import type { Heartbeat } from '@scale/contracts';
import { encodeJson, type Logger, type NatsConnection } from '@scale/runtime';

export interface HeartbeatOptions {
  nc: NatsConnection;
  subject: string;
  periodMs: number;
  beat: () => Heartbeat;
  log: Logger;
}

export function startHeartbeat({ nc, subject, periodMs, beat, log }: HeartbeatOptions): { stop(): void } {
  const send = () => {
    try {
      nc.publish(subject, encodeJson(beat()));
    } catch (err) {
      log.warn({ err }, 'heartbeat not sent');
    }
  };
  send();
  const timer = setInterval(send, periodMs);
  return { stop: () => clearInterval(timer) };
}
