/**
 * Scale's `order` parameter: repeatable, each value a field name, `-` in front for descending
 * (`order=-last_modified&order=id`). Only fields the caller allows are accepted: an order nobody indexed is a
 * table sort at a million rows, so unknown fields are a 400 rather than a slow page.
 */

export interface OrderTerm<F extends string> {
  field: F;
  descending: boolean;
}

export type OrderResult<F extends string> = { ok: true; terms: OrderTerm<F>[] } | { ok: false; errors: string[] };

/** Parses every value; a field named twice keeps its first position and direction (later ones add nothing). */
export function parseOrder<F extends string>(values: readonly string[], allowed: readonly F[]): OrderResult<F> {
  const terms: OrderTerm<F>[] = [];
  const errors: string[] = [];
  for (const raw of values) {
    const value = raw.trim();
    const descending = value.startsWith('-');
    const field = (descending ? value.slice(1) : value) as F;
    if (!allowed.includes(field)) {
      errors.push(`"${raw}" is not a valid order field; choose from ${allowed.join(', ')} (prefix - to reverse).`);
      continue;
    }
    if (!terms.some((t) => t.field === field)) terms.push({ field, descending });
  }
  return errors.length ? { ok: false, errors } : { ok: true, terms };
}
