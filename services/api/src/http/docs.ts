/**
 * An OpenAPI 3.1 document built from the routes' zod schemas (GET /docs/json) and a reference page (GET /docs).
 * Request shapes come from the schemas; responses are described by the Scale API documents (see README).
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

interface DocumentedRoute {
  method: string;
  url: string;
  schema: { body?: unknown; querystring?: unknown; params?: unknown };
}

function toJsonSchema(schema: unknown): JsonSchema | undefined {
  if (!(schema instanceof z.ZodType)) return undefined;
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return json;
}

function parameters(schema: unknown, where: 'path' | 'query') {
  const json = toJsonSchema(schema);
  return Object.entries(json?.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json?.required ?? []).includes(name),
    schema: property,
  }));
}

function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function openApiDocument(routes: readonly DocumentedRoute[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.url);
    const body = toJsonSchema(route.schema.body);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      parameters: [...parameters(route.schema.params, 'path'), ...parameters(route.schema.querystring, 'query')],
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      responses: {
        default: { description: 'Scale API response; errors are {"detail": "...", "errors": {"field": ["..."]}}' },
      },
    };
  }
  return { openapi: '3.1.0', info: { title: 'Scale API', version }, paths };
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Scale API reference</title></head>
<body>
<noscript>The OpenAPI document is at <a href="/docs/json">/docs/json</a>.</noscript>
<script id="api-reference" data-url="/docs/json"></script>
<script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference"></script>
</body></html>`;

/** Call before the routes are registered: it records them as they are added. */
export function registerDocs(app: FastifyInstance, version: string): void {
  const routes: DocumentedRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.url.startsWith('/docs')) return;
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: route.url, schema: (route.schema ?? {}) as DocumentedRoute['schema'] });
    }
  });
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get('/docs/json', async () => {
    document ??= openApiDocument(routes, version);
    return document;
  });
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
}
