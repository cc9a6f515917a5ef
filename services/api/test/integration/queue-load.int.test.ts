/**
 * Queue status (v5 /queue/status/, v6 /v6/queue/status/), the queue_reason of v6 job details, and job load
 * (/load/, /v6/load/), read from rows the scheduler would have written.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { insertJob, insertJobType, insertLoad, insertNode, setSchedulerPaused } from '../fixtures/scheduling-rows.ts';

const PARKED = 'needs 64 GiB mem; largest node offers 16 GiB';

describe('queue status, queue reasons and load', () => {
  let h: Harness;
  let alpha: number;
  let beta: number;
  let pausedType: number;
  let node: number;
  const jobs: Record<string, number> = {};

  beforeAll(async () => {
    h = await startHarness('queue-load');
    node = await insertNode(h, { hostname: 'n1', resources: { cpus: 4, mem: 16_384, disk: 1000 } });
    alpha = await insertJobType(h, { name: 'alpha', tags: ['imagery', 'x'], priority: 10 });
    beta = await insertJobType(h, { name: 'beta', version: '2.0.0', tags: ['text'] });
    pausedType = await insertJobType(h, { name: 'held', isPaused: true });
    jobs.alphaWaiting = await insertJob(h, {
      jobTypeId: alpha,
      status: 'QUEUED',
      priority: 5,
      queued: '2026-01-10T10:00:00.000Z',
    });
    jobs.alphaParked = await insertJob(h, {
      jobTypeId: alpha,
      status: 'QUEUED',
      priority: 20,
      queued: '2026-01-10T09:00:00.000Z',
      unplaceable: true,
      queueReason: PARKED,
    });
    jobs.alphaParked2 = await insertJob(h, {
      jobTypeId: alpha,
      status: 'QUEUED',
      queued: '2026-01-10T11:00:00.000Z',
      unplaceable: true,
      queueReason: PARKED,
    });
    jobs.betaLimited = await insertJob(h, {
      jobTypeId: beta,
      status: 'QUEUED',
      priority: 5,
      queued: '2026-01-10T08:00:00.000Z',
      queueReason: 'job type at its max_scheduled limit (1)',
    });
    jobs.held = await insertJob(h, {
      jobTypeId: pausedType,
      status: 'QUEUED',
      priority: 1,
      queued: '2026-01-10T07:00:00.000Z',
    });
    jobs.running = await insertJob(h, { jobTypeId: beta, status: 'RUNNING', nodeId: node, queueReason: 'stale' });
  });
  afterAll(async () => {
    await h.close();
  });

  describe('queue status', () => {
    it('GET /queue/status/ - v5, field for field: paused types last, then priority, then longest queued', async () => {
      const res = await h.app.inject({ url: '/queue/status/' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        queue_status: [
          {
            count: 1,
            longest_queued: '2026-01-10T08:00:00.000Z',
            job_type_name: 'beta',
            job_type_version: '2.0.0',
            highest_priority: 5,
            is_job_type_paused: false,
          },
          {
            count: 3,
            longest_queued: '2026-01-10T09:00:00.000Z',
            job_type_name: 'alpha',
            job_type_version: '1.0.0',
            highest_priority: 5,
            is_job_type_paused: false,
          },
          {
            count: 1,
            longest_queued: '2026-01-10T07:00:00.000Z',
            job_type_name: 'held',
            job_type_version: '1.0.0',
            highest_priority: 1,
            is_job_type_paused: true,
          },
        ],
      });
      expect((await h.app.inject({ url: '/v5/queue/status/' })).json()).toEqual(res.json());
    });

    it('GET /v6/queue/status/ - a page of job types with the reasons their jobs wait', async () => {
      const res = await h.app.inject({ url: '/v6/queue/status/' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ count: 3, next: null, previous: null });
      expect(body.results[1]).toEqual({
        job_type: {
          id: alpha,
          name: 'alpha',
          version: '1.0.0',
          title: 'alpha',
          description: null,
          is_active: true,
          is_system: false,
          is_paused: false,
          is_published: false,
          icon_code: null,
          unmet_resources: null,
        },
        count: 3,
        longest_queued: '2026-01-10T09:00:00.000Z',
        highest_priority: 5,
        reasons: [
          { reason: PARKED, count: 2 },
          { reason: 'waiting in queue', count: 1 },
        ],
      });
      expect(body.results[0].reasons).toEqual([{ reason: 'job type at its max_scheduled limit (1)', count: 1 }]);
      expect(body.results[2].reasons).toEqual([{ reason: 'job type held 1.0.0 is paused', count: 1 }]);
    });

    it('GET /v6/queue/status/ - pages', async () => {
      const res = await h.app.inject({ url: '/v6/queue/status/?page_size=2&page=2' });
      expect(res.statusCode).toBe(200);
      expect(res.json().count).toBe(3);
      expect(res.json().results.map((r: { job_type: { name: string } }) => r.job_type.name)).toEqual(['held']);
      expect(res.json().previous).toMatch(/page_size=2/);
      expect((await h.app.inject({ url: '/v6/queue/status/?page=9' })).statusCode).toBe(404);
    });

    it('GET /v6/queue/status/ - a paused scheduler is every job type’s reason', async () => {
      await setSchedulerPaused(h, true);
      const res = await h.app.inject({ url: '/v6/queue/status/' });
      await setSchedulerPaused(h, false);
      for (const entry of res.json().results) {
        expect(entry.reasons).toEqual([{ reason: 'scheduler is paused', count: entry.count }]);
      }
    });
  });

  describe('queue_reason in GET /v6/jobs/{id}/', () => {
    const reasonOf = async (id: number) => {
      const res = await h.app.inject({ url: `/v6/jobs/${id}/` });
      expect(res.statusCode).toBe(200);
      return res.json().queue_reason;
    };

    it('queue_reason - each queued job says why it is not running', async () => {
      expect(await reasonOf(jobs.alphaWaiting!)).toBe('waiting in queue');
      expect(await reasonOf(jobs.alphaParked!)).toBe(PARKED);
      expect(await reasonOf(jobs.betaLimited!)).toBe('job type at its max_scheduled limit (1)');
      expect(await reasonOf(jobs.held!)).toBe('job type held 1.0.0 is paused');
    });

    it('queue_reason - null for a job that is not queued, whatever was stored', async () => {
      expect(await reasonOf(jobs.running!)).toBeNull();
    });

    it('queue_reason - blanket causes: no READY node, then a paused scheduler', async () => {
      await h.sql(`update node set state = 'OFFLINE'`);
      expect(await reasonOf(jobs.alphaParked!)).toBe('no node is online');
      await setSchedulerPaused(h, true);
      expect(await reasonOf(jobs.alphaParked!)).toBe('scheduler is paused');
      await setSchedulerPaused(h, false);
      await h.sql(`update node set state = 'READY'`);
      expect(await reasonOf(jobs.alphaParked!)).toBe(PARKED);
    });
  });

  describe('load', () => {
    beforeAll(async () => {
      // One base instant: samples of one pass share their measured time exactly.
      const base = Date.now() - 3_600_000;
      const minute = (m: number) => new Date(base + m * 60_000).toISOString();
      await insertLoad(h, { jobTypeId: alpha, measured: minute(1), pending: 1, queued: 2, running: 3 });
      await insertLoad(h, { jobTypeId: beta, measured: minute(1), pending: 10, queued: 20, running: 30 });
      await insertLoad(h, { jobTypeId: alpha, measured: minute(2), pending: 0, queued: 1, running: 1 });
      // Eight days back: outside the default week.
      await insertLoad(h, {
        jobTypeId: alpha,
        measured: new Date(Date.now() - 8 * 86_400_000).toISOString(),
        pending: 9,
        queued: 9,
        running: 9,
      });
    });

    it('GET /load/ - samples summed per time over job types, oldest first, the last week by default', async () => {
      const res = await h.app.inject({ url: '/load/' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ count: 2, next: null, previous: null });
      expect(body.results).toEqual([
        { time: expect.any(String), pending_count: 11, queued_count: 22, running_count: 33 },
        { time: expect.any(String), pending_count: 0, queued_count: 1, running_count: 1 },
      ]);
      expect(new Date(body.results[0].time).getTime()).toBeLessThan(new Date(body.results[1].time).getTime());
      expect((await h.app.inject({ url: '/v6/load/' })).json()).toEqual(body);
    });

    const filtered: [string, string, number[]][] = [
      ['job_type_id', `job_type_id=BETA`, [10]],
      ['job_type_name, repeatable', 'job_type_name=alpha&job_type_name=nobody', [1, 0]],
      ['v5 job_type_category (first manifest tag)', 'job_type_category=text', [10]],
      ['v5 job_type_priority (configuration, default 100)', 'job_type_priority=100', [10]],
      ['an explicit older start', 'started=P9D', [9, 11, 0]],
    ];
    for (const [name, query, pending] of filtered) {
      it(`GET /load/ - ${name}`, async () => {
        const res = await h.app.inject({ url: `/load/?${query.replace('BETA', String(beta))}` });
        expect(res.statusCode).toBe(200);
        expect(res.json().results.map((r: { pending_count: number }) => r.pending_count)).toEqual(pending);
      });
    }

    it('GET /load/ - pages', async () => {
      const res = await h.app.inject({ url: '/load/?page_size=1&page=2' });
      expect(res.json()).toMatchObject({ count: 2, results: [{ pending_count: 0 }] });
      expect(res.json().previous).toMatch(/page_size=1/);
    });

    const bad: [string, string, string][] = [
      ['a range over 31 days', '/v6/load/?started=2026-01-01T00:00:00Z&ended=2026-03-01T00:00:00Z', 'started'],
      ['an open range starting over 31 days back', '/load/?started=P40D', 'started'],
      ['ended before started', '/load/?started=PT1H&ended=PT2H', 'ended'],
      ['a bad job_type_id', '/v6/load/?job_type_id=x', 'job_type_id'],
    ];
    for (const [name, url, field] of bad) {
      it(`GET load - ${name} → 400 naming ${field}`, async () => {
        const res = await h.app.inject({ url });
        expect(res.statusCode).toBe(400);
        expect(Object.keys(res.json().errors)).toEqual([field]);
      });
    }

    it('GET /v6/load/ - v5-only parameters are ignored like any unknown one', async () => {
      const res = await h.app.inject({ url: '/v6/load/?job_type_priority=x&job_type_category=text' });
      expect(res.statusCode).toBe(200);
      expect(res.json().count).toBe(2);
    });
  });
});
