/** Error rows as Scale prints them (v6 and v5). */
import type { ErrorRow } from '@scale/db';
import { iso } from './common.ts';

export function errorV6(error: ErrorRow) {
  return {
    id: error.id,
    name: error.name,
    title: error.title,
    description: error.description,
    job_type_name: error.jobTypeName,
    category: error.category,
    is_builtin: error.isBuiltin,
    should_be_retried: error.shouldBeRetried,
    created: iso(error.created),
    last_modified: iso(error.lastModified),
  };
}

export function errorV5(error: ErrorRow) {
  return {
    id: error.id,
    name: error.name,
    title: error.title,
    description: error.description,
    category: error.category,
    is_builtin: error.isBuiltin,
    created: iso(error.created),
    last_modified: iso(error.lastModified),
  };
}

/** The error nested in v5 system failure bodies (seed 002): no title, no flags. */
export function errorSummaryV5(error: ErrorRow) {
  return {
    id: error.id,
    name: error.name,
    description: error.description,
    category: error.category,
    created: iso(error.created),
    last_modified: iso(error.lastModified),
  };
}
