/** Query-string helpers shared by list endpoints (Scale conventions: repeatable filters, booleans, timestamps). */
import { z } from 'zod';
import { parseTimestamp } from '../domain/timestamps.ts';

/** A parameter that may repeat (`?id=1&id=2`, OR semantics): always an array when present. */
export function repeated<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(item)).optional();
}

export const QueryInt = z.coerce
  .number({ error: 'A valid integer is required.' })
  .int('A valid integer is required.')
  .min(1, 'A valid integer is required.')
  .max(2_147_483_647, 'A valid integer is required.');

const TRUE = ['true', 'True', '1'];
const FALSE = ['false', 'False', '0'];
export const QueryBool = z
  .string()
  .refine((v) => TRUE.includes(v) || FALSE.includes(v), 'Must be a valid boolean (true or false).')
  .transform((v) => TRUE.includes(v));

/** ISO-8601 date-time (`2015-01-01T00:00:00Z`) or duration before now (`PT3H0M0S`). */
export const QueryTimestamp = z.string().transform((value, ctx) => {
  const parsed = parseTimestamp(value, new Date());
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: 'Must be an ISO-8601 date-time or duration.' });
    return z.NEVER;
  }
  return parsed;
});

/** `order=name&order=-version`: allowed fields only, `-` for descending. */
export function orderParam<const F extends string>(fields: readonly F[]) {
  return repeated(
    z
      .string()
      .refine(
        (v) => fields.includes(v.replace(/^-/, '') as F),
        `Must be one of: ${fields.join(', ')} (prefix - to reverse).`,
      )
      .transform((v) => ({ field: v.replace(/^-/, '') as F, descending: v.startsWith('-') })),
  );
}
