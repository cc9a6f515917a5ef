/** Query-string helpers shared by list endpoints (Scale conventions: repeatable filters, booleans, timestamps). */
import { z } from 'zod';
import { parseOrder } from '../domain/list-order.ts';
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

/** Item schemas of the list parameters below, so the OpenAPI document can describe them as arrays of items. */
export const LIST_ITEMS = new WeakMap<object, z.ZodType>();

function asList(value: unknown): unknown {
  return value === undefined || Array.isArray(value) ? value : [value];
}

/**
 * A repeatable parameter (`?job_id=1&job_id=2`, OR semantics), an array when present. Unlike `repeated`, a bad
 * value is reported on the parameter itself (`{"job_id": ["\"x\": A valid integer is required."]}`), which is
 * what a client can act on: it never sent a `job_id.0`.
 */
export function listParam<T extends z.ZodType>(item: T, description: string) {
  const schema = z
    .preprocess(
      asList,
      z.array(z.string()).transform((values, ctx) => {
        const parsed: z.output<T>[] = [];
        for (const value of values) {
          const result = item.safeParse(value);
          if (result.success) parsed.push(result.data);
          else ctx.addIssue({ code: 'custom', message: `"${value}": ${result.error.issues[0]?.message ?? 'invalid'}` });
        }
        return parsed;
      }),
    )
    .optional()
    .meta({ description });
  LIST_ITEMS.set(schema, item);
  return schema;
}

/**
 * A value from a fixed set, case-insensitive (`status=failed` is FAILED), as Scale's choice parameters. The
 * OpenAPI document lists the canonical values.
 */
export function choice<const V extends string>(values: readonly V[]) {
  return z
    .string()
    .transform((v) => v.toUpperCase())
    .refine((v): v is V => (values as readonly string[]).includes(v), {
      message: `Not a valid choice; choose from ${values.join(', ')}.`,
    })
    .transform((v) => v as V)
    .meta({ enum: [...values] });
}

/** Repeatable `order` checked by domain/list-order: unknown fields are reported on `order`. */
export function orderList<const F extends string>(fields: readonly F[]) {
  const schema = z
    .preprocess(
      asList,
      z.array(z.string()).transform((values, ctx) => {
        const result = parseOrder(values, fields);
        if (result.ok) return result.terms;
        for (const message of result.errors) ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }),
    )
    .optional()
    .meta({ description: `Sort fields, repeatable; - reverses. One of: ${fields.join(', ')}.` });
  LIST_ITEMS.set(schema, z.enum(fields.flatMap((f) => [f, `-${f}`]) as [string, ...string[]]));
  return schema;
}
