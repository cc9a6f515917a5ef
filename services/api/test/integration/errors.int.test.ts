import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BUILTIN_ERRORS } from '@scale/contracts';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { manifest } from '../fixtures/manifests.ts';

/** Scale's v6 error.rst example. */
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

describe('errors', () => {
  let h: Harness;
  const get = (url: string) => h.app.inject({ method: 'GET', url });
  const names = async (query: string) =>
    (await get(`/v6/errors/?page_size=1000&${query}`)).json().results.map((e: { name: string }) => e.name);

  beforeAll(async () => {
    h = await startHarness('errors');
    const res = await h.app.inject({
      method: 'POST',
      url: '/v6/job-types/',
      payload: { docker_image: 'word-count:1', manifest: manifest() },
    });
    expect(res.statusCode).toBe(201);
  });
  afterAll(async () => {
    await h.close();
  });

  it('GET /v6/errors/ - Scale builtin errors and the errors manifests declare, in Scale’s error shape', async () => {
    const res = await get('/v6/errors/?page_size=1000');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.count).toBe(BUILTIN_ERRORS.length + 2);
    for (const error of body.results) expect(Object.keys(error).sort()).toEqual([...V6_ERROR].sort());
    const builtin = body.results.find((e: { name: string }) => e.name === 'node-lost');
    expect(builtin).toMatchObject({
      job_type_name: null,
      category: 'SYSTEM',
      is_builtin: true,
      should_be_retried: true,
    });
    const declared = body.results.find((e: { name: string }) => e.name === 'bad-text');
    expect(declared).toMatchObject({
      title: 'Bad Text',
      description: 'The text could not be read',
      job_type_name: 'word-count',
      category: 'DATA',
      is_builtin: false,
      should_be_retried: false,
    });
  });

  it('GET /v6/errors/ - filters is_builtin, job_type_name, name, category (repeatable, any case)', async () => {
    expect(await names('is_builtin=false')).toEqual(['bad-text', 'crashed']);
    expect(await names('job_type_name=word-count&order=-name')).toEqual(['crashed', 'bad-text']);
    expect(await names('name=timeout&name=crashed&order=name')).toEqual(['crashed', 'timeout']);
    expect(await names('category=data')).toEqual(['bad-text']);
    const system = await names('category=SYSTEM&is_builtin=true');
    expect(system).toEqual(
      expect.arrayContaining(BUILTIN_ERRORS.filter((e) => e.category === 'SYSTEM').map((e) => e.name)),
    );
    expect(system).not.toContain('timeout');
    expect(await names('started=PT1H&is_builtin=false')).toHaveLength(2);
    expect(await names('ended=PT1H&is_builtin=false')).toEqual([]);
  });

  it('GET /v6/errors/ - pages; bad values answer 400 naming the parameter', async () => {
    const first = (await get('/v6/errors/?page_size=5&order=id')).json();
    const second = (await get('/v6/errors/?page_size=5&order=id&page=2')).json();
    expect(first.results).toHaveLength(5);
    expect(first.next).toBe('http://localhost/v6/errors/?page_size=5&order=id&page=2');
    const ids = [...first.results, ...second.results].map((e: { id: number }) => e.id);
    expect(new Set(ids).size).toBe(10);
    for (const [query, field] of [
      ['category=USER', 'category.0'],
      ['is_builtin=sometimes', 'is_builtin'],
      ['order=colour', 'order.0'],
      ['started=last-week', 'started'],
    ]) {
      const res = await get(`/v6/errors/?${query}`);
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json().errors)).toEqual([field]);
    }
  });

  it('GET /v6/errors/{id}/ - one error; unknown or malformed ids are 404', async () => {
    const [row] = await h.sql<{ id: number }>(`select id from error where name = 'crashed'`);
    const res = await get(`/v6/errors/${row?.id}/`);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json()).sort()).toEqual([...V6_ERROR].sort());
    expect(res.json()).toMatchObject({ id: row?.id, name: 'crashed', category: 'ALGORITHM' });
    const missing = await get('/v6/errors/99999/');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'error 99999 does not exist' });
    expect((await get('/v6/errors/abc/')).statusCode).toBe(404);
  });
});
