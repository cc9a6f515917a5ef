/**
 * Live follow of an execution's log: `GET /v6/job-executions/{id}/logs/{stdout|stderr|combined}/follow/`.
 *
 * - Server-sent events (a plain GET): one `message` event per line, `id:` = the line number, data = the line as
 *   the JSON log endpoint renders it; `event: end` once the execution has ended and every line was sent, then the
 *   stream closes. `Last-Event-ID` (sent by EventSource on reconnect) or `?after=<n>` resumes after line n.
 *   Comment lines every `heartbeatMs` keep proxies from closing an idle stream. 204 when the execution has ended
 *   and has no line after the resume point (EventSource stops reconnecting on a 204).
 * - WebSocket (an Upgrade on the same URL): one text message per line (the same JSON), `?after=<n>` resumes;
 *   closed with 1000 once the execution has ended and every line was sent.
 *
 * A follower that cannot keep up (its socket does not drain within `slowClientMs`) is disconnected: it resumes
 * from its last line number. At most `maxFollowers` follows run at once per API process (503 beyond).
 */
import type { ServerResponse } from 'node:http';
import websocket from '@fastify/websocket';
import { NotFoundError, UnavailableError } from '@scale/runtime';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type LogLine, resumePoint } from '../domain/log-lines.ts';
import { sseComment, sseEvent, sseRetry } from '../domain/sse.ts';
import { readArchivedLastN } from '../logs/archive.ts';
import { isExecutionEnded } from '../logs/execution.ts';
import {
  DEFAULT_FOLLOW_SETTINGS,
  type FollowEnd,
  type FollowSettings,
  type FollowSink,
  followLog,
} from '../logs/follow.ts';
import { type LogSource, logEntry } from '../logs/format.ts';
import { LogStreamReader } from '../logs/stream.ts';
import { findJobExeForLogs, type JobExeLogContext } from '../queries/job-exes.ts';
import { idParam, MAX_INT } from '../schemas/common.ts';
import type { RouteDeps } from './deps.ts';

export interface LogFollowSettings extends FollowSettings {
  /** Period of SSE keep-alive comments and WebSocket pings, ms. */
  heartbeatMs: number;
  /** Longest a follower's socket may stay full before the follower is disconnected, ms. */
  slowClientMs: number;
  /** Follows running at once in this process; more are refused with 503. */
  maxFollowers: number;
  /** Reconnection delay suggested to SSE clients, ms. */
  retryMs: number;
}

export const DEFAULT_LOG_FOLLOW_SETTINGS: LogFollowSettings = {
  ...DEFAULT_FOLLOW_SETTINGS,
  heartbeatMs: 15_000,
  slowClientMs: 30_000,
  maxFollowers: 1000,
  retryMs: 2000,
};

export interface LogFollowOptions {
  deps: RouteDeps;
  settings?: Partial<LogFollowSettings>;
}

const FollowParams = z.object({ id: idParam(), log: z.enum(['stdout', 'stderr', 'combined']) });
const FollowQuery = z.object({
  after: z.coerce
    .number({ error: 'A valid integer is required.' })
    .int('A valid integer is required.')
    .min(0, 'A valid integer is required.')
    .max(MAX_INT, 'A valid integer is required.')
    .optional(),
});

class SlowClientError extends Error {
  override name = 'SlowClientError';
}

/** Writes a chunk; when the socket buffer is full, waits for it to drain (or for the client or the follow to go). */
async function write(res: ServerResponse, chunk: string, slowClientMs: number, signal: AbortSignal): Promise<void> {
  if (res.write(chunk) || res.destroyed || signal.aborted) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      res.off('drain', onDrain);
      res.off('close', onDrain);
      signal.removeEventListener('abort', onDrain);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const timer = setTimeout(() => done(new SlowClientError('the client does not read its log follow')), slowClientMs);
    res.on('drain', onDrain);
    res.on('close', onDrain);
    signal.addEventListener('abort', onDrain);
  });
}

interface Follow {
  exe: JobExeLogContext;
  after: number;
}

