import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { manifest } from '../fixtures/manifests.ts';

/**
 * The counts of the job lists come from a rollup the job table's triggers keep (migration job_counts); they
 * must equal count(*) over the job table after any mix of writes.
 */
describe('job counts', () => {
  let h: Harness;
  let typeA: number;
  let typeB: number;
  let errorIds: number[];

  const apiCount = async (query: string) => {
    const res = await h.app.inject({ method: 'GET', url: `/v6/jobs/?page_size=1&${query}` });
    expect(res.statusCode).toBe(200);
    return res.json().count as number;
  };
  const tableCount = async (where: string) =>
    Number((await h.sql<{ n: string }>(`select count(*) as n from job where ${where}`))[0]?.n);
  const deltas = async () => Number((await h.sql<{ n: string }>('select count(*) as n from job_count_delta'))[0]?.n);

  /** Every filter the rollup answers, with the equivalent SQL. */
  const cases = (): [string, string][] => [
    ['', 'true'],
    ['status=FAILED', `status = 'FAILED'`],
    ['status=COMPLETED&status=CANCELED', `status in ('COMPLETED', 'CANCELED')`],
    [`job_type_id=${typeB}`, `job_type_id = ${typeB}`],
    ['job_type_name=word-count', `job_type_id = ${typeA}`],
    [`error_id=${errorIds[0]}`, `error_id = ${errorIds[0]}`],
    ['error_category=SYSTEM', `error_id in (select id from error where category = 'SYSTEM')`],
    ['is_superseded=true', 'is_superseded'],
    ['is_superseded=false&status=FAILED', `not is_superseded and status = 'FAILED'`],
    [
      `is_superseded=false&job_type_id=${typeA}&status=QUEUED`,
      `not is_superseded and job_type_id = ${typeA} and status = 'QUEUED'`,
    ],
  ];
  const expectExact = async () => {
    for (const [query, where] of cases()) {
      expect([query, await apiCount(query)]).toEqual([query, await tableCount(where)]);
    }
  };

  beforeAll(async () => {
    h = await startHarness('jobcounts');
    const create = async (body: object) =>
      (await h.app.inject({ method: 'POST', url: '/v6/job-types/', payload: body })).json().id as number;
    typeA = await create({ docker_image: 'a:1', manifest: manifest() });
    typeB = await create({ docker_image: 'b:1', manifest: manifest({ name: 'other' }) });
    errorIds = (await h.sql<{ id: number }>('select id from error where is_builtin order by id limit 3')).map(
      (e) => e.id,
    );
  });
  afterAll(async () => {
    await h.close();
  });

  it('job counts - bulk inserts, then updates of status, error and superseded, then deletes', async () => {
    await h.sql(
      `insert into job (job_type_id, job_type_rev_id, status, priority, max_tries, input, error_id, is_superseded)
       select t, (select max(id) from job_type_revision where job_type_id = t),
              (array['QUEUED', 'RUNNING', 'FAILED', 'COMPLETED'])[1 + i % 4], 100, 3, '{"files": {}, "json": {}}',
              case when i % 4 = 2 then (array[?, ?, ?]::int[])[1 + i % 3] end, i % 9 = 0
       from generate_series(1, 3000) i, lateral (select case when i % 3 = 0 then ? else ? end as t) x`,
      [...errorIds, typeB, typeA],
    );
    await expectExact();
    await h.sql(`update job set status = 'CANCELED', error_id = null where status = 'FAILED' and id % 2 = 0`);
    await h.sql(`update job set status = 'FAILED', error_id = ? where status = 'RUNNING' and id % 3 = 0`, [
      errorIds[1],
    ]);
    await h.sql(`update job set is_superseded = not is_superseded where id % 5 = 0`);
    await h.sql(`update job set job_type_id = ? where job_type_id = ? and id % 7 = 0`, [typeB, typeA]);
    await expectExact();
    await h.sql(`delete from job where id % 10 = 1`);
    await expectExact();
  });

  it('job counts - a statement that changes no counted column adds no delta', async () => {
    const before = await deltas();
    await h.sql(`update job set last_modified = now(), priority = priority + 1 where id % 2 = 0`);
    expect(await deltas()).toBe(before);
  });

  it('job counts - a list request folds the deltas once there are many, and the counts stay exact', async () => {
    // One statement per job: each adds its own delta rows.
    const ids = (await h.sql<{ id: string }>(`select id from job where status = 'QUEUED' order by id limit 600`)).map(
      (r) => Number(r.id),
    );
    for (const id of ids) await h.sql(`update job set status = 'RUNNING' where id = ?`, [id]);
    expect(await deltas()).toBeGreaterThan(1000);
    await apiCount('');
    expect(await deltas()).toBe(0);
    expect(Number((await h.sql<{ n: string }>('select count(*) as n from job_count_rollup where n = 0'))[0]?.n)).toBe(
      0,
    );
    await expectExact();
  });

  it('job counts - writers of the same group do not wait for each other', async () => {
    const [first, second] = (
      await h.sql<{ id: string }>(`select id from job where status = 'RUNNING' order by id limit 2`)
    ).map((r) => Number(r.id));
    const a = h.orm.em.fork();
    const b = h.orm.em.fork();
    await a.begin();
    await b.begin();
    try {
      await a.execute(`update job set status = 'COMPLETED' where id = ?`, [first]);
      // With a shared counter row this would block until `a` commits; lock_timeout turns a wait into an error.
      await b.execute(`set local lock_timeout = '2s'`);
      await b.execute(`update job set status = 'COMPLETED' where id = ?`, [second]);
      await b.commit();
      await a.commit();
    } finally {
      if (a.isInTransaction()) await a.rollback();
      if (b.isInTransaction()) await b.rollback();
    }
    await expectExact();
  });

  it('job counts - filters the rollup cannot answer are counted on the job table', async () => {
    const [row] = await h.sql<{ id: string }>('select min(id) as id from job');
    const from = Number(row?.id);
    expect(await apiCount(`job_id=${from}&job_id=${from + 1}&job_id=${from + 2}`)).toBe(
      await tableCount(`id in (${from}, ${from + 1}, ${from + 2})`),
    );
    expect(await apiCount('started=PT1H&is_superseded=false')).toBe(
      await tableCount(`last_modified >= now() - interval '1 hour' and not is_superseded`),
    );
  });

  it('job counts - truncating the job table empties the counts', async () => {
    await h.sql('truncate job cascade');
    expect(await apiCount('')).toBe(0);
    expect(await deltas()).toBe(0);
  });
});
