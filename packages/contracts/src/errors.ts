/** Stable error codes shared by every service and the REST API. Match on `code`, never on the message. */
import { z } from 'zod';

export const ErrorCode = {
  /** The request or message failed validation; `details` lists the fields. */
  VALIDATION: 'VALIDATION',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /** A dependency (database, NATS, Docker, the owning service) did not answer; retry later. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** A write from a scheduler that no longer holds the lease, or a result from a stale execution. */
  FENCED: 'FENCED',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One field-level problem: dotted path to the field, and what is wrong with it. */
export const FieldError = z.strictObject({ field: z.string(), message: z.string() });
export type FieldError = z.infer<typeof FieldError>;

export const ErrorBody = z.strictObject({
  code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  details: z.array(FieldError).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Reply of every request/reply command: the owner's answer after commit, or its error. */
export function CommandReply<T extends z.ZodType>(result: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), result }),
    z.strictObject({ ok: z.literal(false), error: ErrorBody }),
  ]);
}
export type CommandReply<T> = { ok: true; result: T } | { ok: false; error: ErrorBody };

/** Flattens zod issues into field errors ("job.interface.command: Required"). */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldError[] {
  return issues.map((issue) => ({
    field: issue.path.map((p) => String(p)).join('.') || '(root)',
    message: issue.message,
  }));
}
