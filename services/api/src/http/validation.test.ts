import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@scale/runtime';
import { z } from 'zod';
import { issueFieldErrors, parseOrThrow } from './validation.ts';

describe('validation', () => {
  it('validation - dotted field paths, one error per unknown key, DRF wording for missing fields', () => {
    const schema = z.object({ a: z.strictObject({ b: z.number() }), list: z.array(z.string()) });
    let error: unknown;
    try {
      parseOrThrow(schema, { a: { x: 1, y: 2 }, list: ['ok', 3] }, 'request body');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const details = (error as ValidationError).details;
    expect(details).toEqual([
      { field: 'a.b', message: 'This field is required.' },
      { field: 'a.x', message: 'Unrecognized field.' },
      { field: 'a.y', message: 'Unrecognized field.' },
      { field: 'list.1', message: 'Invalid input: expected string, received number' },
    ]);
    expect((error as ValidationError).message).toBe('Invalid request body: a.b: This field is required. (and 3 more)');
  });

  it('validation - a root-level problem has the (root) field', () => {
    const result = z.object({}).safeParse(1);
    expect(result.success).toBe(false);
    if (!result.success) expect(issueFieldErrors(result.error.issues)[0]?.field).toBe('(root)');
  });
});
