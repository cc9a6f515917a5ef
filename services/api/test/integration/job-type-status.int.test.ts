import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { manifest } from '../fixtures/manifests.ts';
import { insertStatusJobs } from '../fixtures/status-jobs.ts';

/** The job type nested in Scale's v6 status bodies (job_type.rst: status, pending, running, system failures). */
const V6_JOB_TYPE = [
  'id',
  'name',
  'version',
  'title',
  'description',
  'is_active',
  'is_paused',
  'is_published',
  'icon_code',
  'unmet_resources',
];
/** The job type nested in seed 002's status, running and system failure examples. */
const SEED_002_JOB_TYPE = [
  'id',
  'name',
  'version',
  'title',
  'description',
  'category',
  'author_name',
  'author_url',
  'is_system',
  'is_long_running',
  'is_active',
  'is_operational',
  'is_paused',
  'icon_code',
];
/** The error nested in seed 002's system failure example. */
const SEED_002_ERROR = ['id', 'name', 'description', 'category', 'created', 'last_modified'];
const V6_ERROR = [
  'id',
  'name',
  'title',
  'description',
  'job_type_name',
  'category',
  'is_builtin',
  'should_be_retried',
  'created',
  'last_modified',
];
const sorted = (keys: string[]) => [...keys].sort();

interface Count {
  status: string;
  count: number;
  most_recent: string;
  category: string | null;
}
const brief = (counts: Count[]) => counts.map((c) => `${c.status}${c.category ? `/${c.category}` : ''}:${c.count}`);

