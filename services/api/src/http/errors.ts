/** The one error handler: AppError codes → HTTP status via ERROR_POLICY, bodies in Scale/DRF style. */
import type { FieldError } from '@scale/contracts';
import { AppError, ERROR_POLICY, toAppError } from '@scale/runtime';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PathNotFoundError } from './validation.ts';

/** `{"detail": "...", "errors": {"field.path": ["message"]}}` */
export interface ErrorResponse {
  detail: string;
  errors?: Record<string, string[]>;
}

export function groupFieldErrors(details: readonly FieldError[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const { field, message } of details) {
    const key = field === '(root)' ? 'non_field_errors' : field;
    errors[key] ??= [];
    errors[key].push(message);
  }
  return errors;
}

function notFoundDetail(request: FastifyRequest): string {
  return `Not found: ${request.method} ${request.url}`;
}

function isClientError(err: unknown): err is FastifyError & { statusCode: number } {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 && !(err instanceof AppError);
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ detail: notFoundDetail(request) } satisfies ErrorResponse);
  });

  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    // Fastify's own client errors (malformed JSON, unsupported media type, body too large) keep their status.
    if (isClientError(err)) {
      return reply.code(err.statusCode).send({ detail: err.message } satisfies ErrorResponse);
    }
    const error = toAppError(err);
    const status = ERROR_POLICY[error.code].httpStatus;
    if (status === 500) request.log.error({ err }, 'request failed');
    else if (status >= 500) request.log.warn({ err }, 'dependency unavailable');
    const body: ErrorResponse =
      error instanceof PathNotFoundError
        ? { detail: notFoundDetail(request) }
        : { detail: status === 500 ? 'Internal server error' : error.message };
    if (error.details?.length) body.errors = groupFieldErrors(error.details);
    return reply.code(status).send(body);
  });
}
