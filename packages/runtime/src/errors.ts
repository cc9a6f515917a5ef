/** AppError and the one mapping table from error codes to HTTP status, retryability and ack policy. */
import { type ErrorBody, ErrorCode, type FieldError, fieldErrors } from '@scale/contracts';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: FieldError[] | undefined;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions & { details?: FieldError[] }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details;
  }
  get retryable(): boolean {
    return ERROR_POLICY[this.code].retryable;
  }
  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
  static fromBody(body: ErrorBody): AppError {
    return new AppError(body.code, body.message, body.details ? { details: body.details } : undefined);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details: FieldError[] = [], options?: ErrorOptions) {
    super(ErrorCode.VALIDATION, message, { ...options, details });
    this.name = 'ValidationError';
  }
  static fromZod(message: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
    return new ValidationError(message, fieldErrors(issues));
  }
  static field(field: string, message: string): ValidationError {
    return new ValidationError(`${field}: ${message}`, [{ field, message }]);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.NOT_FOUND, message, options);
    this.name = 'NotFoundError';
  }
  static of(what: string, id: string | number): NotFoundError {
    return new NotFoundError(`${what} ${id} does not exist`);
  }
}

export class UnavailableError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.UNAVAILABLE, message, options);
    this.name = 'UnavailableError';
  }
}

export const ERROR_POLICY: Record<ErrorCode, { httpStatus: number; retryable: boolean; ack: 'ack' | 'nak' | 'term' }> =
  {
    VALIDATION: { httpStatus: 400, retryable: false, ack: 'term' },
    NOT_FOUND: { httpStatus: 404, retryable: false, ack: 'term' },
    CONFLICT: { httpStatus: 409, retryable: true, ack: 'nak' },
    UNAVAILABLE: { httpStatus: 503, retryable: true, ack: 'nak' },
    FENCED: { httpStatus: 409, retryable: false, ack: 'term' },
    INTERNAL: { httpStatus: 500, retryable: true, ack: 'nak' },
  };

/** Any thrown value as an AppError (unknown errors become INTERNAL, keeping the cause). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new AppError(ErrorCode.INTERNAL, message, { cause: err });
}
