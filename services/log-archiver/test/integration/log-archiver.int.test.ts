/**
 * The archiver against real Postgres and NATS JetStream: lines are copied once each, malformed messages are
 * dropped without blocking the rest, a restart resumes where the last one stopped, a failing database only delays
 * the copy, and the consumer's ack floor never passes a line that is not in Postgres.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Subjects } from '@scale/contracts';
import { type Orm, openOrm } from '@scale/db';
import { createLogger, ensureStreams, jetstream, type NatsConnection } from '@scale/runtime';
import {
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  type TestDatabase,
  testSubjects,
} from '@scale/testkit';
import { buildLogArchiver, type LogArchiver } from '../../src/app.ts';

interface Row {
  job_exe_id: string;
  n: number;
  stream: string;
  ts: string;
  line: string;
}

describe('log archiver', () => {
  let db: TestDatabase;
  let orm: Orm;
  let nc: NatsConnection;
  let subjects: Subjects;
  let archiver: LogArchiver | undefined;
  const ts = '2026-03-01T10:00:00.000Z';

  const rows = (jobExeId: number) =>
    orm.em
      .fork()
      .execute<Row[]>('select job_exe_id, n, stream, ts, line from log_line where job_exe_id = ? order by n', [
        jobExeId,
      ]);

  /** A JetStream publish over core NATS (no message id, so nothing is deduplicated); returns the stream sequence. */
  async function publish(jobExeId: number, stream: 'stdout' | 'stderr', n: number, line: string) {
    const ack = await nc.request(subjects.log(jobExeId, stream), JSON.stringify({ line, stream, ts, n }), {
      timeout: 2000,
    });
    return ack.json<{ seq: number }>().seq;
  }

  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function ackFloor(): Promise<number> {
    const jsm = await jetstream(nc).jetstreamManager();
    const info = await jsm.consumers.info(subjects.streams.logs.name, subjects.consumers.logArchiver);
    return info.ack_floor.stream_seq;
  }

  async function startArchiver(batchSize = 3): Promise<LogArchiver> {
    const started = buildLogArchiver({
      orm,
      nc,
      subjects,
      log: createLogger({ service: 'log-archiver', level: 'silent' }),
      config: { batchSize, flushMs: 20 },
    });
    await started.start();
    archiver = started;
    return started;
  }

  beforeAll(async () => {
    db = await createTestDatabase('logarchiver');
    orm = await openOrm({ url: db.url, poolSize: 4 });
    nc = await connectTestNats();
    subjects = testSubjects('logarch');
    await ensureStreams(nc, subjects);
  });
  afterEach(async () => {
    await archiver?.stop();
    archiver = undefined;
  });
  afterAll(async () => {
    await deleteTestStreams(nc, subjects);
    await nc.close();
    await orm.close();
    await db.drop();
  });

  it('log archiver - copies every line once, in batches, and acks only what is stored', async () => {
    await startArchiver();
    await publish(1, 'stdout', 1, 'one');
    await publish(1, 'stderr', 2, 'two');
    await publish(2, 'stdout', 1, 'other execution');
    for (let n = 3; n <= 10; n++) await publish(1, 'stdout', n, `line ${n}`);
    const last = await publish(1, 'stdout', 11, 'NUL\u0000 and \uD800 lone surrogate');
    const archived = await eventually(
      () => rows(1),
      (r) => r.length === 11,
      'eleven lines',
    );
    expect(archived.map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(archived[1]).toMatchObject({ stream: 'stderr', line: 'two' });
    expect(new Date(archived[0]!.ts).toISOString()).toBe(ts);
    // Postgres text cannot hold NUL or lone surrogates: stored as U+FFFD, as the API serves stream lines.
    expect(archived[10]!.line).toBe('NUL\uFFFD and \uFFFD lone surrogate');
    expect((await rows(2)).map((r) => r.line)).toEqual(['other execution']);
    expect(await eventually(ackFloor, (floor) => floor === last, 'the ack floor')).toBe(last);
  });

  it('log archiver - a repeated line number is stored once; malformed messages do not block the rest', async () => {
    await startArchiver();
    await publish(3, 'stdout', 1, 'first copy');
    // Re-published beyond the duplicate window (no msgID here): the key (job_exe_id, n) keeps the first copy.
    await publish(3, 'stdout', 1, 'second copy');
    await nc.request(subjects.log(3, 'stdout'), 'not json', { timeout: 2000 });
    await nc.request(subjects.log(3, 'stderr'), JSON.stringify({ line: 'x', stream: 'stdout', ts, n: 2 }), {
      timeout: 2000,
    });
    const last = await publish(3, 'stderr', 3, 'after the bad ones');
    await eventually(ackFloor, (floor) => floor === last, 'the ack floor past the malformed messages');
    expect((await rows(3)).map((r) => [r.n, r.line])).toEqual([
      [1, 'first copy'],
      [3, 'after the bad ones'],
    ]);
  });

  it('log archiver - a restart resumes where the last archiver stopped, without duplicates', async () => {
    const first = await startArchiver();
    await publish(4, 'stdout', 1, 'before the restart');
    await eventually(
      () => rows(4),
      (r) => r.length === 1,
      'the first line',
    );
    await first.stop();
    archiver = undefined;
    for (let n = 2; n <= 5; n++) await publish(4, 'stdout', n, `while stopped ${n}`);
    expect(await rows(4)).toHaveLength(1);
    await startArchiver(2);
    const archived = await eventually(
      () => rows(4),
      (r) => r.length === 5,
      'all five lines',
    );
    expect(archived.map((r) => r.n)).toEqual([1, 2, 3, 4, 5]);
  });

  it('log archiver - while the database refuses writes, lines wait in the stream and the floor stays', async () => {
    await startArchiver();
    const before = await publish(5, 'stdout', 1, 'stored');
    await eventually(ackFloor, (floor) => floor === before, 'the first line acked');
    await orm.em.fork().execute('alter table log_line rename to log_line_away');
    try {
      await publish(5, 'stdout', 2, 'waits');
      await publish(5, 'stderr', 3, 'waits too');
      // The archiver has tried (and failed): the floor cannot pass lines that are not in Postgres.
      await eventually(
        async () => {
          const jsm = await jetstream(nc).jetstreamManager();
          return jsm.consumers.info(subjects.streams.logs.name, subjects.consumers.logArchiver);
        },
        // Redelivered: the first attempt failed and was nak'ed.
        (info) => info.num_redelivered > 0,
        'a failed attempt',
      );
      expect(await ackFloor()).toBe(before);
    } finally {
      await orm.em.fork().execute('alter table log_line_away rename to log_line');
    }
    const archived = await eventually(
      () => rows(5),
      (r) => r.length === 3,
      'the retried lines',
    );
    expect(archived.map((r) => r.line)).toEqual(['stored', 'waits', 'waits too']);
  });
});
