import { describe, expect, it } from '@jest/globals';
import { AppError } from './errors.ts';
import { checkReplay, requestFingerprint } from './idempotency.ts';

describe('idempotency', () => {
  it('idempotency - the fingerprint ignores the key and key order, not the kind or the content', () => {
    const first = requestFingerprint('queue-jobs', {
      idempotencyKey: 'a',
      jobs: [{ jobTypeId: 1, input: { x: 1, y: 2 } }],
    });
    expect(
      requestFingerprint('queue-jobs', { jobs: [{ input: { y: 2, x: 1 }, jobTypeId: 1 }], idempotencyKey: 'b' }),
    ).toBe(first);
    expect(requestFingerprint('queue-jobs', { jobs: [{ jobTypeId: 1, input: { x: 1, y: 3 } }] })).not.toBe(first);
    expect(requestFingerprint('recipes-create', { jobs: [{ jobTypeId: 1, input: { x: 1, y: 2 } }] })).not.toBe(first);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
  });

  it('idempotency - a replay of another request is a 400 naming Idempotency-Key; the same one or an old key passes', () => {
    const fingerprint = requestFingerprint('queue-jobs', { jobs: [] });
    expect(() => checkReplay(fingerprint, fingerprint)).not.toThrow();
    expect(() => checkReplay(null, fingerprint)).not.toThrow();
    let error: unknown;
    try {
      checkReplay(requestFingerprint('queue-jobs', { jobs: [{}] }), fingerprint);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).toBody()).toEqual({
      code: 'VALIDATION',
      message: 'Idempotency-Key: was already used for a different request; send a new key with a new request',
      details: [
        {
          field: 'Idempotency-Key',
          message: 'was already used for a different request; send a new key with a new request',
        },
      ],
    });
  });
});
