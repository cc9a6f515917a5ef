import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { manifest } from '../fixtures/manifests.ts';

describe('job types', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('jobtypes');
  });
  afterAll(async () => {
    await h.close();
  });

  const post = (payload: unknown) =>
    h.app.inject({ method: 'POST', url: '/v6/job-types/', payload: payload as object });

  it('job types - POST creates revision 1 with Location and the details body', async () => {
    const res = await post({
      docker_image: 'word-count:1.0.0',
      manifest: manifest(),
      icon_code: 'f013',
      configuration: { settings: { DB_HOST: 'db.local', DB_PASS: 'hunter2' }, mounts: { DATA: null } },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('/v6/job-types/word-count/1.0.0/');
    const body = res.json();
    expect(body).toMatchObject({
      name: 'word-count',
      version: '1.0.0',
      title: 'Word Count',
      description: 'Counts the words of a text',
      icon_code: 'f013',
      is_active: true,
      is_paused: false,
      is_published: false,
      is_system: false,
      is_long_running: false,
      max_scheduled: null,
      max_tries: 3,
      revision_num: 1,
      docker_image: 'word-count:1.0.0',
      unmet_resources: null,
      deprecated: null,
      paused: null,
    });
    expect(typeof body.id).toBe('number');
    expect(body.manifest.job.interface.inputs.json[0]).toEqual({ name: 'TEXT', type: 'string', required: true });
    expect(body.configuration).toEqual({
      priority: 100,
      mounts: { DATA: null },
      settings: { DB_HOST: 'db.local', DB_PASS: '*****' },
    });
    expect(Date.parse(body.created)).not.toBeNaN();
    expect(Date.parse(body.last_modified)).not.toBeNaN();

    const revisions = await h.sql<{ revision_num: number }>(
      'select revision_num from job_type_revision where job_type_id = ?',
      [body.id],
    );
    expect(revisions).toEqual([{ revision_num: 1 }]);
    // The secret is stored for the scheduler, only responses mask it.
    const [row] = await h.sql<{ configuration: { settings: Record<string, string> } }>(
      'select configuration from job_type where id = ?',
      [body.id],
    );
    expect(row?.configuration.settings.DB_PASS).toBe('hunter2');
  });

  it('job types - POST upserts the errors the manifest declares', async () => {
    const rows = await h.sql<{ name: string; category: string; is_builtin: boolean; title: string }>(
      `select name, category, is_builtin, title from error where job_type_name = 'word-count' order by name`,
    );
    expect(rows).toEqual([
      { name: 'bad-text', category: 'DATA', is_builtin: false, title: 'Bad Text' },
      { name: 'crashed', category: 'ALGORITHM', is_builtin: false, title: 'Crashed' },
    ]);
  });

  it('job types - same name and version with a changed manifest makes revision 2 (200)', async () => {
    const changed = manifest({ job: { timeout: 1200, errors: [{ code: 1, name: 'bad-text', title: 'Unreadable' }] } });
    const res = await post({ docker_image: 'word-count:1.0.0', manifest: changed });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.revision_num).toBe(2);
    expect(body.manifest.job.timeout).toBe(1200);
    // Configuration omitted: the stored one is kept (and still masked).
    expect(body.configuration.settings).toEqual({ DB_HOST: 'db.local', DB_PASS: '*****' });
    const revisions = await h.sql<{ revision_num: number }>(
      'select revision_num from job_type_revision where job_type_id = ? order by revision_num',
      [body.id],
    );
    expect(revisions.map((r) => r.revision_num)).toEqual([1, 2]);
    const [error] = await h.sql<{ title: string; category: string }>(
      `select title, category from error where job_type_name = 'word-count' and name = 'bad-text'`,
    );
    expect(error).toEqual({ title: 'Unreadable', category: 'ALGORITHM' });
  });

  it('job types - an unchanged manifest keeps the revision; a masked secret sent back keeps its value', async () => {
    const first = await h.app.inject({ method: 'GET', url: '/v6/job-types/word-count/1.0.0/' });
    const current = first.json();
    const res = await post({
      docker_image: 'word-count:1.0.0',
      manifest: current.manifest,
      configuration: { ...current.configuration, settings: { DB_HOST: 'db2.local', DB_PASS: '*****' } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().revision_num).toBe(2);
    const [row] = await h.sql<{ configuration: { settings: Record<string, string> } }>(
      `select configuration from job_type where name = 'word-count'`,
    );
    expect(row?.configuration.settings).toEqual({ DB_HOST: 'db2.local', DB_PASS: 'hunter2' });
  });

  it('job types - a new docker image alone makes a new revision', async () => {
    const current = (await h.app.inject({ method: 'GET', url: '/v6/job-types/word-count/1.0.0/' })).json();
    const res = await post({ docker_image: 'word-count:1.0.1', manifest: current.manifest });
    expect(res.json()).toMatchObject({ revision_num: 3, docker_image: 'word-count:1.0.1' });
  });

  it('job types - concurrent posts of one new name+version make one type and consecutive revisions', async () => {
    const results = await Promise.all(
      [1, 2, 3].map((i) => post({ docker_image: `race:${i}`, manifest: manifest({ name: 'race' }) })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    const revisions = await h.sql<{ revision_num: number }>(
      `select r.revision_num from job_type_revision r join job_type t on t.id = r.job_type_id
        where t.name = 'race' order by r.revision_num`,
    );
    expect(revisions.map((r) => r.revision_num)).toEqual([1, 2, 3]);
    await h.sql(`delete from job_type_revision where job_type_id = (select id from job_type where name = 'race')`);
    await h.sql(`delete from job_type where name = 'race'`);
  });

  it('job types - invalid manifests answer 400 naming the offending fields', async () => {
    const bad = manifest({ name: 'Bad Name!', job: { timeout: -1 } });
    const res = await post({ docker_image: 'x', manifest: bad });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.detail).toMatch(/^Invalid request body: /);
    expect(Object.keys(body.errors).sort()).toEqual(['manifest.job.name', 'manifest.job.timeout']);
    expect(body.errors['manifest.job.name']).toEqual(['must hold only letters, digits and -']);

    const missing = await post({ manifest: { seedVersion: '1.0.0', job: { name: 'x' } } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toMatchObject({
      docker_image: ['This field is required.'],
      'manifest.job.jobVersion': ['This field is required.'],
      'manifest.job.packageVersion': ['This field is required.'],
      'manifest.job.timeout': ['This field is required.'],
    });

    const unknownKey = await post({ docker_image: 'x', manifest: { ...manifest(), extra: true } });
    expect(unknownKey.json().errors).toEqual({ 'manifest.extra': ['Unrecognized field.'] });

    const duplicate = manifest({
      job: {
        errors: [
          { code: 3, name: 'a' },
          { code: 3, name: 'b' },
        ],
      },
    });
    expect((await post({ docker_image: 'x', manifest: duplicate })).json().errors).toEqual({
      'manifest.job.errors.1.code': ['duplicate exit code 3'],
    });
    const count = await h.sql<{ n: string }>(`select count(*) as n from job_type where name = 'x'`);
    expect(count[0]?.n).toBe('0');
  });

  it('job types - settings and mounts must be declared in the manifest', async () => {
    const res = await post({
      docker_image: 'x',
      manifest: manifest({ name: 'undeclared' }),
      configuration: { settings: { NOPE: 'x', DB_HOST: 'h' }, mounts: { OTHER: { type: 'host', host_path: '/x' } } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual({
      'configuration.settings.NOPE': ['setting "NOPE" is not declared in the manifest'],
      'configuration.mounts.OTHER': ['mount "OTHER" is not declared in the manifest'],
    });
    const rows = await h.sql(`select id from job_type where name = 'undeclared'`);
    expect(rows).toEqual([]);
  });

  it('job types - POST refuses unknown fields and manifests that break the registration rules', async () => {
    const unknown = await post({ docker_image: 'x', manifest: manifest({ name: 'strict' }), max_schedule: 3 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual({ max_schedule: ['Unrecognized field.'] });
    const undeclared = await post({
      docker_image: 'x',
      manifest: manifest({ name: 'strict', job: { interface: { command: 'run ${INPUT} > $OUTPUT_DIR/out' } } }),
    });
    expect(undeclared.statusCode).toBe(400);
    expect(undeclared.json().errors).toEqual({
      'manifest.job.interface.command': [
        '${INPUT} is not an input, a setting or a platform variable, so it would expand to nothing',
      ],
    });
    expect(await h.sql(`select id from job_type where name = 'strict'`)).toEqual([]);
  });

  it('job types - POST may create a job type paused or inactive', async () => {
    const res = await post({
      docker_image: 'x',
      manifest: manifest({ name: 'created-paused' }),
      is_paused: true,
      is_active: false,
      auto_update: true,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ is_paused: true, is_active: false });
    expect(Date.parse(res.json().paused)).not.toBeNaN();
    expect(Date.parse(res.json().deprecated)).not.toBeNaN();
    await h.sql(`delete from job_type_revision where job_type_id = ?`, [res.json().id]);
    await h.sql(`delete from job_type where id = ?`, [res.json().id]);
  });

  it('job types - details of an unknown job type is a 404', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v6/job-types/nope/1.0.0/' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'job type nope 1.0.0 does not exist' });
  });

  describe('list', () => {
    beforeAll(async () => {
      for (const [name, version] of [
        ['alpha', '1.0.0'],
        ['alpha', '2.0.0'],
        ['beta', '1.0.0'],
        ['gamma-ray', '1.0.0'],
      ] as const) {
        const res = await post({
          docker_image: `${name}:${version}`,
          manifest: manifest({
            name,
            jobVersion: version,
            job: { title: `The ${name}`, description: `About ${name}` },
          }),
        });
        expect(res.statusCode).toBe(201);
      }
      await h.sql(`update job_type set is_active = false where name = 'beta'`);
      await h.sql(`update job_type set is_system = true where name = 'gamma-ray'`);
    });

    it('job types list - ordered by name then version, in Scale list items', async () => {
      const res = await h.app.inject({ method: 'GET', url: '/v6/job-types/' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.count).toBe(5);
      expect(body.next).toBeNull();
      expect(body.previous).toBeNull();
      expect(body.results.map((r: { name: string; version: string }) => `${r.name}@${r.version}`)).toEqual([
        'alpha@1.0.0',
        'alpha@2.0.0',
        'beta@1.0.0',
        'gamma-ray@1.0.0',
        'word-count@1.0.0',
      ]);
      expect(Object.keys(body.results[0]).sort()).toEqual(
        [
          'id',
          'name',
          'version',
          'title',
          'description',
          'icon_code',
          'is_published',
          'is_active',
          'is_paused',
          'is_system',
          'max_scheduled',
          'revision_num',
          'docker_image',
          'unmet_resources',
          'created',
          'deprecated',
          'paused',
          'last_modified',
        ].sort(),
      );
    });

    it('job types list - filters: keyword, id, is_active, is_system', async () => {
      const names = async (query: string) =>
        (await h.app.inject({ method: 'GET', url: `/v6/job-types/?${query}` }))
          .json()
          .results.map((r: { name: string; version: string }) => `${r.name}@${r.version}`);
      expect(await names('keyword=ALPHA')).toEqual(['alpha@1.0.0', 'alpha@2.0.0']);
      expect(await names('keyword=about%20beta')).toEqual(['beta@1.0.0']);
      expect(await names('keyword=the%20gamma&keyword=beta')).toEqual(['beta@1.0.0', 'gamma-ray@1.0.0']);
      expect(await names('keyword=100%25')).toEqual([]);
      // Manifest tags match too (every fixture manifest is tagged "text" and "sample").
      expect(await names('keyword=SAMP')).toHaveLength(5);
      expect(await names('is_active=false')).toEqual(['beta@1.0.0']);
      expect(await names('is_system=true')).toEqual(['gamma-ray@1.0.0']);
      expect(await names('is_system=false&is_active=true&keyword=a')).toEqual([
        'alpha@1.0.0',
        'alpha@2.0.0',
        'word-count@1.0.0',
      ]);
      const ids = (await h.app.inject({ method: 'GET', url: '/v6/job-types/?keyword=alpha' }))
        .json()
        .results.map((r: { id: number }) => r.id);
      expect(await names(`id=${ids[1]}&id=${ids[0]}`)).toEqual(['alpha@1.0.0', 'alpha@2.0.0']);
      expect(await names('order=-name&order=version&is_active=true')).toEqual([
        'word-count@1.0.0',
        'gamma-ray@1.0.0',
        'alpha@1.0.0',
        'alpha@2.0.0',
      ]);
    });

    it('job types list - pages with absolute next/previous URLs keeping the other parameters', async () => {
      const first = (await h.app.inject({ method: 'GET', url: '/v6/job-types/?page_size=2&is_active=true' })).json();
      expect(first.count).toBe(4);
      expect(first.results).toHaveLength(2);
      expect(first.previous).toBeNull();
      expect(first.next).toBe('http://localhost/v6/job-types/?page_size=2&is_active=true&page=2');

      const second = (
        await h.app.inject({ method: 'GET', url: new URL(first.next).pathname + new URL(first.next).search })
      ).json();
      expect(second.results.map((r: { name: string }) => r.name)).toEqual(['gamma-ray', 'word-count']);
      expect(second.next).toBeNull();
      expect(second.previous).toBe('http://localhost/v6/job-types/?page_size=2&is_active=true');

      const past = await h.app.inject({ method: 'GET', url: '/v6/job-types/?page_size=2&page=4' });
      expect(past.statusCode).toBe(404);
      expect(past.json()).toEqual({ detail: 'Invalid page.' });
    });

    it('job types list - bad paging or filter values answer 400 naming the parameter', async () => {
      for (const [query, field] of [
        ['page=0', 'page'],
        ['page=abc', 'page'],
        ['page_size=1001', 'page_size'],
        ['page_size=0', 'page_size'],
        ['is_active=maybe', 'is_active'],
        ['id=x', 'id.0'],
        ['order=docker_image', 'order.0'],
      ]) {
        const res = await h.app.inject({ method: 'GET', url: `/v6/job-types/?${query}` });
        expect(res.statusCode).toBe(400);
        expect(Object.keys(res.json().errors)).toEqual([field]);
        expect(res.json().detail).toMatch(/^Invalid query parameters: /);
      }
    });
  });
});
