import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { insertExe, insertJob, insertRecipe, type RecipeRow } from '../fixtures/job-rows.ts';
import { manifest } from '../fixtures/manifests.ts';

/** Fields of the list examples in the seeds, each of which every item must carry. */
const SEED_004_LIST_ITEM = [
  'id',
  'job_type',
  'job_type_rev',
  'event',
  'recipe',
  'batch',
  'is_superseded',
  'superseded_job',
  'status',
  'node',
  'error',
  'num_exes',
  'input_file_size',
  'source_started',
  'source_ended',
  'created',
  'queued',
  'started',
  'ended',
  'last_status_change',
  'superseded',
  'last_modified',
];
const SEED_001_LIST_ITEM = [
  'id',
  'job_type',
  'job_type_rev',
  'event',
  'error',
  'status',
  'priority',
  'num_exes',
  'timeout',
  'max_tries',
  'cpus_required',
  'mem_required',
  'disk_in_required',
  'disk_out_required',
  'created',
  'queued',
  'started',
  'ended',
  'last_status_change',
  'last_modified',
];
const SEED_001_EXECUTION = [
  'id',
  'status',
  'command_arguments',
  'timeout',
  'pre_started',
  'pre_completed',
  'pre_exit_code',
  'job_started',
  'job_completed',
  'job_exit_code',
  'post_started',
  'post_completed',
  'post_exit_code',
  'created',
  'queued',
  'started',
  'ended',
  'last_modified',
  'job',
  'node',
  'error',
];

const hour = (h: number) => new Date(Date.UTC(2026, 0, 1, h)).toISOString();

