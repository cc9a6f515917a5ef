import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeScheduler } from '../fixtures/fake-scheduler.ts';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { fileInputManifest, manifest } from '../fixtures/manifests.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('jobs', () => {
  let h: Harness;
  let jobTypeId: number;
  let fileTypeId: number;
  let inactiveTypeId: number;

  const createType = async (body: unknown): Promise<number> => {
    const res = await h.app.inject({ method: 'POST', url: '/v6/job-types/', payload: body as object });
    expect(res.statusCode).toBe(201);
    return res.json().id;
  };
  const jobCount = async () => Number((await h.sql<{ n: string }>('select count(*) as n from job'))[0]?.n);

  beforeAll(async () => {
    h = await startHarness('jobs', { commandTimeoutMs: 300 });
    jobTypeId = await createType({
      docker_image: 'word-count:1.0.0',
      manifest: manifest(),
      configuration: { priority: 7, settings: { DB_HOST: 'h', DB_PASS: 'secret-value' } },
    });
    fileTypeId = await createType({ docker_image: 'reader:1', manifest: fileInputManifest() });
    inactiveTypeId = await createType({ docker_image: 'old:1', manifest: manifest({ name: 'old' }) });
    await h.sql('update job_type set is_active = false where id = ?', [inactiveTypeId]);
  });
  afterAll(async () => {
    await h.close();
  });

  describe('POST /v6/jobs/ validation (nothing is written)', () => {
    const cases: [string, unknown, Record<string, string[]>][] = [
      [
        'unknown job type',
        { job_type_id: 99999, input: { json: { TEXT: 'a' } } },
        { job_type_id: ['job type 99999 does not exist'] },
      ],
      [
        'inactive job type',
        { job_type_id: -1, input: { json: { TEXT: 'a' } } },
        { job_type_id: ['job type -1 is not active'] },
      ],
      [
        'missing required json input',
        { job_type_id: 0, input: { json: {} } },
        { 'input.json.TEXT': ['required input is missing'] },
      ],
      [
        'wrong json type',
        { job_type_id: 0, input: { json: { TEXT: 'a', LIMIT: 1.5, OPTIONS: [] } } },
        {
          'input.json.LIMIT': ['must be of type integer, got number'],
          'input.json.OPTIONS': ['must be of type object, got array'],
        },
      ],
      [
        'unknown input',
        { job_type_id: 0, input: { json: { TEXT: 'a', NOPE: 1 } } },
        { 'input.json.NOPE': ['unknown input "NOPE"'] },
      ],
      [
        'unknown input file',
        { job_type_id: -2, input: { files: { INPUT_FILE: [12] } } },
        { 'input.files.INPUT_FILE': ['file 12 does not exist'] },
      ],
      ['missing body fields', {}, { job_type_id: ['This field is required.'], input: ['This field is required.'] }],
      ['malformed data', { job_type_id: 0, input: { json: {}, other: 1 } }, { 'input.other': ['Unrecognized field.'] }],
    ];
    for (const [name, payload, errors] of cases) {
      it(`POST /v6/jobs/ - ${name} → 400 naming the field`, async () => {
        const body = payload as { job_type_id?: number };
        if (body.job_type_id === 0) body.job_type_id = jobTypeId;
        if (body.job_type_id === -1) body.job_type_id = inactiveTypeId;
        if (body.job_type_id === -2) body.job_type_id = fileTypeId;
        const expected = JSON.parse(
          JSON.stringify(errors).replaceAll('job type -1', `job type ${inactiveTypeId}`),
        ) as Record<string, string[]>;
        const res = await h.app.inject({ method: 'POST', url: '/v6/jobs/', payload: body });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors).toEqual(expected);
        expect(typeof res.json().detail).toBe('string');
        expect(await jobCount()).toBe(0);
      });
    }

    it('POST /queue/new-job/ - v5 input problems are named under job_data', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/queue/new-job/',
        payload: { job_type_id: jobTypeId, job_data: { version: '1.0', input_data: [{ name: 'LIMIT', value: 'x' }] } },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual({
        'job_data.input_data.LIMIT': ['must be of type integer, got string'],
        'job_data.input_data.TEXT': ['required input is missing'],
      });
      expect(await jobCount()).toBe(0);
    });
  });

  describe('without a scheduler', () => {
    it('POST /v6/jobs/ - nobody answering queue-jobs is a quick 503', async () => {
      const started = Date.now();
      const res = await h.app.inject({
        method: 'POST',
        url: '/v6/jobs/',
        payload: { job_type_id: jobTypeId, input: { json: { TEXT: 'hello' } } },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().detail).toMatch(/no answer on .*queue-jobs/);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('POST /v6/jobs/ - a scheduler that never answers is a 503 after the command timeout', async () => {
      const silent = h.nc.subscribe(h.subjects.command('scheduler', 'queue-jobs'));
      try {
        const started = Date.now();
        const res = await h.app.inject({
          method: 'POST',
          url: '/v6/jobs/',
          payload: { job_type_id: jobTypeId, input: { json: { TEXT: 'hello' } } },
        });
        expect(res.statusCode).toBe(503);
        expect(Date.now() - started).toBeGreaterThanOrEqual(250);
        expect(Date.now() - started).toBeLessThan(2000);
      } finally {
        silent.unsubscribe();
      }
    });
  });

  describe('with a scheduler answering', () => {
    let scheduler: ReturnType<typeof startFakeScheduler>;
    beforeAll(() => {
      scheduler = startFakeScheduler(h);
    });
    afterAll(async () => {
      await scheduler.stop();
    });

    it('POST /v6/jobs/ - 201 with Location and the v6 details; Idempotency-Key and priority are passed on', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v6/jobs/',
        headers: { 'idempotency-key': 'abc-123' },
        payload: { job_type_id: jobTypeId, input: { json: { TEXT: 'hello', LIMIT: 3 } }, priority: 5 },
      });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(res.headers.location).toBe(`/v6/jobs/${body.id}/`);
      expect(body).toMatchObject({
        status: 'QUEUED',
        priority: 5,
        input: { files: {}, json: { TEXT: 'hello', LIMIT: 3 } },
        job_type: { id: jobTypeId, name: 'word-count' },
        execution: null,
        node: null,
      });
      expect(scheduler.requests.at(-1)).toEqual({
        jobs: [{ jobTypeId, input: { files: {}, json: { TEXT: 'hello', LIMIT: 3 } }, priority: 5 }],
        idempotencyKey: 'abc-123',
      });
    });

    it('POST /queue/new-job/ and /v5/queue/new-job/ - 201 with the v5 job details', async () => {
      for (const prefix of ['', '/v5']) {
        const res = await h.app.inject({
          method: 'POST',
          url: `${prefix}/queue/new-job`,
          payload: {
            job_type_id: jobTypeId,
            job_data: { version: '1.0', input_data: [{ name: 'TEXT', value: 'HELLO' }] },
          },
        });
        expect(res.statusCode).toBe(201);
        const body = res.json();
        expect(res.headers.location).toBe(`${prefix}/jobs/${body.id}/`);
        expect(body).toMatchObject({
          status: 'QUEUED',
          priority: 7,
          num_exes: 1,
          timeout: 600,
          max_tries: 3,
          cpus_required: 1.5,
          mem_required: 256,
          disk_in_required: 0,
          disk_out_required: 11,
          event: null,
          error: null,
          data: { version: '1.0', input_data: [{ name: 'TEXT', value: 'HELLO' }], output_data: [] },
          results: null,
          job_exes: [],
          job_type: {
            id: jobTypeId,
            name: 'word-count',
            version: '1.0.0',
            is_operational: true,
            uses_docker: true,
            docker_privileged: false,
            docker_image: 'word-count:1.0.0',
            priority: 7,
            timeout: 600,
            cpus_required: 1.5,
            mem_required: 256,
            disk_out_const_required: 11,
            disk_out_mult_required: 4,
            archived: null,
          },
          job_type_rev: { job_type: { id: jobTypeId }, revision_num: 1 },
        });
        expect(body.job_type_rev.interface.input_data).toContainEqual({
          name: 'TEXT',
          type: 'property',
          required: true,
        });
        expect(scheduler.requests.at(-1)?.jobs[0]?.input).toEqual({ files: {}, json: { TEXT: 'HELLO' } });
      }
    });
  });

  describe('job details', () => {
    let jobId: number;
    let nodeId: number;
    let errorId: number;
    let exeIds: number[];

    beforeAll(async () => {
      const [node] = await h.sql<{ id: number }>(
        `insert into node (agent_id, hostname, resources) values ('agent-1', 'host-1.example', '{"cpus":4,"mem":4096,"disk":10000}') returning id`,
      );
      nodeId = node!.id;
      const [error] = await h.sql<{ id: number }>(`select id from error where name = 'node-lost'`);
      errorId = error!.id;
      const [rev] = await h.sql<{ id: number }>(
        'select id from job_type_revision where job_type_id = ? and revision_num = 1',
        [jobTypeId],
      );
      const [job] = await h.sql<{ id: string }>(
        `insert into job (job_type_id, job_type_rev_id, status, priority, max_tries, num_exes, input, input_file_size,
                          output, node_id, queued, started, ended, last_status_change)
         values (?, ?, 'COMPLETED', 100, 3, 2, ?, 2.5, ?, ?, now() - interval '5 minutes', now() - interval '4 minutes',
                 now(), now())
         returning id`,
        [
          jobTypeId,
          rev!.id,
          JSON.stringify({ files: {}, json: { TEXT: 'hello' } }),
          JSON.stringify({ files: {}, json: { total: 1 } }),
          nodeId,
        ],
      );
      jobId = Number(job!.id);
      const taskResults = [
        {
          task_id: 'scale_1_2_main',
          type: 'main',
          was_launched: true,
          launched: '2026-01-01T00:00:01.000Z',
          was_started: true,
          started: '2026-01-01T00:00:02.000Z',
          was_timed_out: false,
          ended: '2026-01-01T00:00:03.000Z',
          status: 'COMPLETED',
          exit_code: 0,
        },
      ];
      exeIds = [];
      for (const [exeNum, status, errId, results] of [
        [1, 'FAILED', errorId, null],
        [2, 'COMPLETED', null, taskResults],
      ] as const) {
        const [exe] = await h.sql<{ id: string }>(
          `insert into job_exe (job_id, job_type_id, exe_num, cluster_id, node_id, epoch, docker_image, timeout,
                                input_file_size, resources, configuration, status, error_id, task_results, output, queued,
                                started, ended)
           values (?, ?, ?, ?, ?, 1, 'word-count:1.0.0', 600, 2.5, ?, ?, ?, ?, ?, ?, now() - interval '3 minutes',
                   now() - interval '2 minutes', now())
           returning id`,
          [
            jobId,
            jobTypeId,
            exeNum,
            `scale_${jobId}_${exeNum}`,
            nodeId,
            JSON.stringify({ cpus: 1.5, mem: 256, disk: 21, gpus: 0 }),
            JSON.stringify({ priority: 7, settings: { DB_HOST: 'h', DB_PASS: 'secret-value' } }),
            status,
            errId,
            results === null ? null : JSON.stringify(results),
            exeNum === 2 ? JSON.stringify({ files: {}, json: { total: 1 } }) : null,
          ],
        );
        exeIds.push(Number(exe!.id));
      }
      await h.sql('update job set error_id = ? where id = ?', [errorId, jobId]);
    });

    it('GET /v6/jobs/{id}/ - every field of seed 004 with the right types', async () => {
      const res = await h.app.inject({ method: 'GET', url: `/v6/jobs/${jobId}/` });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      for (const key of [
        'id',
        'job_type',
        'job_type_rev',
        'event',
        'recipe',
        'batch',
        'is_superseded',
        'superseded_job',
        'superseded_by_job',
        'status',
        'node',
        'resources',
        'error',
        'num_exes',
        'execution',
        'input',
        'input_file_size',
        'output',
        'source_started',
        'source_ended',
        'created',
        'queued',
        'started',
        'ended',
        'last_status_change',
        'superseded',
        'last_modified',
      ]) {
        expect(body).toHaveProperty([key]);
      }
      expect(body).toMatchObject({
        id: jobId,
        event: null,
        recipe: null,
        batch: null,
        is_superseded: false,
        superseded_job: null,
        status: 'COMPLETED',
        node: { id: nodeId, hostname: 'host-1.example' },
        resources: { resources: { cpus: 1.5, mem: 256, disk: 21 } },
        num_exes: 2,
        max_tries: 3,
        input_file_size: 2.5,
        input: { files: {}, json: { TEXT: 'hello' } },
        output: { files: {}, json: { total: 1 } },
        source_started: null,
        source_ended: null,
        superseded: null,
      });
      expect(body.job_type).toMatchObject({
        id: jobTypeId,
        name: 'word-count',
        version: '1.0.0',
        title: 'Word Count',
        description: 'Counts the words of a text',
        revision_num: 1,
        icon_code: null,
        is_active: true,
        is_paused: false,
        is_published: false,
        unmet_resources: null,
      });
      expect(body.job_type_rev).toMatchObject({
        job_type: { id: jobTypeId, name: 'word-count' },
        revision_num: 1,
        docker_image: 'word-count:1.0.0',
        manifest: { seedVersion: '1.0.0', job: { name: 'word-count' } },
      });
      expect(typeof body.job_type_rev.id).toBe('number');
      expect(body.job_type_rev.created).toMatch(ISO);
      expect(body.error).toMatchObject({
        id: errorId,
        name: 'node-lost',
        title: 'Node Lost',
        category: 'SYSTEM',
        is_builtin: true,
        should_be_retried: true,
      });
      expect(body.error.created).toMatch(ISO);
      for (const key of ['created', 'queued', 'started', 'ended', 'last_status_change', 'last_modified']) {
        expect(body[key]).toMatch(ISO);
      }

      const exe = body.execution;
      expect(exe).toMatchObject({
        id: exeIds[1],
        status: 'COMPLETED',
        exe_num: 2,
        cluster_id: `scale_${jobId}_2`,
        job: { id: jobId },
        node: { id: nodeId, hostname: 'host-1.example' },
        error: null,
        job_type: { id: jobTypeId, name: 'word-count', version: '1.0.0', revision_num: 1 },
        timeout: 600,
        input_file_size: 2.5,
        resources: { resources: { cpus: 1.5, mem: 256, disk: 21 } },
        configuration: { settings: { DB_HOST: 'h', DB_PASS: '*****' } },
        output: { files: {}, json: { total: 1 } },
      });
      expect(exe.task_results).toEqual({ version: '1.0', tasks: expect.any(Array) });
      for (const key of ['created', 'queued', 'started', 'ended']) expect(exe[key]).toMatch(ISO);
      expect(res.body).not.toContain('secret-value');
    });

    it('GET /jobs/{id}/ and /v5/jobs/{id}/ - v5 details with every execution', async () => {
      for (const prefix of ['', '/v5']) {
        const res = await h.app.inject({ method: 'GET', url: `${prefix}/jobs/${jobId}` });
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body).toMatchObject({
          id: jobId,
          status: 'COMPLETED',
          num_exes: 2,
          disk_in_required: 2.5,
          disk_out_required: 21,
          error: { id: errorId, name: 'node-lost', category: 'SYSTEM' },
          data: { version: '1.0', input_data: [{ name: 'TEXT', value: 'hello' }] },
          results: { version: '1.0', output_data: [{ name: 'total', value: 1 }] },
        });
        expect(body.job_exes.map((e: { id: number }) => e.id)).toEqual([exeIds[1], exeIds[0]]);
        expect(body.job_exes[0]).toMatchObject({
          status: 'COMPLETED',
          job_started: '2026-01-01T00:00:02.000Z',
          job_completed: '2026-01-01T00:00:03.000Z',
          job_exit_code: 0,
          pre_started: null,
          job: { id: jobId },
          node: { id: nodeId },
          error: null,
        });
        expect(body.job_exes[1].error).toMatchObject({ name: 'node-lost' });
      }
    });

    it('GET /v6/jobs/{id}/ - unknown ids are 404, non-integer ids too (as in Django)', async () => {
      const missing = await h.app.inject({ method: 'GET', url: '/v6/jobs/987654/' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ detail: 'job 987654 does not exist' });
      for (const bad of ['abc', '1.5', '-1', '0', '99999999999999999999']) {
        const res = await h.app.inject({ method: 'GET', url: `/v6/jobs/${bad}/` });
        expect(res.statusCode).toBe(404);
        expect(res.json()).toEqual({ detail: `Not found: GET /v6/jobs/${bad}/` });
      }
      expect((await h.app.inject({ method: 'GET', url: '/jobs/987654/' })).statusCode).toBe(404);
    });
  });
});
