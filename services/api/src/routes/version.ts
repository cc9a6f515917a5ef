/** GET /version/ → {"version": "..."} */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from './deps.ts';

export const versionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/version/', async () => ({ version: deps.version }));
};
