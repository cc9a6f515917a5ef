/**
 * SQL for a bulk command's JobFilter: a WHERE clause over `job j` with `?` parameters. Pure: values never enter the
 * SQL text, only placeholders do. Criteria are ANDed; each list is an OR (SQL `in`).
 */
import type { JobFilter } from '@scale/contracts';

export interface SqlWhere {
  /** Conditions over `job j`, without the WHERE keyword; "true" when the filter is empty. */
  sql: string;
  params: unknown[];
}

export function jobFilterWhere(filter: JobFilter): SqlWhere {
  const parts: string[] = [];
  const params: unknown[] = [];
  const list = (column: string, values: readonly unknown[] | undefined) => {
    if (values === undefined) return;
    if (values.length === 0) {
      parts.push('false');
      return;
    }
    parts.push(`${column} in (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (filter.started !== undefined) {
    parts.push('j.last_modified >= ?');
    params.push(filter.started);
  }
  if (filter.ended !== undefined) {
    parts.push('j.last_modified <= ?');
    params.push(filter.ended);
  }
  list('j.status', filter.statuses);
  list('j.id', filter.jobIds);
  list('j.job_type_id', filter.jobTypeIds);
  if (filter.jobTypeNames !== undefined) {
    if (filter.jobTypeNames.length === 0) parts.push('false');
    else {
      parts.push(
        `j.job_type_id in (select id from job_type where name in (${filter.jobTypeNames.map(() => '?').join(', ')}))`,
      );
      params.push(...filter.jobTypeNames);
    }
  }
  list('j.batch_id', filter.batchIds);
  list('j.recipe_id', filter.recipeIds);
  list('j.error_id', filter.errorIds);
  if (filter.errorCategories !== undefined) {
    if (filter.errorCategories.length === 0) parts.push('false');
    else {
      parts.push(
        `j.error_id in (select id from error where category in (${filter.errorCategories.map(() => '?').join(', ')}))`,
      );
      params.push(...filter.errorCategories);
    }
  }
  if (filter.isSuperseded !== undefined) {
    parts.push('j.is_superseded = ?');
    params.push(filter.isSuperseded);
  }
  return { sql: parts.length ? parts.join(' and ') : 'true', params };
}
