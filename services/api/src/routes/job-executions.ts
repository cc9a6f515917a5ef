/** /v6/job-executions/{id}/logs/{stdout|stderr|combined}/: the stored log of one execution, as JSON, text or HTML. */
import { NotFoundError } from '@scale/runtime';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { QueryTimestamp } from '../http/query.ts';
import { logHtml, logJson, logText } from '../logs/format.ts';
import { readLogHistory } from '../logs/history.ts';
import { LogStreamReader } from '../logs/stream.ts';
import { findJobExeForLogs } from '../queries/job-exes.ts';
import { idParam } from '../schemas/common.ts';
import type { RouteOptions } from './deps.ts';

const LogParams = z.object({ id: idParam(), log: z.enum(['stdout', 'stderr', 'combined']) });
const LogQuery = z.object({
  started: QueryTimestamp.optional(),
  format: z.enum(['json', 'txt', 'html']).optional(),
});

type LogFormat = 'json' | 'txt' | 'html';

/** `?format=` wins; otherwise JSON only when the client asks for it, as the text log is the common use. */
function logFormat(format: LogFormat | undefined, accept: string | undefined): LogFormat {
  if (format) return format;
  return accept?.includes('application/json') ? 'json' : 'txt';
}

export const jobExecutionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  const stream = new LogStreamReader(deps.nc, deps.subjects, deps.logReadTimeoutMs);

  app.get(
    '/job-executions/:id/logs/:log/',
    { schema: { params: LogParams, querystring: LogQuery } },
    async (request, reply) => {
      const { id, log } = request.params;
      const em = deps.orm.em.fork();
      const exe = await findJobExeForLogs(em, id);
      if (!exe) throw NotFoundError.of('job execution', id);
      const history = await readLogHistory(
        { em, stream, pullTimeoutMs: deps.logReadTimeoutMs },
        {
          jobExeId: id,
          selector: log,
          maxLines: deps.logMaxLines,
          ...(request.query.started ? { since: request.query.started } : {}),
        },
      );
      if (history.lines.length === 0) return reply.code(204).send();
      if (history.truncated) void reply.header('X-Scale-Log-Truncated', 'true');
      switch (logFormat(request.query.format, request.headers.accept)) {
        case 'json':
          return reply.send(logJson(history.lines, exe));
        case 'html':
          return reply.type('text/html; charset=utf-8').send(logHtml(history.lines));
        case 'txt':
          return reply.type('text/plain; charset=utf-8').send(logText(history.lines));
      }
    },
  );
};
