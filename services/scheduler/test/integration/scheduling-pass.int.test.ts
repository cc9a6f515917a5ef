/**
 * One scheduling pass on a real database, without NATS: its launch budget (maxLaunches), its claim, which locks
 * only the jobs it places and skips one another transaction holds (a cancel in flight), max_scheduled, and what a
 * launch carries.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SeedManifest, subjectsFor } from '@scale/contracts';
import { type Orm, openOrm } from '@scale/db';
import { createTestDatabase, type TestDatabase } from '@scale/testkit';
import { RevisionCache } from '../../src/adapters/revisions.ts';
import { type PassContext, schedulingPass } from '../../src/adapters/scheduling-pass.ts';

const manifest = SeedManifest.parse({
  seedVersion: '1.0.0',
  job: {
    name: 'pass',
    jobVersion: '1.0.0',
    packageVersion: '1.0.0',
    timeout: 30,
    resources: {
      scalar: [
        { name: 'cpus', value: 1 },
        { name: 'mem', value: 128 },
      ],
    },
  },
});

const ctx: PassContext = {
  subjects: subjectsFor('passtest'),
  holder: 'pass-test',
  epoch: 1,
  window: 100,
  revisions: new RevisionCache(),
  previousCapacity: undefined,
  nodeLostMs: 60_000,
  launchTimeoutMs: 60_000,
  timeoutGraceMs: 60_000,
};

describe('scheduling pass', () => {
  let db: TestDatabase;
  let orm: Orm;
  let jobTypeId: number;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    orm.em.fork().execute<T[]>(text, params);
  const pass = (extra: Partial<PassContext> = {}) =>
    orm.em.fork().transactional((em) => schedulingPass(em, { ...ctx, ...extra }));
  const statuses = async () =>
    (await sql<{ id: string; status: string }>('select id, status from job order by id')).map((r) => r.status);

  beforeAll(async () => {
    db = await createTestDatabase('schedpass');
    orm = await openOrm({ url: db.url, poolSize: 4 });
    const [type] = await sql<{ id: number }>(
      `insert into job_type (name, version, docker_image, manifest) values ('pass', '1.0.0', 'local/busybox', ?) returning id`,
      [JSON.stringify(manifest)],
    );
    jobTypeId = type!.id;
    await sql(
      `insert into job_type_revision (job_type_id, revision_num, docker_image, manifest) values (?, 1, 'local/busybox', ?)`,
      [jobTypeId, JSON.stringify(manifest)],
    );
    await sql(
      `insert into node (agent_id, hostname, resources, last_heartbeat)
       values ('big', 'big.local', '{"cpus": 64, "mem": 65536, "disk": 100000, "gpus": 0}', now())`,
    );
    await sql(`update scheduler_lease set holder = 'pass-test', epoch = 1, expires = now() + interval '1 hour'`);
  });

  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  beforeEach(async () => {
    await sql('delete from outbox');
    await sql('delete from job_exe');
    await sql('delete from job');
    await sql(
      `insert into job (job_type_id, job_type_rev_id, status, priority, max_tries, num_exes, input, queued)
       select ?, (select max(id) from job_type_revision), 'QUEUED', 100, 3, 1, '{"files": {}, "json": {}}',
              now() + g * interval '1 millisecond'
         from generate_series(1, 5) g`,
      [jobTypeId],
    );
  });

  it('pass - launches at most maxLaunches in queue order and says it stopped at its budget', async () => {
    const first = await pass({ maxLaunches: 2 });
    expect(first).toMatchObject({ launched: 2, saturated: true, fenced: false });
    expect(await statuses()).toEqual(['RUNNING', 'RUNNING', 'QUEUED', 'QUEUED', 'QUEUED']);
    expect(first.decisionMs).toBeGreaterThanOrEqual(0);
    const second = await pass({ maxLaunches: 10 });
    expect(second).toMatchObject({ launched: 3, saturated: false });
    expect(await statuses()).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING', 'RUNNING']);
    const [outbox] = await sql<{ launches: string }>(
      `select count(*) filter (where subject like '%.launch') as launches from outbox`,
    );
    expect(Number(outbox!.launches)).toBe(5);
  });

  it('pass - a job carrying its recipe configuration runs with it laid over its job type configuration', async () => {
    await sql(`update job_type set configuration = ? where id = ?`, [
      JSON.stringify({ settings: { DB_HOST: 'db', MODE: 'fast' } }),
      jobTypeId,
    ]);
    const [first] = await sql<{ id: string }>('select min(id) as id from job');
    await sql('update job set configuration = ? where id = ?', [
      JSON.stringify({ settings: { MODE: 'careful' } }),
      first!.id,
    ]);
    await pass({ maxLaunches: 2 });
    const launches = await sql<{ payload: { token: { jobId: number }; settings: Record<string, string> } }>(
      `select payload from outbox where subject like '%.launch' order by id`,
    );
    expect(launches.map((l) => [l.payload.token.jobId, l.payload.settings])).toEqual([
      [Number(first!.id), { DB_HOST: 'db', MODE: 'careful' }],
      [Number(first!.id) + 1, { DB_HOST: 'db', MODE: 'fast' }],
    ]);
    const [exe] = await sql<{ configuration: unknown }>('select configuration from job_exe where job_id = ?', [
      first!.id,
    ]);
    expect(exe!.configuration).toEqual({ settings: { DB_HOST: 'db', MODE: 'careful' } });
    await sql(`update job_type set configuration = '{}' where id = ?`, [jobTypeId]);
  });

  it('pass - a job another transaction holds (a cancel in flight) is skipped, then placed once it is free', async () => {
    const [held] = await sql<{ id: string }>('select min(id) as id from job');
    const heldId = Number(held!.id);
    const holder = orm.em.fork();
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holding = holder.transactional(async (em) => {
      await em.execute('select id from job where id = ? for update', [heldId]);
      locked();
      await released;
    });
    await isLocked;
    const result = await pass();
    expect(result.launched).toBe(4);
    expect(await statuses()).toEqual(['QUEUED', 'RUNNING', 'RUNNING', 'RUNNING', 'RUNNING']);
    release();
    await holding;
    expect((await pass()).launched).toBe(1);
    const exes = await sql<{ n: string }>('select count(*) as n from job_exe where job_id = ?', [heldId]);
    expect(Number(exes[0]!.n)).toBe(1);
  });

  it('pass - a job type at its max_scheduled gets no more launches until one of its executions ends', async () => {
    await sql('update job_type set max_scheduled = 2 where id = ?', [jobTypeId]);
    try {
      expect((await pass()).launched).toBe(2);
      expect((await pass()).launched).toBe(0);
      const reasons = await sql<{ queue_reason: string | null }>(
        `select queue_reason from job where status = 'QUEUED' order by id`,
      );
      expect(reasons.map((r) => r.queue_reason)).toEqual(Array(3).fill('job type at its max_scheduled limit (2)'));
      await sql(`update job_exe set ended = now(), status = 'COMPLETED' where id = (select min(id) from job_exe)`);
      expect((await pass()).launched).toBe(1);
      expect(await statuses()).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'QUEUED', 'QUEUED']);
    } finally {
      await sql('update job_type set max_scheduled = null where id = ?', [jobTypeId]);
    }
  });

  it('pass - each launch carries its job type configuration as it is now and an execution id that exists', async () => {
    const revisions = new RevisionCache();
    const setting = async (mode: string) =>
      sql('update job_type set configuration = ? where id = ?', [
        JSON.stringify({ settings: { MODE: mode } }),
        jobTypeId,
      ]);
    try {
      await setting('first');
      await pass({ maxLaunches: 1, revisions });
      await setting('second');
      await pass({ maxLaunches: 1, revisions });
      const launches = await sql<{ msg_id: string; payload: { token: { jobExeId: number; jobId: number } } }>(
        `select msg_id, payload from outbox where subject like '%.launch' order by id`,
      );
      const exes = await sql<{ id: string; job_id: string; configuration: unknown }>(
        'select id, job_id, configuration from job_exe order by id',
      );
      expect(exes.map((e) => e.configuration)).toEqual([
        { settings: { MODE: 'first' } },
        { settings: { MODE: 'second' } },
      ]);
      expect(launches.map((l) => [l.msg_id, l.payload.token.jobExeId, l.payload.token.jobId])).toEqual(
        exes.map((e) => [`launch:${e.id}`, Number(e.id), Number(e.job_id)]),
      );
    } finally {
      await sql(`update job_type set configuration = '{}' where id = ?`, [jobTypeId]);
    }
  });
});
