/**
 * Evaluates a condition node's data filter (data.rst "Data Filter JSON") against the data it receives. Follows
 * Scale's rules, where its code and documentation agree, and its documentation where they do not:
 * - an empty filter list accepts nothing; `all` (default true) ANDs the filters, false ORs them;
 * - a filter on a value the data does not hold fails;
 * - file filters (filename, media-type, data-type, meta-data) test each file: `all_files` (default false) asks
 *   every file to pass, otherwise one is enough; a filter on no files fails;
 * - with `fields`, each key path is read from the object (or the file's meta-data) and compared with the value at
 *   the same position; `all_fields` (default true) asks every field to pass.
 */
import type { Data, DataFilter, DataFilterRule, FilterCondition } from '@scale/contracts';
import type { FileFacts } from './tree.ts';

const FILE_TYPES = new Set(['filename', 'media-type', 'data-type', 'meta-data']);

export function isFileFilter(rule: DataFilterRule): boolean {
  return FILE_TYPES.has(rule.type);
}

export function evaluateFilter(filter: DataFilter, data: Data, files: Readonly<Record<number, FileFacts>>): boolean {
  const rules = filter.filters ?? [];
  if (rules.length === 0) return false;
  const results = rules.map((rule) => evaluateRule(rule, data, files));
  return (filter.all ?? true) ? results.every(Boolean) : results.some(Boolean);
}

function evaluateRule(rule: DataFilterRule, data: Data, files: Readonly<Record<number, FileFacts>>): boolean {
  if (isFileFilter(rule)) {
    const ids = data.files[rule.name];
    if (!ids || ids.length === 0) return false;
    const facts = ids.map((id) => files[id]);
    if (facts.some((f) => f === undefined)) return false;
    return evaluateFiles(rule, facts as FileFacts[]);
  }
  if (!(rule.name in data.json)) return false;
  const value = data.json[rule.name];
  if (rule.type === 'object' && rule.fields) return fieldsPass(rule, value);
  return test(rule.condition, value, rule.values);
}

function evaluateFiles(rule: DataFilterRule, facts: FileFacts[]): boolean {
  const perFile = (f: FileFacts): boolean => {
    switch (rule.type) {
      case 'filename':
        return test(rule.condition, f.fileName, rule.values);
      case 'media-type':
        return test(rule.condition, f.mediaType, rule.values);
      case 'data-type':
        // A file passes when one of its data type tags does, or when the tag list itself does ("contains").
        return (
          test(rule.condition, f.dataTypes, rule.values) ||
          f.dataTypes.some((t) => test(rule.condition, t, rule.values))
        );
      default:
        return rule.fields ? fieldsPass(rule, f.metaData ?? {}) : test(rule.condition, f.metaData ?? {}, rule.values);
    }
  };
  return (rule.all_files ?? false) ? facts.every(perFile) : facts.some(perFile);
}

function fieldsPass(rule: DataFilterRule, value: unknown): boolean {
  const fields = rule.fields ?? [];
  const results = fields.map((path, index) => {
    const expected = rule.values[index];
    return test(rule.condition, nested(value, path), Array.isArray(expected) ? expected : [expected]);
  });
  return (rule.all_fields ?? true) ? results.every(Boolean) : results.some(Boolean);
}

function nested(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current) || !(key in current)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** One condition of value against the filter's values (the first one, or the first two for "between"). */
export function test(condition: FilterCondition, value: unknown, values: readonly unknown[]): boolean {
  const [first, second] = values;
  switch (condition) {
    case '<':
      return comparable(value, first) && (value as number) < (first as number);
    case '<=':
      return comparable(value, first) && (value as number) <= (first as number);
    case '>':
      return comparable(value, first) && (value as number) > (first as number);
    case '>=':
      return comparable(value, first) && (value as number) >= (first as number);
    case '==':
      return values.length > 0 && equal(value, first);
    case '!=':
      return values.length > 0 && !equal(value, first);
    case 'between':
      return (
        comparable(value, first) &&
        comparable(value, second) &&
        (value as number) >= (first as number) &&
        (value as number) <= (second as number)
      );
    case 'in':
      return values.some((v) => equal(value, v) || contains(v, value));
    case 'not in':
      return values.length > 0 && !values.some((v) => equal(value, v) || contains(v, value));
    case 'contains':
      return values.some((v) => contains(value, v));
    case 'subset of':
      return (
        isObject(value) && isObject(first) && Object.entries(value).every(([k, v]) => k in first && equal(first[k], v))
      );
    case 'superset of':
      return (
        isObject(value) && isObject(first) && Object.entries(first).every(([k, v]) => k in value && equal(value[k], v))
      );
  }
}

function comparable(a: unknown, b: unknown): boolean {
  return (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A string holds a substring, an array an equal element. */
function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') return typeof item === 'string' && container.includes(item);
  if (Array.isArray(container)) return container.some((element) => equal(element, item));
  return false;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => equal(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && equal(a[k], b[k]));
  }
  return false;
}