describe('job type status', () => {
  let h: Harness;
  const ids: Record<'alpha' | 'beta' | 'gamma', number> = { alpha: 0, beta: 0, gamma: 0 };
  let jobIds: number[] = [];
  // Raw SQL answers timestamps as text.
  const iso = (t: string | undefined) => new Date(t ?? Number.NaN).toISOString();
  const changedAt = async (jobId: number | undefined) =>
    iso((await h.sql<{ t: string }>('select last_status_change as t from job where id = ?', [jobId]))[0]?.t);

  beforeAll(async () => {
    h = await startHarness('jtstatus');
    for (const name of ['alpha', 'beta', 'gamma'] as const) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v6/job-types/',
        payload: {
          docker_image: `${name}:1`,
          manifest: manifest({ name, job: { tags: [`${name}-category`, 'sample'] } }),
          is_active: name !== 'gamma',
        },
      });
      expect(res.statusCode).toBe(201);
      ids[name] = res.json().id;
    }
    jobIds = await insertStatusJobs(h, [
      { jobTypeId: ids.alpha, status: 'RUNNING', ago: '10 hours' },
      { jobTypeId: ids.alpha, status: 'RUNNING', ago: '1 minute' },
      { jobTypeId: ids.alpha, status: 'COMPLETED', ago: '30 minutes' },
      { jobTypeId: ids.alpha, status: 'COMPLETED', ago: '40 minutes' },
      { jobTypeId: ids.alpha, status: 'COMPLETED', ago: '5 hours' },
      { jobTypeId: ids.alpha, status: 'FAILED', ago: '20 minutes', error: 'node-lost' },
      { jobTypeId: ids.alpha, status: 'FAILED', ago: '10 minutes', error: { name: 'bad-text', jobTypeName: 'alpha' } },
      // A requeued job keeps its last error; only FAILED counts are split by category.
      { jobTypeId: ids.alpha, status: 'QUEUED', ago: '1 minute', error: 'node-lost' },
      { jobTypeId: ids.beta, status: 'PENDING', ago: '2 hours' },
      { jobTypeId: ids.beta, status: 'PENDING', ago: '1 hour' },
      { jobTypeId: ids.beta, status: 'RUNNING', ago: '20 hours' },
      { jobTypeId: ids.beta, status: 'FAILED', ago: '2 days', error: 'unknown' },
      { jobTypeId: ids.beta, status: 'FAILED', ago: '1 hour', error: 'node-lost' },
    ]);
  });
  afterAll(async () => {
    await h.close();
  });

  const get = (url: string) => h.app.inject({ method: 'GET', url });

  describe('GET /v6/job-types/status/', () => {
    it('GET /v6/job-types/status/ - every job type, counts of the last 3 hours plus every RUNNING job', async () => {
      const res = await get('/v6/job-types/status/');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(sorted(Object.keys(body))).toEqual(['count', 'next', 'previous', 'results']);
      expect(body.count).toBe(3);
      expect(body.results.map((r: { job_type: { name: string } }) => r.job_type.name)).toEqual([
        'alpha',
        'beta',
        'gamma',
      ]);
      const [alpha, beta, gamma] = body.results;
      expect(sorted(Object.keys(alpha))).toEqual(['job_counts', 'job_type']);
      expect(sorted(Object.keys(alpha.job_type))).toEqual(sorted(V6_JOB_TYPE));
      expect(brief(alpha.job_counts)).toEqual([
        'QUEUED:1',
        'RUNNING:2',
        'FAILED/SYSTEM:1',
        'FAILED/DATA:1',
        'COMPLETED:2',
      ]);
      expect(brief(beta.job_counts)).toEqual(['PENDING:2', 'RUNNING:1', 'FAILED/SYSTEM:1']);
      expect(gamma.job_counts).toEqual([]);
      const running = alpha.job_counts.find((c: Count) => c.status === 'RUNNING');
      expect(running).toEqual({ status: 'RUNNING', count: 2, most_recent: await changedAt(jobIds[1]), category: null });
    });

    it('GET /v6/job-types/status/ - started/ended as durations or date-times, is_active', async () => {
      const counts = async (query: string, name = 'alpha') =>
        brief(
          (await get(`/v6/job-types/status/?${query}`))
            .json()
            .results.find((r: { job_type: { name: string } }) => r.job_type.name === name).job_counts,
        );
      expect(await counts('started=PT6H')).toEqual([
        'QUEUED:1',
        'RUNNING:2',
        'FAILED/SYSTEM:1',
        'FAILED/DATA:1',
        'COMPLETED:3',
      ]);
      // RUNNING is counted even outside [started, ended].
      expect(await counts('started=PT3H&ended=PT25M')).toEqual(['RUNNING:2', 'COMPLETED:2']);
      const [row] = await h.sql<{ t: string }>(`select now() - interval '3 days' as t`);
      expect(await counts(`started=${iso(row?.t)}`, 'beta')).toEqual(['PENDING:2', 'RUNNING:1', 'FAILED/SYSTEM:2']);
      const inactive = (await get('/v6/job-types/status/?is_active=false')).json();
      expect(inactive.results.map((r: { job_type: { name: string } }) => r.job_type.name)).toEqual(['gamma']);
    });

    it('GET /v6/job-types/status/ - paged; bad parameters answer 400 naming them', async () => {
      const page = (await get('/v6/job-types/status/?page_size=2&page=2')).json();
      expect(page.results.map((r: { job_type: { name: string } }) => r.job_type.name)).toEqual(['gamma']);
      expect(page.previous).toBe('http://localhost/v6/job-types/status/?page_size=2');
      for (const [query, field] of [
        ['started=yesterday', 'started'],
        ['ended=P1X', 'ended'],
        ['is_active=perhaps', 'is_active'],
        ['page_size=0', 'page_size'],
      ]) {
        const res = await get(`/v6/job-types/status/?${query}`);
        expect(res.statusCode).toBe(400);
        expect(Object.keys(res.json().errors)).toEqual([field]);
      }
    });
  });

  it('GET /v6/job-types/running/ - job types with RUNNING jobs, the longest running first', async () => {
    const body = (await get('/v6/job-types/running/')).json();
    expect(body.count).toBe(2);
    expect(body.results).toEqual([
      { job_type: expect.any(Object), count: 1, longest_running: await changedAt(jobIds[10]) },
      { job_type: expect.any(Object), count: 2, longest_running: await changedAt(jobIds[0]) },
    ]);
    expect(body.results.map((r: { job_type: { name: string } }) => r.job_type.name)).toEqual(['beta', 'alpha']);
    expect(sorted(Object.keys(body.results[0].job_type))).toEqual(sorted(V6_JOB_TYPE));
  });

  it('GET /v6/job-types/pending/ - job types with PENDING jobs, the longest pending first', async () => {
    const body = (await get('/v6/job-types/pending/')).json();
    expect(body).toMatchObject({ count: 1, next: null, previous: null });
    expect(body.results).toEqual([
      {
        job_type: expect.objectContaining({ id: ids.beta, name: 'beta', version: '1.0.0' }),
        count: 2,
        longest_pending: await changedAt(jobIds[8]),
      },
    ]);
  });

  it('GET /v6/job-types/system-failures/ - failed jobs with SYSTEM errors per type and error, latest first', async () => {
    const body = (await get('/v6/job-types/system-failures/')).json();
    expect(body.count).toBe(3);
    expect(
      body.results.map(
        (r: { job_type: { name: string }; error: { name: string }; count: number }) =>
          `${r.job_type.name}/${r.error.name}:${r.count}`,
      ),
    ).toEqual(['alpha/node-lost:1', 'beta/node-lost:1', 'beta/unknown:1']);
    const [first] = body.results;
    expect(sorted(Object.keys(first))).toEqual(['count', 'error', 'first_error', 'job_type', 'last_error']);
    expect(sorted(Object.keys(first.job_type))).toEqual(sorted(V6_JOB_TYPE));
    expect(sorted(Object.keys(first.error))).toEqual(sorted(V6_ERROR));
    expect(first.error).toMatchObject({ category: 'SYSTEM', is_builtin: true, should_be_retried: true });
    expect(first.first_error).toBe(await changedAt(jobIds[5]));
    expect(first.last_error).toBe(first.first_error);
    const paged = (await get('/v6/job-types/system-failures/?page=2&page_size=2')).json();
    expect(paged.results.map((r: { error: { name: string } }) => r.error.name)).toEqual(['unknown']);
  });

  describe('v5 (seed 002)', () => {
    it('GET /job-types/status/ - seed 002 shape, same counts, under / and /v5/', async () => {
      for (const prefix of ['', '/v5']) {
        const body = (await get(`${prefix}/job-types/status/`)).json();
        expect(body.count).toBe(3);
        const [alpha] = body.results;
        expect(sorted(Object.keys(alpha.job_type))).toEqual(sorted(SEED_002_JOB_TYPE));
        expect(alpha.job_type).toMatchObject({
          name: 'alpha',
          category: 'alpha-category',
          author_name: 'Jane Doe',
          author_url: null,
          is_operational: true,
          is_long_running: false,
        });
        expect(brief(alpha.job_counts)).toEqual([
          'QUEUED:1',
          'RUNNING:2',
          'FAILED/SYSTEM:1',
          'FAILED/DATA:1',
          'COMPLETED:2',
        ]);
        expect(sorted(Object.keys(alpha.job_counts[0]))).toEqual(['category', 'count', 'most_recent', 'status']);
      }
    });

    it('GET /job-types/running/ - seed 002 shape', async () => {
      const body = (await get('/job-types/running/')).json();
      expect(body.results.map((r: { job_type: { name: string }; count: number }) => r.count)).toEqual([1, 2]);
      expect(sorted(Object.keys(body.results[0]))).toEqual(['count', 'job_type', 'longest_running']);
      expect(sorted(Object.keys(body.results[0].job_type))).toEqual(sorted(SEED_002_JOB_TYPE));
    });

    it('GET /job-types/system-failures/ - seed 002 shape', async () => {
      const body = (await get('/v5/job-types/system-failures/')).json();
      expect(body.count).toBe(3);
      expect(sorted(Object.keys(body.results[0]))).toEqual(['count', 'error', 'first_error', 'job_type', 'last_error']);
      expect(sorted(Object.keys(body.results[0].error))).toEqual(sorted(SEED_002_ERROR));
      expect(sorted(Object.keys(body.results[0].job_type))).toEqual(sorted(SEED_002_JOB_TYPE));
    });

    it('GET /job-types/pending/ - not a v5 endpoint: a 404', async () => {
      expect((await get('/job-types/pending/')).statusCode).toBe(404);
    });
  });
});
