/**
 * buildServer(deps) → a Fastify instance with every route, not listening (main.ts listens; tests inject).
 * Paths follow the seeds: v6 under /v6/, the v5 endpoints both unversioned and under /v5/, trailing slash optional.
 */
import type { Subjects } from '@scale/contracts';
import type { Orm } from '@scale/db';
import type { Logger, NatsConnection } from '@scale/runtime';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { registerDocs } from './http/docs.ts';
import { registerErrorHandlers } from './http/errors.ts';
import { validatorCompiler } from './http/validation.ts';
import type { RouteDeps } from './routes/deps.ts';
import { jobExecutionRoutes } from './routes/job-executions.ts';
import { jobTypeRoutes } from './routes/job-types.ts';
import { jobRoutes } from './routes/jobs.ts';
import { jobV5Routes } from './routes/jobs-v5.ts';
import { queueV5Routes } from './routes/queue-v5.ts';
import { versionRoutes } from './routes/version.ts';

export interface ServerDeps {
  orm: Orm;
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  /** Reported by GET /v6/version/. */
  version: string;
  /** How long to wait for the owning service to answer a command, ms. @default 10000 */
  commandTimeoutMs?: number;
  /** Most lines one log request returns (Scale: 10,000). @default 10000 */
  logMaxLines?: number;
  /** Deadline of each JetStream round trip while reading a log, ms. @default 5000 */
  logReadTimeoutMs?: number;
}

export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the instance type the default one.
    loggerInstance: deps.log as FastifyBaseLogger,
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(app);
  registerDocs(app, deps.version);

  const routeDeps: RouteDeps = {
    orm: deps.orm,
    nc: deps.nc,
    subjects: deps.subjects,
    version: deps.version,
    commandTimeoutMs: deps.commandTimeoutMs ?? 10_000,
    logMaxLines: deps.logMaxLines ?? 10_000,
    logReadTimeoutMs: deps.logReadTimeoutMs ?? 5000,
  };
  const options = { deps: routeDeps };

  for (const plugin of [jobTypeRoutes, jobRoutes, jobExecutionRoutes, versionRoutes]) {
    void app.register(plugin, { ...options, prefix: '/v6' });
  }
  for (const prefix of ['', '/v5']) {
    for (const plugin of [queueV5Routes, jobV5Routes, versionRoutes]) {
      void app.register(plugin, { ...options, prefix });
    }
  }
  return app;
}
