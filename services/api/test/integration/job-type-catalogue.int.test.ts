import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { manifest } from '../fixtures/manifests.ts';

/** Scale's v6 job_type.rst examples. */
const V6_NAME = ['name', 'title', 'description', 'icon_code', 'is_published', 'versions', 'latest_version'];
const V6_LIST_ITEM = [
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
];
const V6_REVISION = ['id', 'job_type', 'revision_num', 'docker_image', 'created'];
const V6_REVISION_JOB_TYPE = [
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
const sorted = (keys: string[]) => [...keys].sort();

describe('job type catalogue', () => {
  let h: Harness;
  const get = (url: string) => h.app.inject({ method: 'GET', url });
  const post = async (name: string, jobVersion: string, job: Record<string, unknown> = {}, image = `${name}:1`) => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v6/job-types/',
      payload: { docker_image: image, manifest: manifest({ name, jobVersion, job }) },
    });
    expect([200, 201]).toContain(res.statusCode);
    return res.json();
  };

  beforeAll(async () => {
    h = await startHarness('jtcatalogue');
    await post('tiler', '1.2.0', { title: 'Tiler 1.2', tags: ['imagery'] });
    await post('tiler', '1.10.0', { title: 'Tiler 1.10', tags: ['imagery'] });
    await post('tiler', '1.10.0-rc.1', { title: 'Tiler RC', tags: ['imagery'] });
    await post('counter', '2.0.0', { title: 'Counter', tags: ['text'] });
    // Three revisions of counter 2.0.0: a new image, then a new manifest.
    await post('counter', '2.0.0', { title: 'Counter', tags: ['text'] }, 'counter:2');
    await post('counter', '2.0.0', { title: 'Counter', tags: ['text'], timeout: 5 }, 'counter:2');
    await h.sql(`update job_type set is_active = false where name = 'tiler' and version = '1.2.0'`);
  });
  afterAll(async () => {
    await h.close();
  });

  it('GET /v6/job-type-names/ - one entry per name, its versions in order and the latest one', async () => {
    const res = await get('/v6/job-type-names/');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ count: 2, next: null, previous: null });
    expect(sorted(Object.keys(body.results[0]))).toEqual(sorted(V6_NAME));
    expect(body.results).toEqual([
      {
        name: 'counter',
        title: 'Counter',
        description: 'Counts the words of a text',
        icon_code: null,
        is_published: false,
        versions: ['2.0.0'],
        latest_version: '2.0.0',
      },
      {
        name: 'tiler',
        title: 'Tiler 1.10',
        description: 'Counts the words of a text',
        icon_code: null,
        is_published: false,
        versions: ['1.2.0', '1.10.0-rc.1', '1.10.0'],
        latest_version: '1.10.0',
      },
    ]);
  });

  it('GET /v6/job-type-names/ - keyword (name, title, tag), is_active, id, order and paging', async () => {
    const names = async (query: string) =>
      (await get(`/v6/job-type-names/?${query}`)).json().results.map((r: { name: string }) => r.name);
    expect(await names('keyword=IMAGERY')).toEqual(['tiler']);
    expect(await names('keyword=counter')).toEqual(['counter']);
    // A name matches when one version does; its entry still lists every version.
    const inactive = (await get('/v6/job-type-names/?is_active=false')).json().results;
    expect(inactive.map((r: { name: string; versions: string[] }) => [r.name, r.versions.length])).toEqual([
      ['tiler', 3],
    ]);
    const [counter] = await h.sql<{ id: number }>(`select id from job_type where name = 'counter'`);
    expect(await names(`id=${counter?.id}`)).toEqual(['counter']);
    expect(await names('order=-name')).toEqual(['tiler', 'counter']);
    const page = (await get('/v6/job-type-names/?page_size=1&page=2')).json();
    expect(page.results.map((r: { name: string }) => r.name)).toEqual(['tiler']);
    expect(page.previous).toBe('http://localhost/v6/job-type-names/?page_size=1');
    const bad = await get('/v6/job-type-names/?order=title');
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().errors)).toEqual(['order.0']);
  });

  it('GET /v6/job-types/{name}/ - the versions of one name, in version order; is_active filters', async () => {
    const res = await get('/v6/job-types/tiler/');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.count).toBe(3);
    expect(body.results.map((r: { version: string }) => r.version)).toEqual(['1.2.0', '1.10.0-rc.1', '1.10.0']);
    expect(sorted(Object.keys(body.results[0]))).toEqual(sorted(V6_LIST_ITEM));
    const active = (await get('/v6/job-types/tiler/?is_active=true')).json();
    expect(active.results.map((r: { version: string }) => r.version)).toEqual(['1.10.0-rc.1', '1.10.0']);
    const paged = (await get('/v6/job-types/tiler/?page_size=2&page=2')).json();
    expect(paged.results.map((r: { version: string }) => r.version)).toEqual(['1.10.0']);
    const missing = await get('/v6/job-types/nothing/');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'job type nothing does not exist' });
  });

  it('GET /v6/job-types/{name}/{version}/revisions/ - newest first, each with its image', async () => {
    const res = await get('/v6/job-types/counter/2.0.0/revisions/');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.count).toBe(3);
    expect(body.results.map((r: { revision_num: number; docker_image: string }) => r.docker_image)).toEqual([
      'counter:2',
      'counter:2',
      'counter:1',
    ]);
    expect(body.results.map((r: { revision_num: number }) => r.revision_num)).toEqual([3, 2, 1]);
    expect(sorted(Object.keys(body.results[0]))).toEqual(sorted(V6_REVISION));
    expect(sorted(Object.keys(body.results[0].job_type))).toEqual(sorted(V6_REVISION_JOB_TYPE));
    expect(body.results[0].job_type).toMatchObject({ name: 'counter', version: '2.0.0' });
    expect((await get('/v6/job-types/counter/9.0.0/revisions/')).statusCode).toBe(404);
  });

  it('GET /v6/job-types/{name}/{version}/revisions/{revision_num}/ - the manifest of that revision', async () => {
    const first = (await get('/v6/job-types/counter/2.0.0/revisions/1/')).json();
    expect(sorted(Object.keys(first))).toEqual(sorted([...V6_REVISION, 'manifest']));
    expect(first).toMatchObject({ revision_num: 1, docker_image: 'counter:1' });
    expect(first.manifest.job.timeout).toBe(600);
    const third = (await get('/v6/job-types/counter/2.0.0/revisions/3/')).json();
    expect(third.manifest.job.timeout).toBe(5);
    const missing = await get('/v6/job-types/counter/2.0.0/revisions/4/');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'job type counter 2.0.0 has no revision 4' });
    expect((await get('/v6/job-types/counter/2.0.0/revisions/x/')).statusCode).toBe(404);
  });

  it('unmet_resources - custom resources no active node offers', async () => {
    await post('gpu-job', '1.0.0', {
      resources: {
        scalar: [
          { name: 'cpus', value: 1 },
          { name: 'chocolate', value: 1 },
          { name: 'vanilla', value: 2 },
        ],
      },
    });
    const unmet = async () => (await get('/v6/job-types/gpu-job/1.0.0/')).json().unmet_resources;
    expect(await unmet()).toBe('chocolate,vanilla');
    await h.sql(
      `insert into node (agent_id, hostname, resources)
       values ('a1', 'host-1', '{"cpus": 4, "mem": 1024, "disk": 1024, "gpus": 0, "custom": {"vanilla": 8}}')`,
    );
    expect(await unmet()).toBe('chocolate');
    await h.sql(`update node set is_active = false`);
    expect(await unmet()).toBe('chocolate,vanilla');
    expect((await get('/v6/job-types/counter/2.0.0/')).json().unmet_resources).toBeNull();
  });
});
