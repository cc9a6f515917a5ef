import { z } from 'zod';

/** A database id in a URL path: digits only (anything else is a 404, as in Django). */
export function idParam(max = Number.MAX_SAFE_INTEGER) {
  return z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().positive().max(max));
}

export const MAX_INT = 2_147_483_647;
