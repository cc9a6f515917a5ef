/**
 * The outbox on a real database and JetStream: a committed transaction's messages are published by their writer
 * at once and their rows deleted; the relay publishes what is left, skipping rows being published; a publish that
 * fails leaves the rows to the relay; a rolled-back transaction publishes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Orm, openOrm } from '@scale/db';
import { createLogger, ensureStreams, type JetStreamClient, jetstream, type NatsConnection } from '@scale/runtime';
import {
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  type TestDatabase,
  testSubjects,
} from '@scale/testkit';
import { jobStatusMessage, OutboxPublisher, relayOutbox, takeWritten, writeOutbox } from '../../src/adapters/outbox.ts';

const subjects = testSubjects('outbox');
const log = createLogger({ service: 'outbox-test', level: 'silent' });

describe('outbox', () => {
  let db: TestDatabase;
  let orm: Orm;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jobId = 1000;

  const rows = async () =>
    Number((await orm.em.fork().execute<{ n: string }[]>('select count(*) as n from outbox'))[0]!.n);
  /** Status events stored in the EVENTS stream so far. */
  const stored = async () =>
    (await (await jetstream(nc).jetstreamManager()).streams.info(subjects.streams.events.name)).state.messages;
  /** Writes `n` status events in one committed transaction and returns what it wrote. */
  const commit = async (n: number) => {
    let written: ReturnType<typeof takeWritten>;
    await orm.em.fork().transactional(async (em) => {
      await writeOutbox(
        em,
        Array.from({ length: n }, () => jobStatusMessage(subjects, ++jobId, 'RUNNING', 1)),
      );
      written = takeWritten(em);
    });
    return written!;
  };

  beforeAll(async () => {
    db = await createTestDatabase('outbox');
    orm = await openOrm({ url: db.url, poolSize: 4 });
    nc = await connectTestNats();
    js = jetstream(nc);
    await ensureStreams(nc, subjects);
  });

  afterAll(async () => {
    await deleteTestStreams(nc, subjects);
    await nc.close();
    await orm.close();
    await db.drop();
  });

  it('outbox - the writer publishes a committed transaction in order and deletes its rows; the relay finds nothing', async () => {
    const before = await stored();
    const written = await commit(3);
    expect(written.ids).toHaveLength(3);
    const publisher = new OutboxPublisher(orm, js, log);
    expect(publisher.publish(written)).toBe(true);
    await publisher.idle();
    expect(await rows()).toBe(0);
    expect((await stored()) - before).toBe(3);
    const jsm = await jetstream(nc).jetstreamManager();
    const last = (await jsm.streams.info(subjects.streams.events.name)).state.last_seq;
    const published = [];
    for (let seq = last - 2; seq <= last; seq++) {
      published.push(
        (await jsm.streams.getMessage(subjects.streams.events.name, { seq }))!.json<{ jobId: number }>().jobId,
      );
    }
    expect(published).toEqual(written.messages.map((m) => (m.payload as { jobId: number }).jobId));
    expect(await relayOutbox(orm, js)).toBe(0);
  });

  it('outbox - the relay skips rows being published, then takes them when a publish failed', async () => {
    const written = await commit(2);
    // A publisher whose JetStream client fails every publish: the rows must stay for the relay.
    const failing = { publish: () => Promise.reject(new Error('nats down')) } as unknown as JetStreamClient;
    const publisher = new OutboxPublisher(orm, failing, log);
    publisher.publish(written);
    expect(await relayOutbox(orm, js, 200, publisher.skip())).toBe(0);
    await publisher.idle();
    expect(await rows()).toBe(2);
    const before = await stored();
    expect(await relayOutbox(orm, js, 200, publisher.skip())).toBe(2);
    expect(await rows()).toBe(0);
    expect((await stored()) - before).toBe(2);
  });

  it('outbox - a rolled-back transaction leaves nothing to publish', async () => {
    let written: ReturnType<typeof takeWritten>;
    await expect(
      orm.em.fork().transactional(async (em) => {
        await writeOutbox(em, [jobStatusMessage(subjects, ++jobId, 'RUNNING', 1)]);
        written = takeWritten(em);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(written!.ids).toHaveLength(1);
    expect(await rows()).toBe(0);
  });
});
