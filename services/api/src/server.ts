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
import { errorRoutes } from './routes/errors.ts';
import { fileRoutes } from './routes/files.ts';
import { jobExecutionRoutes } from './routes/job-executions.ts';
import { jobExecutionListRoutes } from './routes/job-executions-list.ts';
import { jobInputFileRoutes } from './routes/job-input-files.ts';
import { jobTypeStatusRoutesV5, jobTypeStatusRoutesV6 } from './routes/job-type-status.ts';
import { jobTypeVersionRoutes } from './routes/job-type-versions.ts';
import { jobTypeRoutes } from './routes/job-types.ts';
import { jobTypeV5Routes } from './routes/job-types-v5.ts';
import { jobRoutes } from './routes/jobs.ts';
import { jobBulkV6Routes, jobUpdateV5Routes } from './routes/jobs-cancel-requeue.ts';
import { jobListRoutes } from './routes/jobs-list.ts';
import { jobListV5Routes } from './routes/jobs-list-v5.ts';
import { jobV5Routes } from './routes/jobs-v5.ts';
import { loadV5Routes, loadV6Routes } from './routes/load.ts';
import { type LogFollowSettings, logFollowRoutes } from './routes/log-follow.ts';
import { nodeRoutes } from './routes/nodes.ts';
import { queueStatusV5Routes, queueStatusV6Routes } from './routes/queue-status.ts';
import { queueV5Routes } from './routes/queue-v5.ts';
import { recipeTypeRoutes } from './routes/recipe-types.ts';
import { recipeRoutes } from './routes/recipes.ts';
import { recipeV5Routes } from './routes/recipes-v5.ts';
import { schedulerRoutes } from './routes/scheduler.ts';
import { statusRoutes } from './routes/status.ts';
import { versionRoutes } from './routes/version.ts';
import { workspaceRoutes } from './routes/workspaces.ts';

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
  /** Live log follow (SSE/WebSocket) tuning; defaults in routes/log-follow.ts. */
  logFollow?: Partial<LogFollowSettings>;
}

export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the instance type the default one.
    loggerInstance: deps.log as FastifyBaseLogger,
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
    // Idle keep-alive connections would hold a graceful shutdown open for their whole timeout.
    forceCloseConnections: 'idle',
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

  for (const plugin of [
    jobTypeRoutes,
    jobRoutes,
    jobExecutionRoutes,
    versionRoutes,
    jobListRoutes,
    jobTypeVersionRoutes,
    jobTypeStatusRoutesV6,
    errorRoutes,
    // Scheduler, nodes, queue and cancel/requeue (nodes.ts … jobs-cancel-requeue.ts).
    nodeRoutes,
    queueStatusV6Routes,
    loadV6Routes,
    schedulerRoutes,
    statusRoutes,
    jobBulkV6Routes,
  ]) {
    void app.register(plugin, { ...options, prefix: '/v6' });
  }
  for (const prefix of ['', '/v5']) {
    for (const plugin of [
      queueV5Routes,
      jobV5Routes,
      versionRoutes,
      jobListV5Routes,
      jobTypeV5Routes,
      jobTypeStatusRoutesV5,
      queueStatusV5Routes,
      loadV5Routes,
      jobUpdateV5Routes,
    ]) {
      void app.register(plugin, { ...options, prefix });
    }
  }
  // Workspaces, files, a job's executions and input files (workspaces.ts, files.ts, job-executions-list.ts, job-input-files.ts).
  for (const plugin of [workspaceRoutes, fileRoutes, jobExecutionListRoutes, jobInputFileRoutes]) {
    void app.register(plugin, { ...options, prefix: '/v6' });
  }
  // Recipes (recipe-types.ts, recipes.ts, recipes-v5.ts).
  void app.register(recipeTypeRoutes, { ...options, prefix: '/v6' });
  void app.register(recipeRoutes, { ...options, prefix: '/v6' });
  for (const prefix of ['', '/v5']) void app.register(recipeV5Routes, { ...options, prefix });
  // Live log follow (SSE and WebSocket on one URL).
  void app.register(logFollowRoutes, {
    ...options,
    ...(deps.logFollow ? { settings: deps.logFollow } : {}),
    prefix: '/v6',
  });
  return app;
}
