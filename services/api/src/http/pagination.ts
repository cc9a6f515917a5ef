/** DRF page-number pagination: `page` (≥ 1) and `page_size` (1..1000, default 100) → {count, next, previous, results}. */
import { NotFoundError } from '@scale/runtime';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

const positiveInt = z.coerce.number({ error: 'A valid integer is required.' }).int('A valid integer is required.');

/** Spread into a route's querystring schema. */
export const PageQuery = {
  page: positiveInt.min(1, 'Ensure this value is greater than or equal to 1.').default(1),
  page_size: positiveInt
    .min(1, 'Ensure this value is greater than or equal to 1.')
    .max(1000, 'Ensure this value is less than or equal to 1000.')
    .default(100),
};

export interface PageParams {
  page: number;
  page_size: number;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export function pageWindow({ page, page_size }: PageParams): { limit: number; offset: number } {
  return { limit: page_size, offset: (page - 1) * page_size };
}

/** Absolute URL of another page of the current request, keeping every other query parameter. */
function pageUrl(request: FastifyRequest, page: number): string {
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  if (page === 1) url.searchParams.delete('page');
  else url.searchParams.set('page', String(page));
  return url.toString();
}

/** Builds the page body; a page past the last one is a 404 "Invalid page." as in DRF. */
export function buildPage<T>(request: FastifyRequest, params: PageParams, count: number, results: T[]): Page<T> {
  const lastPage = Math.max(1, Math.ceil(count / params.page_size));
  if (params.page > lastPage) throw new NotFoundError('Invalid page.');
  return {
    count,
    next: params.page < lastPage ? pageUrl(request, params.page + 1) : null,
    previous: params.page > 1 ? pageUrl(request, params.page - 1) : null,
    results,
  };
}
