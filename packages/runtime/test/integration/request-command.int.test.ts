/** requestCommand against a real nats-server: riding out a fail-over, and when it gives up. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { AppError, createLogger, requestCommand, serveCommand } from '../../src/index.ts';

const NATS_URL = process.env.SCALE_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const Echo = z.object({ n: z.number() });
const log = createLogger({ service: 'request-command-test', level: 'silent' });

let nc: NatsConnection;
beforeAll(async () => {
  nc = await connect({ servers: NATS_URL });
});
afterAll(async () => {
  await nc.close();
});

function freshSubject(): string {
  return `rctest.${randomBytes(6).toString('hex')}`;
}

/** Serves `subject` with a handler that counts its calls and echoes n + 1. */
function serveEcho(subject: string, calls: { n: number }) {
  return serveCommand(
    nc,
    subject,
    Echo,
    async (request) => {
      calls.n++;
      return { n: request.n + 1 };
    },
    log,
  );
}

describe('requestCommand', () => {
  it('waits for a responder that subscribes within the deadline (a standby starting) and gets its answer', async () => {
    const subject = freshSubject();
    const calls = { n: 0 };
    let served: { stop(): Promise<void> } | undefined;
    const late = setTimeout(() => {
      served = serveEcho(subject, calls);
    }, 600);
    const started = Date.now();
    const result = await requestCommand(nc, subject, { n: 41 }, Echo, { timeoutMs: 5_000 });
    clearTimeout(late);
    expect(result).toEqual({ n: 42 });
    expect(calls.n).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    await served?.stop();
  });

  it('is UNAVAILABLE once the deadline passes with nobody subscribed', async () => {
    const started = Date.now();
    const failure = await requestCommand(nc, freshSubject(), { n: 1 }, Echo, { timeoutMs: 700 }).catch((e) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('UNAVAILABLE');
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('sends a non-idempotent command once: a silent responder means UNAVAILABLE, not a second delivery', async () => {
    const subject = freshSubject();
    let deliveries = 0;
    const silent = nc.subscribe(subject, { queue: 'q', callback: () => void deliveries++ });
    const failure = await requestCommand(nc, subject, { n: 1 }, Echo, { timeoutMs: 800 }).catch((e) => e);
    expect((failure as AppError).code).toBe('UNAVAILABLE');
    expect(deliveries).toBe(1);
    silent.unsubscribe();
  });

  it('sends an idempotent command again when an attempt goes unanswered, within the deadline', async () => {
    const subject = freshSubject();
    let deliveries = 0;
    // The first delivery is swallowed (a replica that died holding it); the repeat is answered.
    const flaky = nc.subscribe(subject, {
      queue: 'q',
      callback: (_err, msg) => {
        deliveries++;
        if (deliveries > 1) msg.respond(JSON.stringify({ ok: true, result: { n: 7 } }));
      },
    });
    const result = await requestCommand(nc, subject, { n: 1 }, Echo, { timeoutMs: 8_000, idempotent: true });
    expect(result).toEqual({ n: 7 });
    expect(deliveries).toBe(2);
    flaky.unsubscribe();
  });

  it('passes on the error the responder answered with', async () => {
    const subject = freshSubject();
    const served = serveCommand(
      nc,
      subject,
      Echo,
      async () => {
        throw new AppError('CONFLICT', 'already there');
      },
      log,
    );
    const failure = await requestCommand(nc, subject, { n: 1 }, Echo, 2_000).catch((e) => e);
    expect((failure as AppError).code).toBe('CONFLICT');
    expect((failure as AppError).message).toBe('already there');
    await served.stop();
  });
});
