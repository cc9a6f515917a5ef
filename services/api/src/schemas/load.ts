/** GET /load/ (seed 000) and /v6/load/ query parameters: a time range of at most 31 days and job type filters. */
import { z } from 'zod';
import { timeRangeErrors } from '../domain/time-range.ts';
import { PageQuery } from '../http/pagination.ts';
import { listParam, QueryInt, QueryTimestamp } from '../http/query.ts';

const TIME = 'ISO-8601 date-time (2015-01-01T00:00:00Z) or duration before now (PT3H0M0S)';
export const LOAD_MAX_RANGE_MS = 31 * 86_400_000;
/** Scale's default start: one week back. */
export const LOAD_DEFAULT_RANGE_MS = 7 * 86_400_000;

function checkLoadRange(query: { started?: Date | undefined; ended?: Date | undefined }, ctx: z.RefinementCtx) {
  const now = new Date();
  const started = query.started ?? new Date(now.getTime() - LOAD_DEFAULT_RANGE_MS);
  for (const { field, message } of timeRangeErrors(started, query.ended, { maxMs: LOAD_MAX_RANGE_MS, now })) {
    ctx.addIssue({ code: 'custom', path: [field], message });
  }
}

const v6 = {
  ...PageQuery,
  started: QueryTimestamp.optional().meta({ description: `Samples at or after this (default: 7 days ago); ${TIME}.` }),
  ended: QueryTimestamp.optional().meta({ description: `Samples at or before this (default: now); ${TIME}.` }),
  job_type_id: listParam(QueryInt, 'Job type id, repeatable.'),
  job_type_name: listParam(z.string().min(1), 'Job type name, repeatable.'),
};

export const LoadQueryV6 = z.object(v6).superRefine(checkLoadRange);
export type LoadQueryV6 = z.infer<typeof LoadQueryV6>;

export const LoadQueryV5 = z
  .object({
    ...v6,
    job_type_category: listParam(z.string().min(1), "Job type category (the Seed manifest's first tag), repeatable."),
    job_type_priority: listParam(QueryInt, "Job type priority (its configuration's, default 100), repeatable."),
  })
  .superRefine(checkLoadRange);
export type LoadQueryV5 = z.infer<typeof LoadQueryV5>;
