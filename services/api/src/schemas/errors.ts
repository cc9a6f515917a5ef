/** Parameters of /v6/errors/. */
import { ErrorCategory } from '@scale/contracts';
import { z } from 'zod';
import { PageQuery } from '../http/pagination.ts';
import { orderParam, QueryBool, QueryTimestamp, repeated } from '../http/query.ts';
import { idParam, MAX_INT } from './common.ts';

/** Categories are matched case-insensitively (`category=system`), as Scale's choice parameters. */
const Category = z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), ErrorCategory);

export const ErrorListQuery = z.object({
  ...PageQuery,
  started: QueryTimestamp.optional(),
  ended: QueryTimestamp.optional(),
  is_builtin: QueryBool.optional(),
  job_type_name: repeated(z.string().min(1)),
  name: repeated(z.string().min(1)),
  category: repeated(Category),
  order: orderParam(['id', 'name', 'title', 'job_type_name', 'category', 'created', 'last_modified']),
});

export const ErrorParams = z.object({ id: idParam(MAX_INT) });
