/** Parameters of /v6/jobs/{id}/executions/ and /v6/jobs/{id}/executions/{exe_num}/ (seed 004). */
import { ErrorCategory, ExecutionStatus } from '@scale/contracts';
import { z } from 'zod';
import { PageQuery } from '../http/pagination.ts';
import { QueryInt, repeated } from '../http/query.ts';
import { idParam, MAX_INT } from './common.ts';

const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);

export const JobExecutionListQuery = z.object({
  ...PageQuery,
  status: repeated(z.preprocess(upper, ExecutionStatus)),
  node_id: repeated(QueryInt),
  error_id: repeated(QueryInt),
  error_category: repeated(z.preprocess(upper, ErrorCategory)),
});

export const JobExecutionsParams = z.object({ id: idParam() });
export const JobExecutionParams = z.object({ id: idParam(), exe_num: idParam(MAX_INT) });
