/** Query parameters of the job lists: v6 GET /v6/jobs/ and v5 GET /jobs/, /jobs/updates/, /jobs/executions/. */
import { ErrorCategory, JobStatus } from '@scale/contracts';
import { z } from 'zod';
import { JOB_ORDER_FIELDS, timeRangeError } from '../domain/job-list-filters.ts';
import { PageQuery } from '../http/pagination.ts';
import { choice, listParam, orderList, QueryBool, QueryInt, QueryTimestamp } from '../http/query.ts';

const TIME = 'ISO-8601 date-time (2015-01-01T00:00:00Z) or duration before now (PT3H0M0S)';

const timeRange = {
  started: QueryTimestamp.optional().meta({ description: `Jobs last modified at or after this; ${TIME}.` }),
  ended: QueryTimestamp.optional().meta({ description: `Jobs last modified at or before this; ${TIME}.` }),
};

const common = {
  ...PageQuery,
  ...timeRange,
  order: orderList(JOB_ORDER_FIELDS),
  status: listParam(choice(JobStatus.options), `Job status, repeatable: ${JobStatus.options.join(', ')}.`),
  job_type_id: listParam(QueryInt, 'Job type id, repeatable.'),
  job_type_name: listParam(z.string().min(1), 'Job type name, repeatable.'),
};

const ErrorCategoryParam = listParam(
  choice(ErrorCategory.options),
  `Category of the job's error, repeatable: ${ErrorCategory.options.join(', ')}.`,
);
const JobTypeCategoryParam = listParam(
  z.string().min(1),
  "Job type category (the Seed manifest's first tag), repeatable.",
);

/** started must not be after ended; reported on `ended`, the parameter that makes the range empty. */
function checkRange(query: { started?: Date | undefined; ended?: Date | undefined }, ctx: z.RefinementCtx) {
  const message = timeRangeError(query.started, query.ended);
  if (message) ctx.addIssue({ code: 'custom', path: ['ended'], message });
}

export const JobListQueryV6 = z
  .object({
    ...common,
    job_id: listParam(QueryInt, 'Job id, repeatable.'),
    batch_id: listParam(QueryInt, 'Batch id, repeatable.'),
    recipe_id: listParam(QueryInt, 'Recipe id, repeatable.'),
    error_category: ErrorCategoryParam,
    error_id: listParam(QueryInt, 'Error id, repeatable.'),
    is_superseded: QueryBool.optional().meta({ description: 'Only superseded (true) or current (false) jobs.' }),
  })
  .superRefine(checkRange);
export type JobListQueryV6 = z.infer<typeof JobListQueryV6>;

const v5 = {
  ...common,
  job_type_category: JobTypeCategoryParam,
  batch_id: listParam(QueryInt, 'Batch id, repeatable.'),
  error_category: ErrorCategoryParam,
  include_superseded: QueryBool.optional().meta({ description: 'Include superseded jobs (left out by default).' }),
};

/** GET /jobs/ and GET /jobs/executions/. */
export const JobListQueryV5 = z
  .object({ ...v5, job_id: listParam(QueryInt, 'Job id, repeatable.') })
  .superRefine(checkRange);
export type JobListQueryV5 = z.infer<typeof JobListQueryV5>;

/**
 * GET /jobs/updates/: the v5 filters without job_id; started/ended and the default order are on
 * last_status_change ("jobs that changed status in the given time range").
 */
export const JobUpdatesQueryV5 = z
  .object({
    ...v5,
    started: QueryTimestamp.optional().meta({ description: `Jobs whose status changed at or after this; ${TIME}.` }),
    ended: QueryTimestamp.optional().meta({ description: `Jobs whose status changed at or before this; ${TIME}.` }),
  })
  .superRefine(checkRange);
export type JobUpdatesQueryV5 = z.infer<typeof JobUpdatesQueryV5>;