describe('job lists', () => {
  let h: Harness;
  let wordCount: number;
  let gammaRay: number;
  let wordCountRev: number;
  let nodeId: number;
  let nodeLost: number;
  let badText: number;
  let recipeA: RecipeRow;
  let recipeB: RecipeRow;
  /** j[1]..j[6], oldest last_modified first; j[5] is superseded by j[6]. */
  const j: number[] = [];
  const recent = new Date(Date.now() - 10 * 60_000).toISOString();

  const get = async (url: string) => {
    const res = await h.app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() };
  };
  const ids = async (url: string) => {
    const { status, body } = await get(url);
    expect(status).toBe(200);
    expect(body.count).toBe(body.results.length);
    return body.results.map((r: { id: number }) => r.id);
  };

  beforeAll(async () => {
    h = await startHarness('joblists');
    const create = async (body: object) => {
      const res = await h.app.inject({ method: 'POST', url: '/v6/job-types/', payload: body });
      expect(res.statusCode).toBe(201);
      return res.json().id as number;
    };
    wordCount = await create({ docker_image: 'word-count:1', manifest: manifest() });
    gammaRay = await create({
      docker_image: 'gamma:1',
      manifest: manifest({ name: 'gamma-ray', job: { title: 'Gamma Ray', tags: ['imagery'] } }),
    });
    const [rev] = await h.sql<{ id: number }>('select id from job_type_revision where job_type_id = ?', [wordCount]);
    wordCountRev = rev!.id;
    const [node] = await h.sql<{ id: number }>(
      `insert into node (agent_id, hostname) values ('agent-1', 'host-1.example') returning id`,
    );
    nodeId = node!.id;
    nodeLost = (await h.sql<{ id: number }>(`select id from error where name = 'node-lost'`))[0]!.id;
    badText = (await h.sql<{ id: number }>(`select id from error where name = 'bad-text'`))[0]!.id;
    recipeA = await insertRecipe(h, 'recipe-a');
    recipeB = await insertRecipe(h, 'recipe-b');

    j[1] = await insertJob(h, {
      jobTypeId: wordCount,
      status: 'COMPLETED',
      numExes: 1,
      inputFileSize: 2.5,
      nodeId,
      recipeId: recipeA.id,
      batchId: 21,
      created: hour(0),
      queued: hour(0),
      started: hour(0),
      ended: hour(1),
      lastStatusChange: hour(1),
      lastModified: hour(1),
    });
    j[2] = await insertJob(h, {
      jobTypeId: wordCount,
      status: 'FAILED',
      numExes: 2,
      errorId: nodeLost,
      nodeId,
      created: hour(1),
      queued: hour(1),
      started: hour(1),
      ended: hour(2),
      lastStatusChange: hour(6),
      lastModified: hour(2),
    });
    j[3] = await insertJob(h, {
      jobTypeId: gammaRay,
      status: 'FAILED',
      numExes: 1,
      errorId: badText,
      nodeId,
      created: hour(2),
      queued: hour(2),
      started: hour(3),
      ended: hour(3),
      lastModified: hour(3),
    });
    j[4] = await insertJob(h, {
      jobTypeId: gammaRay,
      status: 'QUEUED',
      recipeId: recipeB.id,
      created: hour(3),
      queued: hour(3),
      lastModified: hour(4),
    });
    j[5] = await insertJob(h, {
      jobTypeId: wordCount,
      status: 'CANCELED',
      isSuperseded: true,
      superseded: hour(5),
      created: hour(4),
      lastModified: hour(5),
    });
    j[6] = await insertJob(h, {
      jobTypeId: wordCount,
      status: 'RUNNING',
      numExes: 1,
      nodeId,
      batchId: 21,
      supersededJobId: j[5],
      rootSupersededJobId: j[5],
      created: hour(5),
      queued: hour(5),
      started: hour(5),
      lastModified: recent,
    });
    await insertExe(h, { jobId: j[1]!, jobTypeId: wordCount, exeNum: 1, nodeId, status: 'COMPLETED', queued: hour(0) });
    await insertExe(h, {
      jobId: j[2]!,
      jobTypeId: wordCount,
      exeNum: 1,
      nodeId,
      status: 'FAILED',
      errorId: nodeLost,
      queued: hour(1),
      ended: hour(1),
    });
    await insertExe(h, {
      jobId: j[2]!,
      jobTypeId: wordCount,
      exeNum: 2,
      nodeId,
      status: 'FAILED',
      errorId: nodeLost,
      queued: hour(1),
      started: hour(1),
      ended: hour(2),
    });
  });
  afterAll(async () => {
    await h.close();
  });

  describe('GET /v6/jobs/', () => {
    it('GET /v6/jobs/ - every job, oldest last_modified first, each item with every field of seed 004', async () => {
      const { status, body } = await get('/v6/jobs/');
      expect(status).toBe(200);
      expect(body).toMatchObject({ count: 6, next: null, previous: null });
      expect(body.results.map((r: { id: number }) => r.id)).toEqual(j.slice(1));
      for (const item of body.results) expect(Object.keys(item)).toEqual(expect.arrayContaining(SEED_004_LIST_ITEM));
      expect(body.results[0]).toMatchObject({
        id: j[1],
        job_type: {
          id: wordCount,
          name: 'word-count',
          version: '1.0.0',
          title: 'Word Count',
          description: 'Counts the words of a text',
          revision_num: 1,
          icon_code: null,
        },
        job_type_rev: { id: wordCountRev, job_type: { id: wordCount }, revision_num: 1 },
        event: null,
        recipe: {
          id: recipeA.id,
          recipe_type: {
            id: recipeA.recipeTypeId,
            name: 'recipe-a',
            title: 'Title of recipe-a',
            description: 'About recipe-a',
            revision_num: 1,
          },
          recipe_type_rev: { id: recipeA.recipeTypeRevId },
          event: null,
        },
        batch: { id: 21, title: null, description: null, created: null },
        is_superseded: false,
        superseded_job: null,
        status: 'COMPLETED',
        node: { id: nodeId, hostname: 'host-1.example' },
        error: null,
        num_exes: 1,
        input_file_size: 2.5,
        source_started: null,
        source_ended: null,
        created: hour(0),
        queued: hour(0),
        started: hour(0),
        ended: hour(1),
        last_status_change: hour(1),
        superseded: null,
        last_modified: hour(1),
      });
      const byId = new Map(body.results.map((r: { id: number }) => [r.id, r]));
      expect(byId.get(j[2])).toMatchObject({
        error: { id: nodeLost, name: 'node-lost', category: 'SYSTEM' },
        recipe: null,
        batch: null,
      });
      expect(byId.get(j[5])).toMatchObject({ is_superseded: true, superseded: hour(5), node: null });
      expect(byId.get(j[6])).toMatchObject({ superseded_job: { id: j[5] }, is_superseded: false });
    });

    const filters: [string, string, () => number[]][] = [
      ['status', 'status=FAILED', () => [j[2]!, j[3]!]],
      ['repeated status ORs, any case', 'status=failed&status=QUEUED', () => [j[2]!, j[3]!, j[4]!]],
      ['job_id', () => `job_id=${j[3]}&job_id=${j[5]}`, () => [j[3]!, j[5]!]] as never,
      ['job_type_id', () => `job_type_id=${gammaRay}`, () => [j[3]!, j[4]!]] as never,
      ['job_type_name', 'job_type_name=gamma-ray&job_type_name=nope', () => [j[3]!, j[4]!]],
      ['job_type_id AND job_type_name', () => `job_type_id=${gammaRay}&job_type_name=word-count`, () => []] as never,
      ['batch_id', 'batch_id=21', () => [j[1]!, j[6]!]],
      ['recipe_id', () => `recipe_id=${recipeB.id}&recipe_id=${recipeA.id}`, () => [j[1]!, j[4]!]] as never,
      ['error_category', 'error_category=DATA', () => [j[3]!]],
      ['error_category ORs', 'error_category=DATA&error_category=system', () => [j[2]!, j[3]!]],
      ['error_id', () => `error_id=${nodeLost}`, () => [j[2]!]] as never,
      ['is_superseded=true', 'is_superseded=true', () => [j[5]!]],
      ['is_superseded=false', 'is_superseded=false', () => [j[1]!, j[2]!, j[3]!, j[4]!, j[6]!]],
      ['started (date-time, inclusive)', `started=${hour(4)}`, () => [j[4]!, j[5]!, j[6]!]],
      ['ended (date-time, inclusive)', `ended=${hour(2)}`, () => [j[1]!, j[2]!]],
      ['started and ended', `started=2026-01-01T02:00:00Z&ended=2026-01-01T04:30:00Z`, () => [j[2]!, j[3]!, j[4]!]],
      ['started as a duration before now', 'started=PT1H', () => [j[6]!]],
      ['ended as a duration before now', 'ended=PT1H', () => [j[1]!, j[2]!, j[3]!, j[4]!, j[5]!]],
      ['filters AND together', 'status=FAILED&job_type_name=word-count', () => [j[2]!]],
      ['an unknown name matches nothing', 'job_type_name=nope', () => []],
    ];
    for (const [name, query, expected] of filters) {
      it(`GET /v6/jobs/ - filter: ${name}`, async () => {
        const q = typeof query === 'function' ? (query as () => string)() : query;
        expect(await ids(`/v6/jobs/?${q}`)).toEqual(expected());
      });
    }

    const orders: [string, () => number[]][] = [
      ['-last_modified', () => [j[6]!, j[5]!, j[4]!, j[3]!, j[2]!, j[1]!]],
      ['id', () => j.slice(1)],
      ['-id', () => j.slice(1).reverse()],
      ['created', () => j.slice(1)],
      ['-queued', () => [j[5]!, j[6]!, j[4]!, j[3]!, j[2]!, j[1]!]],
      ['started', () => [j[1]!, j[2]!, j[3]!, j[6]!, j[4]!, j[5]!]],
      ['-ended', () => [j[6]!, j[5]!, j[4]!, j[3]!, j[2]!, j[1]!]],
      ['last_status_change', () => [j[1]!, j[3]!, j[4]!, j[5]!, j[2]!, j[6]!]],
    ];
    for (const [order, expected] of orders) {
      it(`GET /v6/jobs/ - order=${order} (ties by id; nulls last ascending, first descending)`, async () => {
        expect(await ids(`/v6/jobs/?order=${order}`)).toEqual(expected());
      });
    }

    it('GET /v6/jobs/ - repeated order sorts on several fields', async () => {
      expect(await ids('/v6/jobs/?order=-ended&order=-id')).toEqual([j[6], j[5], j[4], j[3], j[2], j[1]]);
      expect(await ids('/v6/jobs/?order=ended&order=-created')).toEqual([j[1], j[2], j[3], j[6], j[5], j[4]]);
    });

    it('GET /v6/jobs/ - pages with working next and previous URLs that keep the filters', async () => {
      const first = await get('/v6/jobs/?page_size=2&order=id');
      expect(first.body).toMatchObject({ count: 6, previous: null });
      expect(first.body.next).toBe('http://localhost/v6/jobs/?page_size=2&order=id&page=2');
      const seen = first.body.results.map((r: { id: number }) => r.id);
      let next: string | null = first.body.next;
      let last = first;
      while (next) {
        const url = new URL(next);
        last = await get(url.pathname + url.search);
        expect(last.status).toBe(200);
        seen.push(...last.body.results.map((r: { id: number }) => r.id));
        next = last.body.next;
      }
      expect(seen).toEqual(j.slice(1));
      expect(last.body.previous).toBe('http://localhost/v6/jobs/?page_size=2&order=id&page=2');
      const back = new URL(last.body.previous);
      expect((await get(back.pathname + back.search)).body.results.map((r: { id: number }) => r.id)).toEqual([
        j[3],
        j[4],
      ]);
      expect(await get('/v6/jobs/?page_size=2&page=4')).toEqual({ status: 404, body: { detail: 'Invalid page.' } });
    });

    const bad: [string, string, RegExp][] = [
      ['order=docker_image', 'order', /"docker_image" is not a valid order field; choose from id, created/],
      ['order=-nope&order=id', 'order', /"-nope"/],
      ['status=DONE', 'status', /"DONE": Not a valid choice/],
      ['job_id=x', 'job_id', /"x": A valid integer is required/],
      ['job_type_id=0', 'job_type_id', /"0"/],
      ['batch_id=1.5', 'batch_id', /"1.5"/],
      ['recipe_id=-3', 'recipe_id', /"-3"/],
      ['error_id=abc', 'error_id', /"abc"/],
      ['error_category=USER', 'error_category', /"USER": Not a valid choice; choose from SYSTEM, ALGORITHM, DATA/],
      ['is_superseded=maybe', 'is_superseded', /boolean/],
      ['started=yesterday', 'started', /ISO-8601/],
      ['ended=P1X', 'ended', /ISO-8601/],
      ['started=2026-01-02T00:00:00Z&ended=2026-01-01T00:00:00Z', 'ended', /before started/],
      ['page=0', 'page', /greater than or equal to 1/],
      ['page_size=1001', 'page_size', /less than or equal to 1000/],
    ];
    for (const [query, param, message] of bad) {
      it(`GET /v6/jobs/ - ${query} → 400 naming ${param}`, async () => {
        const { status, body } = await get(`/v6/jobs/?${query}`);
        expect(status).toBe(400);
        expect(body.detail).toMatch(/^Invalid query parameters: /);
        expect(Object.keys(body.errors)).toEqual([param]);
        expect(body.errors[param].join(' ')).toMatch(message);
      });
    }
  });

  describe('v5 lists', () => {
    it('GET /jobs/ - seed 001 items; superseded jobs are left out unless include_superseded=true', async () => {
      const { status, body } = await get('/jobs/');
      expect(status).toBe(200);
      expect(body).toMatchObject({ count: 5, next: null, previous: null });
      expect(body.results.map((r: { id: number }) => r.id)).toEqual([j[1], j[2], j[3], j[4], j[6]]);
      for (const item of body.results) expect(Object.keys(item)).toEqual(expect.arrayContaining(SEED_001_LIST_ITEM));
      expect(body.results[0]).toEqual({
        id: j[1],
        job_type: {
          id: wordCount,
          name: 'word-count',
          version: '1.0.0',
          title: 'Word Count',
          description: 'Counts the words of a text',
          category: 'text',
          author_name: 'Jane Doe',
          author_url: null,
          is_system: false,
          is_long_running: false,
          is_active: true,
          is_operational: true,
          is_paused: false,
          icon_code: null,
        },
        job_type_rev: { id: wordCountRev, job_type: { id: wordCount }, revision_num: 1 },
        event: null,
        error: null,
        status: 'COMPLETED',
        priority: 100,
        num_exes: 1,
        timeout: 600,
        max_tries: 3,
        cpus_required: 1.5,
        mem_required: 256,
        disk_in_required: 2.5,
        disk_out_required: 21,
        created: hour(0),
        queued: hour(0),
        started: hour(0),
        ended: hour(1),
        last_status_change: hour(1),
        last_modified: hour(1),
      });
      expect(body.results[1].error).toMatchObject({ id: nodeLost, name: 'node-lost', category: 'SYSTEM' });
      expect(await ids('/jobs/?include_superseded=true')).toEqual(j.slice(1));
      const v5 = await get('/v5/jobs/?include_superseded=true&order=-id&page_size=2');
      expect(v5.body.count).toBe(6);
      expect(v5.body.results.map((r: { id: number }) => r.id)).toEqual([j[6], j[5]]);
    });

    const filters: [string, string, () => number[]][] = [
      ['status', 'status=FAILED', () => [j[2]!, j[3]!]],
      ['job_type_name', 'job_type_name=word-count', () => [j[1]!, j[2]!, j[6]!]],
      ['job_type_category (first manifest tag)', 'job_type_category=imagery', () => [j[3]!, j[4]!]],
      [
        'job_type_category ORs',
        'job_type_category=imagery&job_type_category=text',
        () => [j[1]!, j[2]!, j[3]!, j[4]!, j[6]!],
      ],
      ['error_category', 'error_category=SYSTEM', () => [j[2]!]],
      ['batch_id', 'batch_id=21', () => [j[1]!, j[6]!]],
      ['started/ended', `started=${hour(2)}&ended=${hour(4)}`, () => [j[2]!, j[3]!, j[4]!]],
    ];
    for (const [name, query, expected] of filters) {
      it(`GET /jobs/ - filter: ${name}`, async () => {
        expect(await ids(`/jobs/?${query}`)).toEqual(expected());
      });
    }

    it('GET /jobs/ - job_id and job_type_id filters; bad values name the parameter', async () => {
      expect(await ids(`/jobs/?job_id=${j[2]}&job_id=${j[4]}`)).toEqual([j[2], j[4]]);
      expect(await ids(`/jobs/?job_type_id=${gammaRay}`)).toEqual([j[3], j[4]]);
      const res = await get('/jobs/?job_type_category=&order=bogus');
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors).sort()).toEqual(['job_type_category', 'order']);
    });

    it('GET /jobs/updates/ - ranged and ordered by last_status_change, with input_files', async () => {
      const { status, body } = await get('/jobs/updates/');
      expect(status).toBe(200);
      expect(body.results.map((r: { id: number }) => r.id)).toEqual([j[1], j[3], j[4], j[2], j[6]]);
      for (const item of body.results) {
        expect(Object.keys(item)).toEqual(expect.arrayContaining([...SEED_001_LIST_ITEM, 'input_files']));
        expect(item.input_files).toEqual([]);
      }
      expect(await ids('/v5/jobs/updates/?status=FAILED&order=-last_status_change')).toEqual([j[2], j[3]]);
      // Status changes in the range: j[2] changed status at 06:00 though it was last modified at 02:00.
      expect(await ids(`/jobs/updates/?started=${hour(3)}&include_superseded=true`)).toEqual([
        j[3],
        j[4],
        j[5],
        j[2],
        j[6],
      ]);
      expect(await ids(`/jobs/updates/?ended=${hour(5)}`)).toEqual([j[1], j[3], j[4]]);
      // The updates feed has no job_id parameter (seed 001): it is ignored, like any unknown parameter.
      expect((await get('/jobs/updates/?job_id=x')).status).toBe(200);
    });

    it('GET /jobs/executions/ - each job with its newest execution (seed 001)', async () => {
      const { status, body } = await get('/jobs/executions/?order=id');
      expect(status).toBe(200);
      expect(body.count).toBe(5);
      const byId = new Map(body.results.map((r: { id: number }) => [r.id, r]));
      const failed = byId.get(j[2]) as { latest_job_exe: Record<string, unknown>; job_type: object };
      expect(Object.keys(failed.latest_job_exe)).toEqual(expect.arrayContaining(SEED_001_EXECUTION));
      expect(failed.latest_job_exe).toMatchObject({
        status: 'FAILED',
        exe_num: 2,
        command_arguments: '${TEXT} ${OUTPUT_DIR}',
        timeout: 600,
        queued: hour(1),
        started: hour(1),
        ended: hour(2),
        job: { id: j[2] },
        node: { id: nodeId },
        error: { id: nodeLost, name: 'node-lost', category: 'SYSTEM' },
      });
      expect(failed.job_type).toMatchObject({ category: 'text', author_name: 'Jane Doe', author_url: null });
      expect((byId.get(j[1]) as { latest_job_exe: { exe_num: number } }).latest_job_exe.exe_num).toBe(1);
      // An execution's error need not be its job's: it is loaded too.
      await h.sql('update job_exe set error_id = ? where job_id = ?', [badText, j[1]]);
      try {
        const again = await get(`/jobs/executions/?job_id=${j[1]}`);
        expect(again.body.results[0]).toMatchObject({ error: null, latest_job_exe: { error: { name: 'bad-text' } } });
      } finally {
        await h.sql('update job_exe set error_id = null where job_id = ?', [j[1]]);
      }
      expect((byId.get(j[4]) as { latest_job_exe: unknown }).latest_job_exe).toBeNull();
      expect(await ids('/v5/jobs/executions/?status=FAILED&job_type_name=word-count')).toEqual([j[2]]);
    });
  });
  describe('job details: recipe, batch, supersede chain (seeds 004 and 001)', () => {
    it('GET /v6/jobs/{id}/ - recipe, batch and the job type versions of job_type_rev', async () => {
      const { status, body } = await get(`/v6/jobs/${j[1]}/`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        recipe: {
          id: recipeA.id,
          recipe_type: { id: recipeA.recipeTypeId, name: 'recipe-a', revision_num: 1 },
          recipe_type_rev: { id: recipeA.recipeTypeRevId },
          event: null,
        },
        batch: { id: 21 },
        is_superseded: false,
        superseded_job: null,
        superseded_by_job: null,
        superseded: null,
        job_type_rev: { job_type: { name: 'word-count', num_versions: 1, latest_version: '1.0.0' } },
      });
    });

    it('GET /v6/jobs/{id}/ - both directions of the supersede chain', async () => {
      const old = await get(`/v6/jobs/${j[5]}/`);
      expect(old.body).toMatchObject({
        is_superseded: true,
        superseded: hour(5),
        superseded_job: null,
        superseded_by_job: { id: j[6], status: 'RUNNING', job_type: { id: wordCount, name: 'word-count' } },
      });
      const replacement = await get(`/v6/jobs/${j[6]}/`);
      expect(replacement.body).toMatchObject({
        superseded_job: { id: j[5], status: 'CANCELED', job_type: { id: wordCount } },
        superseded_by_job: null,
        recipe: null,
      });
    });

    it('GET /jobs/{id}/ - v5 inputs, outputs, recipes and supersede links', async () => {
      const { status, body } = await get(`/jobs/${j[1]}/`);
      expect(status).toBe(200);
      expect(body.inputs).toEqual([
        { name: 'TEXT', type: 'property', value: 'hello' },
        { name: 'LIMIT', type: 'property', value: null },
        { name: 'OPTIONS', type: 'property', value: null },
      ]);
      expect(body.outputs).toEqual([{ name: 'total', type: 'property', value: null }]);
      expect(body.recipes).toEqual([
        {
          id: recipeA.id,
          recipe_type: { id: recipeA.recipeTypeId, name: 'recipe-a', version: null, description: 'About recipe-a' },
          event: null,
          created: expect.stringMatching(/Z$/),
          completed: null,
          last_modified: expect.stringMatching(/Z$/),
        },
      ]);
      const replacement = (await get(`/v5/jobs/${j[6]}/`)).body;
      expect(replacement).toMatchObject({
        root_superseded_job: { id: j[5] },
        superseded_job: { id: j[5] },
        superseded_by_job: null,
        recipes: [],
      });
      expect((await get(`/jobs/${j[5]}/`)).body).toMatchObject({
        superseded_by_job: { id: j[6] },
        superseded: hour(5),
      });
    });
  });
});
