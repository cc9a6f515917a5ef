import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BUILTIN_ERRORS } from '@scale/contracts';
import { ErrorRow, JobType, type Orm, openOrm } from '@scale/db';
import { createTestDatabase, type TestDatabase } from '../../src/index.ts';

describe('schema', () => {
  let db: TestDatabase;
  let orm: Orm;
  beforeAll(async () => {
    db = await createTestDatabase('schema');
    orm = await openOrm({ url: db.url, poolSize: 2 });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('schema - seeds every builtin error', async () => {
    const rows = await orm.em.fork().find(ErrorRow, { isBuiltin: true }, { orderBy: { name: 'asc' } });
    expect(rows.map((r) => r.name).sort()).toEqual(BUILTIN_ERRORS.map((e) => e.name).sort());
    expect(rows.find((r) => r.name === 'node-lost')).toMatchObject({ category: 'SYSTEM', shouldBeRetried: true });
    expect(rows.find((r) => r.name === 'algorithm-unknown')).toMatchObject({
      category: 'ALGORITHM',
      shouldBeRetried: false,
    });
  });

  it('schema - maps job types through the ORM and enforces name+version uniqueness', async () => {
    const em = orm.em.fork();
    const manifest = { seedVersion: '1.0.0', job: { name: 'a', jobVersion: '1.0.0' } } as never;
    em.create(JobType, { name: 'a', version: '1.0.0', dockerImage: 'img', manifest, configuration: {} });
    await em.flush();
    const found = await orm.em.fork().findOneOrFail(JobType, { name: 'a' });
    expect(found).toMatchObject({ version: '1.0.0', isActive: true, maxTries: 3, revisionNum: 1 });
    const again = orm.em.fork();
    again.create(JobType, { name: 'a', version: '1.0.0', dockerImage: 'img', manifest, configuration: {} });
    await expect(again.flush()).rejects.toThrow(/unique/i);
  });

  it('schema - allows at most one live execution per job', async () => {
    const sql = orm.em.fork().getConnection();
    const [jt] = await sql.execute<{ id: number }[]>(`select id from job_type where name = 'a'`);
    const [rev] = await sql.execute<{ id: number }[]>(
      `insert into job_type_revision (job_type_id, revision_num, docker_image, manifest) values (?, 1, 'img', '{}') returning id`,
      [jt!.id],
    );
    const [job] = await sql.execute<{ id: string }[]>(
      `insert into job (job_type_id, job_type_rev_id, status, priority, max_tries, input) values (?, ?, 'QUEUED', 1, 3, '{}') returning id`,
      [jt!.id, rev!.id],
    );
    const [node] = await sql.execute<{ id: number }[]>(
      `insert into node (agent_id, hostname) values ('n1', 'h') returning id`,
    );
    const insertExe = (exeNum: number) =>
      sql.execute(
        `insert into job_exe (job_id, job_type_id, exe_num, cluster_id, node_id, epoch, docker_image, timeout, resources, queued)
         values (?, ?, ?, 'c', ?, 1, 'img', 10, '{}', now())`,
        [job!.id, jt!.id, exeNum, node!.id],
      );
    await insertExe(1);
    await expect(insertExe(2)).rejects.toThrow(/job_exe_one_live_per_job/);
    await sql.execute(`update job_exe set ended = now(), status = 'FAILED' where job_id = ?`, [job!.id]);
    await insertExe(2);
  });
});
