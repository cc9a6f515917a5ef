import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Harness, startHarness } from '../fixtures/harness.ts';

describe('server conventions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('server');
  });
  afterAll(async () => {
    await h.close();
  });

  it('server - unknown routes answer 404 JSON naming method and URL', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v6/nothing-here/?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ detail: 'Not found: GET /v6/nothing-here/?x=1' });
    expect((await h.app.inject({ method: 'DELETE', url: '/v6/job-types/' })).json()).toEqual({
      detail: 'Not found: DELETE /v6/job-types/',
    });
  });

  it('server - malformed JSON bodies answer 400 JSON', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v6/job-types/',
      headers: { 'content-type': 'application/json' },
      payload: '{"docker_image": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/not valid JSON/);
    const empty = await h.app.inject({
      method: 'POST',
      url: '/v6/jobs/',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(empty.statusCode).toBe(400);
    expect(typeof empty.json().detail).toBe('string');
  });

  it('server - a body that is not an object is a 400 on non_field_errors', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v6/jobs/', payload: [1, 2] });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().errors)).toEqual(['non_field_errors']);
  });

  it('server - unsupported media types answer 415 JSON', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v6/jobs/',
      headers: { 'content-type': 'application/xml' },
      payload: '<job/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toHaveProperty('detail');
  });

  it('server - version, with and without trailing slash, v6 and v5 paths', async () => {
    for (const url of ['/v6/version/', '/v6/version', '/version/', '/v5/version']) {
      const res = await h.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ version: '9.9.9-test' });
    }
  });

  it('server - every route answers with and without the trailing slash', async () => {
    for (const url of ['/v6/job-types', '/v6/job-types/', '/v6/jobs/1', '/jobs/1', '/v5/jobs/1/']) {
      const res = await h.app.inject({ method: 'GET', url });
      // 404 bodies for a missing job say so (not "Not found: ..." of an unknown route).
      expect(res.json().detail ?? '').not.toMatch(/^Not found:/);
    }
  });

  it('server - /docs/json is an OpenAPI document of the routes', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v6/job-types/'].post.requestBody.content['application/json'].schema.properties).toHaveProperty(
      'manifest',
    );
    expect(doc.paths['/v6/job-types/'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['page', 'page_size', 'keyword', 'is_active']),
    );
    expect(doc.paths).toHaveProperty(['/v6/job-executions/{id}/logs/{log}/']);
    expect(doc.paths).toHaveProperty(['/v5/queue/new-job/']);
    expect(doc.paths).toHaveProperty(['/queue/new-job/']);
    const page = await h.app.inject({ method: 'GET', url: '/docs' });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('server - listens on a real port', async () => {
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${address}/v6/version/`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ version: '9.9.9-test' });
  });
});
