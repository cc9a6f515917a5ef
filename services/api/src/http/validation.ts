/**
 * Request validation: zod schemas from the routes, failures turned into Scale/DRF-style field errors.
 * Bad path parameters answer 404, as Django's URL patterns do for a non-integer id.
 */
import type { FieldError } from '@scale/contracts';
import { NotFoundError, ValidationError } from '@scale/runtime';
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';

/** DRF's wording for a missing field; every other message is zod's (or the schema's own). */
const errorMap: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'This field is required.' : undefined;

/** A path parameter did not match: the route does not exist for this URL. */
export class PathNotFoundError extends NotFoundError {
  constructor() {
    super('Not found');
    this.name = 'PathNotFoundError';
  }
}

type Issue = z.core.$ZodIssue;

/** Flattens zod issues into dotted field paths; unknown keys become one error per key. */
export function issueFieldErrors(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ field: dotted([...path, key]), message: 'Unrecognized field.' });
    } else {
      errors.push({ field: dotted(path), message: issue.message });
    }
  }
  return errors;
}

function dotted(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.') || '(root)';
}

const PART_NAMES: Record<string, string> = {
  body: 'request body',
  querystring: 'query parameters',
  headers: 'request headers',
};

/** One ValidationError whose message summarises the first problem and whose details list them all. */
export function validationFailure(what: string, details: FieldError[]): ValidationError {
  const [first] = details;
  const summary = first ? `${first.field}: ${first.message}` : 'invalid';
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  return new ValidationError(`Invalid ${what}: ${summary}${more}`, details);
}

export function parseOrThrow<T extends z.ZodType>(schema: T, data: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(data, { error: errorMap });
  if (!result.success) throw validationFailure(what, issueFieldErrors(result.error.issues));
  return result.data;
}

/** Fastify validator compiler for zod schemas (replaces the type provider's, to shape the errors). */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data, { error: errorMap });
    if (result.success) return { value: result.data };
    if (httpPart === 'params') return { error: new PathNotFoundError() };
    const what = PART_NAMES[httpPart ?? ''] ?? 'request';
    return { error: validationFailure(what, issueFieldErrors(result.error.issues)) };
  };
