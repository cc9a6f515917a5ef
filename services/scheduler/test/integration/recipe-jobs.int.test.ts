/** Jobs of recipes: one job per recipe node, pinned revisions, and the guarded moves the recipe engine asks for. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type QueueJobsRequest, RecipeJobsRequest, SeedManifest } from '@scale/contracts';
import { type Orm, openOrm } from '@scale/db';
import { createTestDatabase, type TestDatabase, testSubjects } from '@scale/testkit';
import { queueJobs } from '../../src/adapters/queue-jobs.ts';
import { recipeJobs } from '../../src/adapters/recipe-jobs.ts';

const subjects = testSubjects('recjobs');

function manifest(timeout: number) {
  return SeedManifest.parse({
    seedVersion: '1.0.0',
    job: { name: 'step', jobVersion: '1.0.0', packageVersion: '1.0.0', timeout },
  });
}

describe('recipe jobs', () => {
  let db: TestDatabase;
  let orm: Orm;
  let jobTypeId: number;
  let recipeId: number;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    orm.em.fork().execute<T[]>(text, params);
  const queue = (request: QueueJobsRequest) => orm.em.fork().transactional((em) => queueJobs(em, subjects, request));
  const move = (request: Partial<RecipeJobsRequest>) =>
    orm.em.fork().transactional((em) => recipeJobs(em, subjects, RecipeJobsRequest.parse(request)));
  const job = async (id: number) =>
    (
      await sql<{
        status: string;
        num_exes: number;
        input: unknown;
        job_type_rev_id: number;
        queued: Date | null;
        is_superseded: boolean;
      }>('select status, num_exes, input, job_type_rev_id, queued, is_superseded from job where id = ?', [id])
    )[0]!;
  const events = async (id: number) =>
    (
      await sql<{ msg_id: string; status: string }>(
        `select msg_id, payload->>'status' as status from outbox where payload->>'jobId' = ? order by id`,
        [String(id)],
      )
    ).map((e) => e.status);
  const link = (nodeName: string) => ({ recipeId, rootRecipeId: recipeId, nodeName });

  beforeAll(async () => {
    db = await createTestDatabase('recipejobs');
    orm = await openOrm({ url: db.url, poolSize: 4 });
    const [jt] = await sql<{ id: number }>(
      `insert into job_type (name, version, docker_image, manifest, revision_num) values ('step', '1.0.0', 'img', ?, 2) returning id`,
      [JSON.stringify(manifest(20))],
    );
    jobTypeId = jt!.id;
    for (const revision of [1, 2]) {
      await sql(
        'insert into job_type_revision (job_type_id, revision_num, docker_image, manifest) values (?, ?, ?, ?)',
        [jobTypeId, revision, 'img', JSON.stringify(manifest(10 * revision))],
      );
    }
    const [rt] = await sql<{ id: number }>(
      `insert into recipe_type (name, definition) values ('r', '{"input": {}, "nodes": {}}') returning id`,
    );
    const [rev] = await sql<{ id: number }>(
      `insert into recipe_type_revision (recipe_type_id, revision_num, definition) values (?, 1, '{"input": {}, "nodes": {}}') returning id`,
      [rt!.id],
    );
    const [recipe] = await sql<{ id: string }>(
      `insert into recipe (recipe_type_id, recipe_type_rev_id, input) values (?, ?, '{}') returning id`,
      [rt!.id, rev!.id],
    );
    recipeId = Number(recipe!.id);
  });

  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('recipe jobs - a node gets one job, whatever the retries; the revision the recipe pins is used', async () => {
    const request: QueueJobsRequest = {
      jobs: [
        { jobTypeId, jobTypeRevisionNum: 1, input: { files: {}, json: { X: 1 } }, recipe: link('a') },
        { jobTypeId, jobTypeRevisionNum: 1, input: { files: {}, json: {} }, recipe: link('b'), status: 'PENDING' },
      ],
    };
    const first = await queue(request);
    const again = await queue(request);
    expect(again).toEqual(first);
    const [a, b] = first.jobIds;
    const revisions = await sql<{ id: number; revision_num: number }>(
      'select id, revision_num from job_type_revision where job_type_id = ?',
      [jobTypeId],
    );
    const rev1 = revisions.find((r) => r.revision_num === 1)!.id;
    expect(await job(a!)).toMatchObject({ status: 'QUEUED', num_exes: 1, job_type_rev_id: rev1 });
    expect(await job(b!)).toMatchObject({ status: 'PENDING', num_exes: 0, queued: null, job_type_rev_id: rev1 });
    expect(await events(a!)).toEqual(['QUEUED']);
    expect(await events(b!)).toEqual(['PENDING']);
    const [row] = await sql<{ recipe_id: string; root_recipe_id: string; recipe_node_name: string }>(
      'select recipe_id, root_recipe_id, recipe_node_name from job where id = ?',
      [b],
    );
    expect(row).toEqual({ recipe_id: String(recipeId), root_recipe_id: String(recipeId), recipe_node_name: 'b' });

    await expect(
      queue({ jobs: [{ jobTypeId, jobTypeRevisionNum: 9, input: { files: {}, json: {} }, recipe: link('c') }] }),
    ).rejects.toThrow(/no revision 9/);
  });

  it('recipe jobs - block, unblock and queue move only jobs in the starting state, each change published', async () => {
    const { jobIds } = await queue({
      jobs: ['p', 'q'].map((n) => ({
        jobTypeId,
        input: { files: {}, json: {} },
        recipe: link(n),
        status: 'PENDING' as const,
      })),
    });
    const [p, q] = jobIds as [number, number];
    expect(await move({ block: [p, q] })).toMatchObject({ blocked: [p, q] });
    expect(await move({ block: [p] })).toMatchObject({ blocked: [] });
    expect(await move({ unblock: [p] })).toMatchObject({ unblocked: [p] });
    expect(await move({ block: [p] })).toMatchObject({ blocked: [p] });
    expect(await events(p)).toEqual(['PENDING', 'BLOCKED', 'PENDING', 'BLOCKED']);
    const ids = await sql<{ msg_id: string }>(`select msg_id from outbox where payload->>'jobId' = ?`, [String(p)]);
    expect(new Set(ids.map((r) => r.msg_id)).size).toBe(ids.length);

    const input = { files: {}, json: { X: 3 } };
    expect(
      await move({
        queue: [
          { jobId: p, input },
          { jobId: q, input },
        ],
      }),
    ).toMatchObject({ queued: [p, q] });
    expect(await job(p)).toMatchObject({ status: 'QUEUED', num_exes: 1, input });
    expect(await move({ queue: [{ jobId: p, input: { files: {}, json: { X: 9 } } }], unblock: [p] })).toEqual({
      queued: [],
      blocked: [],
      unblocked: [],
      superseded: [],
    });
    expect(await job(p)).toMatchObject({ input });
  });

  it('recipe jobs - superseding cancels unfinished work and keeps finished results', async () => {
    const { jobIds } = await queue({
      jobs: ['s1', 's2'].map((n) => ({ jobTypeId, input: { files: {}, json: {} }, recipe: link(n) })),
    });
    const [s1, s2] = jobIds as [number, number];
    await sql(`update job set status = 'COMPLETED', output = '{"files": {}, "json": {}}' where id = ?`, [s2]);
    expect(await move({ supersede: [s1, s2] })).toMatchObject({ superseded: [s1, s2] });
    expect(await job(s1)).toMatchObject({ status: 'CANCELED', is_superseded: true });
    expect(await job(s2)).toMatchObject({ status: 'COMPLETED', is_superseded: true });
    expect(await move({ supersede: [s1], queue: [{ jobId: s1, input: { files: {}, json: {} } }] })).toMatchObject({
      superseded: [],
      queued: [],
    });
  });
});
