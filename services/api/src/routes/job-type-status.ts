/**
 * Job type statistics, in both API generations: /status/ (counts by status over a window, RUNNING always),
 * /running/, /pending/ (v6 only) and /system-failures/. The v6 and v5 plugins differ in the nested job type and error.
 */
import type { ErrorRow, JobType } from '@scale/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DEFAULT_STATUS_WINDOW_HOURS, windowStart } from '../domain/job-counts.ts';
import { buildPage, pageWindow } from '../http/pagination.ts';
import { jobTypeStatusPage, jobTypesInStatus, systemFailures } from '../queries/job-type-status.ts';
import { offeredCustomResources } from '../queries/job-types.ts';
import { JobTypeStatusQuery, PageOnlyQuery } from '../schemas/job-types.ts';
import { errorSummaryV5, errorV6 } from '../serializers/error.ts';
import { jobTypeBaseV6 } from '../serializers/job-type.ts';
import { jobTypeInStatusBody, jobTypeStatusBody, systemFailureBody } from '../serializers/job-type-status.ts';
import { jobTypeSummaryV5 } from '../serializers/job-type-v5.ts';
import type { RouteDeps, RouteOptions } from './deps.ts';

interface Flavour {
  /** Serializer of the nested job type; gets the custom resources nodes offer (for unmet_resources). */
  jobType: (offered: ReadonlySet<string>) => (jt: JobType) => object;
  error: (e: ErrorRow) => object;
  pending: boolean;
}

function statusRoutes(flavour: Flavour): FastifyPluginAsyncZod<RouteOptions> {
  return async (app, { deps }: { deps: RouteDeps }) => {
    app.get('/job-types/status/', { schema: { querystring: JobTypeStatusQuery } }, async (request) => {
      const q = request.query;
      const em = deps.orm.em.fork();
      const { count, rows } = await jobTypeStatusPage(
        em,
        {
          started: q.started ?? windowStart(new Date(), DEFAULT_STATUS_WINDOW_HOURS),
          ended: q.ended,
          isActive: q.is_active,
        },
        pageWindow(q),
      );
      const jobType = flavour.jobType(await offeredCustomResources(em));
      return buildPage(
        request,
        q,
        count,
        rows.map((row) => jobTypeStatusBody(row, jobType)),
      );
    });

    const inStatus = (status: 'RUNNING' | 'PENDING', field: 'longest_running' | 'longest_pending') =>
      app.get(`/job-types/${status.toLowerCase()}/`, { schema: { querystring: PageOnlyQuery } }, async (request) => {
        const em = deps.orm.em.fork();
        const { count, rows } = await jobTypesInStatus(em, status, pageWindow(request.query));
        const jobType = flavour.jobType(await offeredCustomResources(em));
        return buildPage(
          request,
          request.query,
          count,
          rows.map((row) => jobTypeInStatusBody(row, jobType, field)),
        );
      });
    inStatus('RUNNING', 'longest_running');
    if (flavour.pending) inStatus('PENDING', 'longest_pending');

    app.get('/job-types/system-failures/', { schema: { querystring: PageOnlyQuery } }, async (request) => {
      const em = deps.orm.em.fork();
      const { count, rows } = await systemFailures(em, pageWindow(request.query));
      const jobType = flavour.jobType(await offeredCustomResources(em));
      return buildPage(
        request,
        request.query,
        count,
        rows.map((row) => systemFailureBody(row, jobType, flavour.error)),
      );
    });
  };
}

export const jobTypeStatusRoutesV6 = statusRoutes({
  jobType: (offered) => (jt) => jobTypeBaseV6(jt, offered),
  error: errorV6,
  pending: true,
});

export const jobTypeStatusRoutesV5 = statusRoutes({
  jobType: () => jobTypeSummaryV5,
  error: errorSummaryV5,
  pending: false,
});
