import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { manifest } from '../fixtures/manifests.ts';
import { insertStatusJobs } from '../fixtures/status-jobs.ts';

/** Fields of the seed 002 list example (plus `title`, which its field table lists). */
const SEED_002_LIST_ITEM = [
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
  'uses_docker',
  'docker_privileged',
  'docker_image',
  'priority',
  'timeout',
  'max_tries',
  'cpus_required',
  'mem_required',
  'disk_out_const_required',
  'disk_out_mult_required',
  'created',
  'archived',
  'paused',
  'last_modified',
];
const SEED_002_DETAILS = [
  ...SEED_002_LIST_ITEM,
  'interface',
  'error_mapping',
  'errors',
  'job_counts_6h',
  'job_counts_12h',
  'job_counts_24h',
];
const sorted = (keys: string[]) => [...keys].sort();

describe('job types v5', () => {
  let h: Harness;
  const ids: Record<string, number> = {};

  const post = async (name: string, job: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v6/job-types/',
      payload: { docker_image: `${name}:1`, manifest: manifest({ name, job }), ...extra },
    });
    expect(res.statusCode).toBe(201);
    ids[name] = res.json().id;
  };
  const get = (url: string) => h.app.inject({ method: 'GET', url });
  const patch = (id: number | string, payload: unknown, prefix = '') =>
    h.app.inject({ method: 'PATCH', url: `${prefix}/job-types/${id}/`, payload: payload as object });

  beforeAll(async () => {
    h = await startHarness('jtv5');
    await post('word-count', {}, { configuration: { priority: 7, settings: { DB_HOST: 'h', DB_PASS: 'p' } } });
    await post('image-tiler', { tags: ['imagery'], maintainer: { name: 'Tile Co', email: 't@x', url: 'http://t' } });
    await post('no-tags', { tags: [] });
  });
  afterAll(async () => {
    await h.close();
  });

  describe('GET /job-types/', () => {
    it('GET /job-types/ - seed 002 list items, v5 fields derived from the manifest and configuration', async () => {
      const res = await get('/job-types/');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ count: 3, next: null, previous: null });
      // Scale's order: last modified first.
      expect(body.results.map((r: { name: string }) => r.name)).toEqual(['word-count', 'image-tiler', 'no-tags']);
      const [wordCount, tiler, noTags] = body.results;
      expect(sorted(Object.keys(wordCount))).toEqual(sorted(SEED_002_LIST_ITEM));
      expect(wordCount).toMatchObject({
        id: ids['word-count'],
        name: 'word-count',
        version: '1.0.0',
        title: 'Word Count',
        category: 'text',
        author_name: 'Jane Doe',
        author_url: null,
        is_system: false,
        is_long_running: false,
        is_active: true,
        is_operational: true,
        is_paused: false,
        icon_code: null,
        uses_docker: true,
        docker_privileged: false,
        docker_image: 'word-count:1',
        priority: 7,
        timeout: 600,
        max_tries: 3,
        cpus_required: 1.5,
        mem_required: 256,
        disk_out_const_required: 11,
        disk_out_mult_required: 4,
        archived: null,
        paused: null,
      });
      expect(tiler).toMatchObject({
        category: 'imagery',
        author_name: 'Tile Co',
        author_url: 'http://t',
        priority: 100,
      });
      expect(noTags.category).toBeNull();
    });

    it('GET /job-types/ - filters name and category repeat as OR; started/ended; order; /v5/ too', async () => {
      const names = async (query: string, prefix = '') =>
        (await get(`${prefix}/job-types/?${query}`)).json().results.map((r: { name: string }) => r.name);
      expect(await names('name=no-tags&name=word-count')).toEqual(['word-count', 'no-tags']);
      expect(await names('category=imagery')).toEqual(['image-tiler']);
      expect(await names('category=imagery&category=text', '/v5')).toEqual(['word-count', 'image-tiler']);
      expect(await names('category=nothing')).toEqual([]);
      expect(await names('order=-name')).toEqual(['word-count', 'no-tags', 'image-tiler']);
      expect(await names('started=PT1H')).toHaveLength(3);
      expect(await names('ended=PT1H')).toEqual([]);
      const bad = await get('/job-types/?order=cpus_required');
      expect(bad.statusCode).toBe(400);
      expect(Object.keys(bad.json().errors)).toEqual(['order.0']);
    });
  });

  describe('GET /job-types/{id}/', () => {
    it('GET /job-types/{id}/ - seed 002 details: interface, error mapping, errors, job counts per window', async () => {
      await insertStatusJobs(h, [
        { jobTypeId: ids['word-count'] as number, status: 'QUEUED', ago: '1 hour' },
        { jobTypeId: ids['word-count'] as number, status: 'COMPLETED', ago: '8 hours' },
        { jobTypeId: ids['word-count'] as number, status: 'COMPLETED', ago: '2 hours' },
        { jobTypeId: ids['word-count'] as number, status: 'FAILED', ago: '20 hours', error: 'node-lost' },
        { jobTypeId: ids['word-count'] as number, status: 'COMPLETED', ago: '30 hours' },
      ]);
      for (const prefix of ['', '/v5']) {
        const res = await get(`${prefix}/job-types/${ids['word-count']}/`);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(sorted(Object.keys(body))).toEqual(sorted(SEED_002_DETAILS));
        expect(body.interface).toMatchObject({
          version: '1.0',
          command: 'count',
          command_arguments: '${TEXT} ${OUTPUT_DIR}',
          settings: [
            { name: 'DB_HOST', required: true },
            { name: 'DB_PASS', required: true },
          ],
        });
        expect(body.error_mapping).toEqual({ version: '1.0', exit_codes: { '1': 'bad-text', '2': 'crashed' } });
        expect(body.errors.map((e: { name: string; category: string }) => `${e.name}/${e.category}`)).toEqual([
          'bad-text/DATA',
          'crashed/ALGORITHM',
        ]);
        const brief = (counts: { status: string; count: number; category: string | null }[]) =>
          counts.map((c) => `${c.status}${c.category ? `/${c.category}` : ''}:${c.count}`);
        expect(brief(body.job_counts_6h)).toEqual(['QUEUED:1', 'COMPLETED:1']);
        expect(brief(body.job_counts_12h)).toEqual(['QUEUED:1', 'COMPLETED:2']);
        expect(brief(body.job_counts_24h)).toEqual(['QUEUED:1', 'FAILED/SYSTEM:1', 'COMPLETED:2']);
        expect(sorted(Object.keys(body.job_counts_6h[0]))).toEqual(['category', 'count', 'most_recent', 'status']);
        // Secret settings (or any configuration) never appear in v5 bodies.
        expect(JSON.stringify(body)).not.toContain('"p"');
      }
    });

    it('GET /job-types/{id}/ - unknown or malformed ids are 404', async () => {
      const missing = await get('/job-types/99999/');
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ detail: 'job type 99999 does not exist' });
      expect((await get('/job-types/abc/')).statusCode).toBe(404);
    });
  });

  describe('PATCH /job-types/{id}/', () => {
    it('PATCH /job-types/{id}/ - is_paused answers 201 with the details; paused is stamped, then cleared', async () => {
      const res = await patch(ids['word-count'] as number, { is_paused: true });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(sorted(Object.keys(body))).toEqual(sorted(SEED_002_DETAILS));
      expect(body.is_paused).toBe(true);
      expect(Date.parse(body.paused)).not.toBeNaN();
      const [row] = await h.sql<{ is_paused: boolean }>('select is_paused from job_type where id = ?', [
        ids['word-count'],
      ]);
      expect(row?.is_paused).toBe(true);
      const resumed = (await patch(ids['word-count'] as number, { is_paused: false }, '/v5')).json();
      expect(resumed).toMatchObject({ is_paused: false, paused: null });
    });

    it('PATCH /job-types/{id}/ - error_mappings rewrite the manifest errors as a new revision', async () => {
      const id = ids['word-count'] as number;
      const res = await patch(id, {
        error_mappings: { version: '1.0', exit_codes: { '5': 'crashed', '9': 'bad-text' } },
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().error_mapping).toEqual({ version: '1.0', exit_codes: { '5': 'crashed', '9': 'bad-text' } });
      const v6 = (await get('/v6/job-types/word-count/1.0.0/')).json();
      expect(v6.revision_num).toBe(2);
      expect(v6.manifest.job.errors).toEqual([
        { code: 5, name: 'crashed', title: 'Crashed', category: 'job' },
        { code: 9, name: 'bad-text', title: 'Bad Text', description: 'The text could not be read', category: 'data' },
      ]);
      // The rest of the manifest and the configuration (with its secret) are untouched.
      expect(v6.manifest.job.interface.command).toBe('count ${TEXT} ${OUTPUT_DIR}');
      const [row] = await h.sql<{ configuration: { settings: Record<string, string> } }>(
        'select configuration from job_type where id = ?',
        [id],
      );
      expect(row?.configuration.settings).toEqual({ DB_HOST: 'h', DB_PASS: 'p' });
    });

    it.each<[string, unknown, string, Record<string, string[]>]>([
      [
        'unexpected fields',
        { is_paused: true, priority: 3, title: 'x' },
        'Unexpected fields were specified: priority, title',
        { priority: ['Unrecognized field.'], title: ['Unrecognized field.'] },
      ],
      [
        'no fields',
        {},
        'No fields were specified.',
        {
          non_field_errors: ['No fields were specified.'],
        },
      ],
      [
        'a wrong type',
        { is_paused: 'yes' },
        'Invalid request body: is_paused: Invalid input: expected boolean, received string',
        { is_paused: ['Invalid input: expected boolean, received string'] },
      ],
      [
        'an error that is not this job type’s',
        { error_mappings: { exit_codes: { '3': 'node-lost' } } },
        'Invalid request body: error_mappings.exit_codes.3: "node-lost" is not an error of job type "word-count"',
        { 'error_mappings.exit_codes.3': ['"node-lost" is not an error of job type "word-count"'] },
      ],
      [
        'an exit code out of range',
        { error_mappings: { exit_codes: { '0': 'crashed' } } },
        'Invalid request body: error_mappings.exit_codes.0: exit codes must be integers from 1 to 255',
        { 'error_mappings.exit_codes.0': ['exit codes must be integers from 1 to 255'] },
      ],
    ])('PATCH /job-types/{id}/ - %s → 400, nothing changed', async (_what, payload, detail, errors) => {
      const before = await h.sql('select revision_num, is_paused, manifest from job_type where id = ?', [
        ids['word-count'],
      ]);
      const res = await patch(ids['word-count'] as number, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ detail, errors });
      expect(
        await h.sql('select revision_num, is_paused, manifest from job_type where id = ?', [ids['word-count']]),
      ).toEqual(before);
    });

    it('PATCH /job-types/{id}/ - an unknown job type is a 404', async () => {
      const res = await patch(99999, { is_paused: true });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: 'job type 99999 does not exist' });
    });
  });
});