export const logFollowRoutes: FastifyPluginAsyncZod<LogFollowOptions> = async (app, { deps, settings: given }) => {
  const settings: LogFollowSettings = { ...DEFAULT_LOG_FOLLOW_SETTINGS, ...given };
  const stream = new LogStreamReader(deps.nc, deps.subjects, deps.logReadTimeoutMs);
  const running = new Set<AbortController>();
  const follows = new WeakMap<FastifyRequest, Follow>();

  // Clients never need to send anything; a small frame limit keeps a misbehaving one cheap.
  await app.register(websocket, { options: { maxPayload: 4096 } });
  let closing = false;
  // Open follows would hold the server open: end them (clients resume elsewhere) before it closes.
  app.addHook('preClose', async () => {
    closing = true;
    for (const controller of running) controller.abort();
  });

  function start(request: FastifyRequest, sink: FollowSink, signal: AbortSignal): Promise<FollowEnd> {
    const { id, log } = request.params as z.infer<typeof FollowParams>;
    const follow = follows.get(request)!;
    return followLog(
      {
        em: () => deps.orm.em.fork(),
        stream,
        isEnded: () => isExecutionEnded(deps.orm.em.fork(), id),
        log: request.log,
      },
      { jobExeId: id, selector: log, after: follow.after },
      settings,
      sink,
      signal,
    );
  }

  function track(): AbortController {
    const controller = new AbortController();
    running.add(controller);
    return controller;
  }

  const json = (line: LogLine, exe: LogSource) => JSON.stringify(logEntry(line, exe));

  app.route({
    method: 'GET',
    url: '/job-executions/:id/logs/:log/follow/',
    schema: { params: FollowParams, querystring: FollowQuery },
    preHandler: async (request) => {
      const { id } = request.params;
      const exe = await findJobExeForLogs(deps.orm.em.fork(), id);
      if (!exe) throw NotFoundError.of('job execution', id);
      if (running.size >= settings.maxFollowers) {
        throw new UnavailableError('too many log followers on this server, retry later');
      }
      const header = request.headers['last-event-id'];
      follows.set(request, {
        exe,
        after: resumePoint(Array.isArray(header) ? header[0] : header, request.query.after),
      });
    },

    handler: async (request, reply) => {
      const { id, log } = request.params;
      const { exe, after } = follows.get(request)!;
      // An ended execution with nothing after the resume point: 204 makes EventSource stop reconnecting.
      if (await isExecutionEnded(deps.orm.em.fork(), id)) {
        const [archived, stored] = await Promise.all([
          readArchivedLastN(deps.orm.em.fork(), { jobExeId: id, selector: log }),
          stream.last(id, log),
        ]);
        if (Math.max(archived, stored.n) <= after) return reply.code(204).send();
      }

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // Tells nginx-style proxies not to buffer the stream.
        'x-accel-buffering': 'no',
      });
      res.write(sseRetry(settings.retryMs));
      const controller = track();
      const onClose = () => controller.abort();
      res.on('close', onClose);
      const heartbeat = setInterval(() => res.write(sseComment('keep-alive')), settings.heartbeatMs);
      try {
        const sink: FollowSink = {
          send: (line) =>
            write(res, sseEvent({ id: line.n, data: json(line, exe) }), settings.slowClientMs, controller.signal),
        };
        const end = await start(request, sink, controller.signal);
        if (end === 'ended') res.write(sseEvent({ event: 'end', data: '{}' }));
        // A closing server also drops the connection, or the client's keep-alive would hold the close up.
        res.end(() => {
          if (closing) res.socket?.destroy();
        });
      } catch (err) {
        if (!controller.signal.aborted) {
          request.log.warn({ err, jobExeId: id }, 'log follow (SSE) failed');
          if (err instanceof SlowClientError) res.destroy();
          else res.end(sseEvent({ event: 'error', data: JSON.stringify({ detail: 'log follow failed, resume' }) }));
        }
      } finally {
        clearInterval(heartbeat);
        res.off('close', onClose);
        running.delete(controller);
        if (!res.writableEnded) res.destroy();
      }
    },

    wsHandler: async (socket, request) => {
      const { id } = request.params as z.infer<typeof FollowParams>;
      const { exe } = follows.get(request)!;
      const controller = track();
      const onClose = () => controller.abort();
      socket.on('close', onClose);
      const heartbeat = setInterval(() => socket.ping(), settings.heartbeatMs);
      try {
        const sink: FollowSink = {
          send: (line) =>
            new Promise<void>((resolve, reject) => {
              const { signal } = controller;
              const done = (err?: Error) => {
                clearTimeout(timer);
                signal.removeEventListener('abort', onAbort);
                if (err && !signal.aborted) reject(err);
                else resolve();
              };
              const onAbort = () => done();
              const timer = setTimeout(
                () => done(new SlowClientError('the client does not read its log follow')),
                settings.slowClientMs,
              );
              signal.addEventListener('abort', onAbort);
              // The callback runs once the frame is handed to the socket: one frame in flight at a time.
              socket.send(json(line, exe), (err?: Error) => done(err));
            }),
        };
        const end = await start(request, sink, controller.signal);
        if (end === 'ended') socket.close(1000, 'execution ended');
      } catch (err) {
        if (!controller.signal.aborted) {
          request.log.warn({ err, jobExeId: id }, 'log follow (WebSocket) failed');
          if (err instanceof SlowClientError) socket.terminate();
          else socket.close(1011, 'log follow failed, resume');
        }
      } finally {
        clearInterval(heartbeat);
        socket.off('close', onClose);
        running.delete(controller);
        if (controller.signal.aborted && socket.readyState === socket.OPEN) socket.close(1001, 'server closing');
      }
    },
  });
};
