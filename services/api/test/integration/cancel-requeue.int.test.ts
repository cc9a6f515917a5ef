/**
 * Cancel and requeue: v6 POST /v6/jobs/cancel/ and /v6/jobs/requeue/ (202 once the command is stored in the
 * scheduler's durable command stream), v5 PATCH /jobs/{id}/ and v5 POST /queue/requeue-jobs/ (request/reply).
 * Stand-in responders play the scheduler for v5; for v6 the tests read the stream through the scheduler's durable
 * consumer. They check what the API sends, what it answers, and that a rejected request sends nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { CancelJobsRequest, RequeueJobsRequest } from '@scale/contracts';
import { ensureDurableConsumer, ensureStreams, jetstream } from '@scale/runtime';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { failWith, respond, silent } from '../fixtures/scheduler-responders.ts';
import { insertJob, insertJobType } from '../fixtures/scheduling-rows.ts';

describe('cancel and requeue', () => {
  let h: Harness;
  let typeId: number;
  let otherTypeId: number;
  const stops: (() => unknown)[] = [];

  const acceptCancel = () => {
    const fake = respond(h, 'cancel-jobs', CancelJobsRequest, async () => ({ canceled: 0, killed: 0 }));
    stops.push(fake.stop);
    return fake;
  };
  const acceptRequeue = () => {
    const fake = respond(h, 'requeue-jobs', RequeueJobsRequest, async () => ({ requeued: 0, jobIds: [] }));
    stops.push(fake.stop);
    return fake;
  };
  /** Commands stored in the stream and not yet read by the (stand-in) scheduler. */
  const pendingCommands = async () =>
    (
      await (
        await jetstream(h.nc).jetstreamManager()
      ).consumers.info(h.subjects.streams.commands.name, h.subjects.consumers.schedulerCommands)
    ).num_pending;
  /** Reads (and acks) what the API stored: the verb, the message id and the request. */
  const storedCommands = async () => {
    const count = await pendingCommands();
    if (count === 0) return [];
    const consumer = await jetstream(h.nc).consumers.get(
      h.subjects.streams.commands.name,
      h.subjects.consumers.schedulerCommands,
    );
    const stored: { subject: string; msgId: string | undefined; request: unknown }[] = [];
    for await (const m of await consumer.fetch({ max_messages: count, expires: 2_000 })) {
      stored.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), request: m.json() });
      m.ack();
      if (stored.length === count) break;
    }
    return stored;
  };
  const statusOf = async (id: number) =>
    (await h.sql<{ status: string }>('select status from job where id = ?', [id]))[0]?.status;

  beforeAll(async () => {
    h = await startHarness('cancel-requeue', { commandTimeoutMs: 300 });
    typeId = await insertJobType(h, { name: 'cutter', tags: ['geo'] });
    otherTypeId = await insertJobType(h, { name: 'painter', tags: ['art'] });
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });
  afterAll(async () => {
    await h.close();
  });

  describe('POST /v6/jobs/cancel/ and /v6/jobs/requeue/: no command stream', () => {
    for (const verb of ['cancel', 'requeue']) {
      it(`POST /v6/jobs/${verb}/ - JetStream cannot store the command → 503`, async () => {
        const res = await h.app.inject({ method: 'POST', url: `/v6/jobs/${verb}/`, payload: { job_ids: [1] } });
        expect(res.statusCode).toBe(503);
        expect(res.json().detail).toMatch(new RegExp(`did not store the command on .*cmdq\\.scheduler\\.${verb}-jobs`));
      });
    }
  });

  describe('POST /v6/jobs/cancel/ and /v6/jobs/requeue/: validation', () => {
    beforeAll(async () => {
      await ensureStreams(h.nc, h.subjects);
      await ensureDurableConsumer(
        h.nc,
        h.subjects.streams.commands.name,
        h.subjects.consumers.schedulerCommands,
        h.subjects.queuedCommands('scheduler'),
      );
    });

    const invalid: [string, string, unknown, Record<string, unknown>][] = [
      ['cancel', 'a misspelt filter is not dropped', { job_id: [1] }, { job_id: ['Unrecognized field.'] }],
      ['cancel', 'an unknown status', { status: 'DONE' }, { status: expect.any(Array) }],
      ['cancel', 'a non-integer job id', { job_ids: [1, 'x'] }, { 'job_ids.1': expect.any(Array) }],
      [
        'cancel',
        'a job id that is not a list',
        { job_ids: 3 },
        { job_ids: ['Invalid input: expected array, received number'] },
      ],
      [
        'cancel',
        'an unknown error category',
        { error_categories: ['USER'] },
        { 'error_categories.0': ['Not a valid choice; choose from SYSTEM, ALGORITHM, DATA.'] },
      ],
      [
        'cancel',
        'an unreadable time',
        { started: 'yesterday' },
        { started: ['Must be an ISO-8601 date-time or duration.'] },
      ],
      [
        'cancel',
        'a reversed range',
        { started: '2016-01-02T00:00:00Z', ended: '2016-01-01T00:00:00Z' },
        { ended: ['Must come after started.'] },
      ],
      [
        'cancel',
        'a non-boolean is_superseded',
        { is_superseded: 'yes' },
        { is_superseded: ['Invalid input: expected boolean, received string'] },
      ],
      ['cancel', 'priority is for requeue only', { priority: 5 }, { priority: ['Unrecognized field.'] }],
      ['requeue', 'a zero priority', { priority: 0 }, { priority: expect.any(Array) }],
      ['requeue', 'a fractional priority', { priority: 1.5 }, { priority: expect.any(Array) }],
      [
        'requeue',
        'a text priority',
        { priority: 'high' },
        { priority: ['Invalid input: expected number, received string'] },
      ],
    ];
    for (const [verb, name, payload, errors] of invalid) {
      it(`POST /v6/jobs/${verb}/ - ${name} → 400, nothing sent`, async () => {
        const cancel = acceptCancel();
        const requeue = acceptRequeue();
        const res = await h.app.inject({ method: 'POST', url: `/v6/jobs/${verb}/`, payload: payload as object });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors).toEqual(errors);
        expect(cancel.requests).toEqual([]);
        expect(requeue.requests).toEqual([]);
        expect(await pendingCommands()).toBe(0);
      });
    }

    it('POST /v6/jobs/cancel/ - an Idempotency-Key over 200 characters → 400, nothing sent', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v6/jobs/cancel/',
        headers: { 'idempotency-key': 'k'.repeat(201) },
        payload: { job_ids: [1] },
      });
      expect(res.statusCode).toBe(400);
      expect(await pendingCommands()).toBe(0);
    });
  });

  describe('POST /v6/jobs/cancel/ and /v6/jobs/requeue/: accepted', () => {
    it('POST /v6/jobs/cancel/ - seed 004 body → a stored cancel-jobs with the mapped filter → 202 without a body', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v6/jobs/cancel/',
        payload: {
          started: '2016-01-01T00:00:00Z',
          ended: '2016-01-02T00:00:00Z',
          status: 'FAILED',
          job_ids: [101, 102, 103],
          job_type_ids: [1, 2, 3],
          job_type_names: ['test-job-type'],
          batch_ids: [201, 202, 203],
          recipe_ids: [301, 302, 303],
          error_categories: ['SYSTEM'],
          error_ids: [11, '22', 33],
          is_superseded: true,
        },
      });
      expect(res.statusCode).toBe(202);
      expect(res.body).toBe('');
      const stored = await storedCommands();
      expect(stored.map((c) => c.subject)).toEqual([h.subjects.queuedCommand('scheduler', 'cancel-jobs')]);
      expect(stored.map((c) => c.request)).toEqual([
        {
          filter: {
            started: '2016-01-01T00:00:00.000Z',
            ended: '2016-01-02T00:00:00.000Z',
            statuses: ['FAILED'],
            jobIds: [101, 102, 103],
            jobTypeIds: [1, 2, 3],
            jobTypeNames: ['test-job-type'],
            batchIds: [201, 202, 203],
            recipeIds: [301, 302, 303],
            errorCategories: ['SYSTEM'],
            errorIds: [11, 22, 33],
            isSuperseded: true,
          },
        },
      ]);
    });

    it('POST /v6/jobs/cancel/ - a duration means that long before the request', async () => {
      const before = Date.now();
      const res = await h.app.inject({
        method: 'POST',
        url: '/v6/jobs/cancel/',
        payload: { started: 'PT1H', status: ['queued', 'RUNNING'] },
      });
      const after = Date.now();
      expect(res.statusCode).toBe(202);
      const [request] = (await storedCommands()).map((c) => CancelJobsRequest.parse(c.request));
      const started = new Date(request?.filter.started ?? '').getTime();
      expect(started).toBeGreaterThanOrEqual(before - 3_600_000);
      expect(started).toBeLessThanOrEqual(after - 3_600_000);
      expect(request?.filter.statuses).toEqual(['QUEUED', 'RUNNING']);
    });

    it('POST /v6/jobs/cancel/ - an Idempotency-Key stores a retried request once; without one each is stored', async () => {
      const post = (headers: Record<string, string>) =>
        h.app.inject({ method: 'POST', url: '/v6/jobs/cancel/', headers, payload: { job_ids: [7] } });
      expect((await post({ 'idempotency-key': 'cancel-7' })).statusCode).toBe(202);
      expect((await post({ 'idempotency-key': 'cancel-7' })).statusCode).toBe(202);
      expect((await post({})).statusCode).toBe(202);
      expect((await post({})).statusCode).toBe(202);
      const stored = await storedCommands();
      expect(stored).toHaveLength(3);
      expect(stored[0]?.msgId).toBe('cancel-jobs:cancel-7');
      expect(new Set(stored.map((c) => c.msgId)).size).toBe(3);
    });

    it('POST /v6/jobs/requeue/ - filters and priority → a stored requeue-jobs → 202 without a body', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v6/jobs/requeue/',
        payload: { status: 'FAILED', job_type_names: ['cutter'], priority: 101 },
      });
      expect(res.statusCode).toBe(202);
      expect(res.body).toBe('');
      const stored = await storedCommands();
      expect(stored.map((c) => c.subject)).toEqual([h.subjects.queuedCommand('scheduler', 'requeue-jobs')]);
      expect(stored.map((c) => c.request)).toEqual([
        { filter: { statuses: ['FAILED'], jobTypeNames: ['cutter'] }, priority: 101 },
      ]);
    });

    it('POST /v6/jobs/requeue/ - an empty list is sent as it is: it matches no job', async () => {
      const res = await h.app.inject({ method: 'POST', url: '/v6/jobs/requeue/', payload: { job_ids: [] } });
      expect(res.statusCode).toBe(202);
      expect((await storedCommands()).map((c) => c.request)).toEqual([{ filter: { jobIds: [] } }]);
    });
  });

  describe('PATCH /jobs/{id}/ (v5)', () => {
    let jobId: number;
    beforeAll(async () => {
      jobId = await insertJob(h, { jobTypeId: typeId, status: 'QUEUED' });
    });

    const invalid: [string, unknown, Record<string, unknown>][] = [
      ['another status', { status: 'RUNNING' }, { status: ['Invalid or read-only status. Allowed values: CANCELED'] }],
      ['no fields', {}, { status: ['This field is required.'] }],
      ['another field', { status: 'CANCELED', priority: 1 }, { priority: ['Unrecognized field.'] }],
      ['a status that is not text', { status: 5 }, { status: ['Invalid input: expected string, received number'] }],
    ];
    for (const [name, payload, errors] of invalid) {
      it(`PATCH /jobs/{id}/ - ${name} → 400, nothing sent or changed`, async () => {
        const fake = acceptCancel();
        const res = await h.app.inject({ method: 'PATCH', url: `/jobs/${jobId}/`, payload: payload as object });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors).toEqual(errors);
        expect(fake.requests).toEqual([]);
        expect(await statusOf(jobId)).toBe('QUEUED');
      });
    }

    it('PATCH /jobs/{id}/ - an unknown job is a 404 before anything is sent', async () => {
      const fake = acceptCancel();
      const res = await h.app.inject({ method: 'PATCH', url: '/jobs/99999/', payload: { status: 'CANCELED' } });
      expect(res.statusCode).toBe(404);
      expect(fake.requests).toEqual([]);
    });

    it('PATCH /jobs/{id}/ - no scheduler → 503, the job unchanged', async () => {
      const res = await h.app.inject({ method: 'PATCH', url: `/v5/jobs/${jobId}/`, payload: { status: 'CANCELED' } });
      expect(res.statusCode).toBe(503);
      expect(await statusOf(jobId)).toBe('QUEUED');
    });

    it('PATCH /jobs/{id}/ - cancels that one job and answers with its v5 details', async () => {
      const fake = respond(h, 'cancel-jobs', CancelJobsRequest, async (r) => {
        await h.sql(`update job set status = 'CANCELED', ended = now() where id in (?)`, [r.filter.jobIds]);
        return { canceled: 1, killed: 0 };
      });
      stops.push(fake.stop);
      const res = await h.app.inject({ method: 'PATCH', url: `/jobs/${jobId}/`, payload: { status: 'CANCELED' } });
      expect(res.statusCode).toBe(200);
      expect(fake.requests).toEqual([{ filter: { jobIds: [jobId] } }]);
      const v5 = (await h.app.inject({ url: `/jobs/${jobId}/` })).json();
      expect(res.json()).toEqual(v5);
      expect(v5).toMatchObject({ id: jobId, status: 'CANCELED', job_type: { id: typeId } });
    });
  });

  describe('POST /queue/requeue-jobs/ (v5)', () => {
    let failed: number;
    let canceled: number;
    let paintFailed: number;
    beforeAll(async () => {
      failed = await insertJob(h, { jobTypeId: typeId, status: 'FAILED', numExes: 3, maxTries: 3 });
      canceled = await insertJob(h, { jobTypeId: typeId, status: 'CANCELED' });
      paintFailed = await insertJob(h, { jobTypeId: otherTypeId, status: 'FAILED' });
    });

    const invalid: [string, unknown, Record<string, unknown>][] = [
      ['a v6-only field', { batch_ids: [1] }, { batch_ids: ['Unrecognized field.'] }],
      ['a bad priority', { priority: -1 }, { priority: expect.any(Array) }],
      ['a category that is not text', { job_type_categories: [1] }, { 'job_type_categories.0': expect.any(Array) }],
    ];
    for (const [name, payload, errors] of invalid) {
      it(`POST /queue/requeue-jobs/ - ${name} → 400, nothing sent`, async () => {
        const fake = acceptRequeue();
        const res = await h.app.inject({ method: 'POST', url: '/queue/requeue-jobs/', payload: payload as object });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors).toEqual(errors);
        expect(fake.requests).toEqual([]);
      });
    }

    it('POST /queue/requeue-jobs/ - no scheduler → 503', async () => {
      const res = await h.app.inject({ method: 'POST', url: '/queue/requeue-jobs/', payload: { status: 'FAILED' } });
      expect(res.statusCode).toBe(503);
      expect(res.json().detail).toMatch(/no answer on .*requeue-jobs/);
    });

    it('POST /queue/requeue-jobs/ - a silent scheduler → 503 after the command timeout', async () => {
      stops.push(silent(h, 'requeue-jobs').stop);
      const res = await h.app.inject({ method: 'POST', url: '/queue/requeue-jobs/', payload: { job_ids: [1] } });
      expect(res.statusCode).toBe(503);
    });

    it("POST /queue/requeue-jobs/ - the scheduler's field errors come back under the REST names", async () => {
      stops.push(
        respond(h, 'requeue-jobs', RequeueJobsRequest, failWith('VALIDATION', 'filter.jobIds.0', 'bad id')).stop,
      );
      const res = await h.app.inject({ method: 'POST', url: '/queue/requeue-jobs/', payload: { job_ids: [1] } });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual({ 'job_ids.0': ['bad id'] });
    });

    it('POST /queue/requeue-jobs/ - requeues synchronously and answers with the requeued jobs as v5 list items', async () => {
      const fake = respond(h, 'requeue-jobs', RequeueJobsRequest, async (r) => {
        const ids = [failed, canceled];
        await h.sql(
          `update job set status = 'QUEUED', queued = now(), priority = coalesce(?, priority),
                  max_tries = num_exes + 3 where id in (?)`,
          [r.priority ?? null, ids],
        );
        return { requeued: 2, jobIds: ids };
      });
      stops.push(fake.stop);
      const res = await h.app.inject({
        method: 'POST',
        url: '/queue/requeue-jobs/',
        payload: { status: 'FAILED', job_type_ids: [typeId], priority: 7, started: '2016-01-01T00:00:00Z' },
      });
      expect(res.statusCode).toBe(200);
      expect(fake.requests).toEqual([
        { filter: { started: '2016-01-01T00:00:00.000Z', statuses: ['FAILED'], jobTypeIds: [typeId] }, priority: 7 },
      ]);
      const body = res.json();
      expect(body).toMatchObject({ count: 2, next: null, previous: null });
      expect(body.results.map((j: { id: number }) => j.id)).toEqual([failed, canceled]);
      expect(body.results[0]).toMatchObject({
        id: failed,
        status: 'QUEUED',
        priority: 7,
        max_tries: 6,
        job_type: { id: typeId, name: 'cutter' },
        job_type_rev: { job_type: { id: typeId }, revision_num: 1 },
      });
      expect(await statusOf(paintFailed)).toBe('FAILED');
    });

    it('POST /queue/requeue-jobs/ - job_type_categories select job types by their first tag, ANDed with ids', async () => {
      const fake = acceptRequeue();
      await h.app.inject({ method: 'POST', url: '/queue/requeue-jobs/', payload: { job_type_categories: ['art'] } });
      await h.app.inject({
        method: 'POST',
        url: '/queue/requeue-jobs/',
        payload: { job_type_categories: ['art'], job_type_ids: [typeId] },
      });
      expect(fake.requests).toEqual([{ filter: { jobTypeIds: [otherTypeId] } }, { filter: { jobTypeIds: [] } }]);
    });

    it('POST /queue/requeue-jobs/ - over the id limit the count is kept and no job is listed', async () => {
      stops.push(respond(h, 'requeue-jobs', RequeueJobsRequest, async () => ({ requeued: 5000 })).stop);
      const res = await h.app.inject({ method: 'POST', url: '/queue/requeue-jobs/', payload: {} });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ count: 5000, next: null, previous: null, results: [] });
    });
  });
});
