/**
 * An OpenAPI 3.1 document built from the routes' zod schemas (GET /docs/json) and an interactive reference page
 * (GET /docs/) whose viewer, Scalar's, is served by this API from its npm package (GET /docs/js/scalar.js): the
 * page works on a machine without internet. Request shapes come from the schemas; responses are described by
 * the Scale API documents (see README).
 */
import scalarApiReference from '@scalar/fastify-api-reference';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';
import { LIST_ITEMS } from './query.ts';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

interface DocumentedRoute {
  method: string;
  url: string;
  schema: { body?: unknown; querystring?: unknown; params?: unknown };
}

export const DOCS_PREFIX = '/docs';
export const DOCS_JSON = `${DOCS_PREFIX}/json`;
/** The viewer plugin's own routes: its page (also served at /docs) and its script. */
const VIEWER_PREFIX = `${DOCS_PREFIX}/reference`;
export const DOCS_SCRIPT = `${VIEWER_PREFIX}/js/scalar.js`;

function toJsonSchema(schema: unknown): JsonSchema | undefined {
  if (!(schema instanceof z.ZodType)) return undefined;
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    // Repeatable parameters arrive as one string or several; documented as arrays of their item.
    override: ({ zodSchema, jsonSchema }) => {
      const item = LIST_ITEMS.get(zodSchema);
      if (!item) return;
      const description = jsonSchema.description;
      for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
      Object.assign(jsonSchema, {
        type: 'array',
        items: z.toJSONSchema(item, { io: 'input', unrepresentable: 'any' }),
        ...(description ? { description } : {}),
      });
      delete (jsonSchema.items as Record<string, unknown>).$schema;
    },
  }) as JsonSchema;
  return json;
}

function parameters(schema: unknown, where: 'path' | 'query') {
  const json = toJsonSchema(schema);
  return Object.entries(json?.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as { description?: string };
    return {
      name,
      in: where,
      required: where === 'path' || (json?.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
      ...((rest as { type?: string }).type === 'array' ? { style: 'form', explode: true } : {}),
    };
  });
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

/** Call before the routes are registered: it records them as they are added. */
export function registerDocs(app: FastifyInstance, version: string): void {
  const routes: DocumentedRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.url.startsWith(DOCS_PREFIX)) return;
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: route.url, schema: (route.schema ?? {}) as DocumentedRoute['schema'] });
    }
  });
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get(DOCS_JSON, async () => {
    document ??= openApiDocument(routes, version);
    return document;
  });
  // Nothing is loaded from another host: the script is served from the package, default fonts (a font CDN)
  // and telemetry are off. Script and document URLs are absolute, so the same page works at /docs.
  void app.register(scalarApiReference, {
    routePrefix: VIEWER_PREFIX,
    logLevel: 'warn',
    configuration: {
      url: DOCS_JSON,
      cdn: DOCS_SCRIPT,
      pageTitle: 'Scale API reference',
      withDefaultFonts: false,
      telemetry: false,
    },
  });
  // The plugin redirects a prefix without its trailing slash, and /docs is the documented address: serve its
  // page here as it is (it is static for the life of the process).
  let page: string | undefined;
  app.get(DOCS_PREFIX, async (_request, reply) => {
    page ??= (await app.inject({ method: 'GET', url: `${VIEWER_PREFIX}/` })).body;
    return reply.type('text/html; charset=utf-8').send(page);
  });
}
