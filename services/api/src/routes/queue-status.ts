/**
 * Queue status: v5 GET /queue/status/ (seed 000: `{"queue_status": [...]}`) and v6 GET /v6/queue/status/ (a page
 * of job types, each with the most common reasons its queued jobs are not running).
 */
import type { EntityManager } from '@scale/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { summarizeQueue } from '../domain/queue-summary.ts';
import { buildPage, PageQuery, pageWindow } from '../http/pagination.ts';
import { readQueue } from '../queries/queue-status.ts';
import { loadQueueFacts } from '../queries/scheduler-state.ts';
import { queueStatusV5, queueStatusV6 } from '../serializers/queue-status.ts';
import type { RouteOptions } from './deps.ts';

/** Distinct stored reasons read per job type, and how many reasons each entry shows. */
const REASON_GROUPS_PER_TYPE = 20;
const REASONS_SHOWN = 5;

async function queueSummary(em: EntityManager) {
  const [rows, facts] = await Promise.all([readQueue(em, REASON_GROUPS_PER_TYPE), loadQueueFacts(em)]);
  return summarizeQueue(rows.counts, rows.groups, rows.jobTypes, facts, REASONS_SHOWN);
}

export const queueStatusV5Routes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/queue/status/', async () => {
    const summary = await queueSummary(deps.orm.em.fork());
    return { queue_status: summary.map(queueStatusV5) };
  });
};

export const queueStatusV6Routes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get('/queue/status/', { schema: { querystring: z.object(PageQuery) } }, async (request) => {
    // Paged in memory: one entry per job type with queued jobs, so the whole summary is small.
    const summary = await queueSummary(deps.orm.em.fork());
    const { limit, offset } = pageWindow(request.query);
    return buildPage(request, request.query, summary.length, summary.slice(offset, offset + limit).map(queueStatusV6));
  });
};
