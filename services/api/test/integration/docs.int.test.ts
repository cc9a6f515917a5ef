import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '@scale/runtime';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { buildServer } from '../../src/server.ts';
import { type Harness, startHarness } from '../fixtures/harness.ts';

describe('docs', () => {
  let h: Harness;
  let app: FastifyInstance;
  const routes: { method: string; url: string }[] = [];

  beforeAll(async () => {
    h = await startHarness('docs');
    // A second server over the same clients, watching every route as the plugins add them.
    app = buildServer({
      orm: h.orm,
      nc: h.nc,
      subjects: h.subjects,
      log: createLogger({ service: 'api', level: 'silent' }),
      version: '9.9.9-test',
    });
    app.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) routes.push({ method, url: route.url });
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it('docs - every API route is in the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const api = routes.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'));
    expect(api.length).toBeGreaterThan(10);
    const missing = api.filter((r) => !doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()]);
    expect(missing).toEqual([]);
    for (const url of ['/v6/jobs/', '/jobs/', '/v5/jobs/', '/jobs/updates/', '/jobs/executions/']) {
      expect(doc.paths).toHaveProperty([url, 'get']);
    }
  });

  it('docs - list parameters are documented, repeatable ones as exploded arrays of their item', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    const params = doc.paths['/v6/jobs/'].get.parameters as { name: string; schema: Record<string, unknown> }[];
    expect(params.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'page',
        'page_size',
        'started',
        'ended',
        'order',
        'status',
        'job_id',
        'job_type_id',
        'job_type_name',
        'batch_id',
        'recipe_id',
        'error_category',
        'error_id',
        'is_superseded',
      ]),
    );
    const status = params.find((p) => p.name === 'status');
    expect(status).toMatchObject({ in: 'query', required: false, style: 'form', explode: true });
    expect(status?.schema).toMatchObject({
      type: 'array',
      items: { enum: expect.arrayContaining(['QUEUED', 'FAILED']) },
    });
    const order = params.find((p) => p.name === 'order');
    expect((order?.schema.items as { enum?: string[] } | undefined)?.enum).toEqual(
      expect.arrayContaining(['last_modified', '-last_modified', 'id', '-started']),
    );
    const v5 = doc.paths['/jobs/'].get.parameters.map((p: { name: string }) => p.name);
    expect(v5).toEqual(expect.arrayContaining(['job_type_category', 'include_superseded', 'error_category']));
  });

  it('docs - /docs is the reference page, its viewer served by the API itself', async () => {
    for (const url of ['/docs', '/docs/', '/docs/reference/']) {
      const page = await app.inject({ method: 'GET', url });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain('<script src="/docs/reference/js/scalar.js"');
      expect(page.body).toContain('/docs/json');
      // Nothing from another host: no absolute script, stylesheet or font URL.
      expect(page.body).not.toMatch(/(src|href)="https?:/);
      // The viewer's default fonts come from a font CDN; they are off (system fonts instead).
      expect(page.body).toMatch(/"?withDefaultFonts"?:\s*false/);
    }
    const script = await app.inject({ method: 'GET', url: '/docs/reference/js/scalar.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^application\/javascript/);
    expect(script.body.length).toBeGreaterThan(1_000_000);
    expect(script.body).toContain('createApiReference');
  });
});
