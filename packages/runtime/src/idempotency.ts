/**
 * Correctness rule 6 (Idempotency-Key), as reference/reliability.md 2.4 has it: a retry with the same key and the same
 * request gets the first answer; the same key with a different request is an error, not a second effect or the first
 * answer to another question. A handler stores the request's fingerprint with the key and compares it on a replay.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@scale/contracts';
import { ValidationError } from './errors.ts';

/** How long a key is remembered where keys are kept apart from what they created (the idempotency_key table). */
export const IDEMPOTENCY_KEY_HOURS = 24;

/**
 * SHA-256 of what a command asks for (its key left out), with its kind: the same key sent to create a recipe and
 * then to reprocess one names two different requests. Key order does not matter.
 */
export function requestFingerprint(kind: string, request: object): string {
  const { idempotencyKey: _, ...asked } = request as { idempotencyKey?: unknown };
  return createHash('sha256')
    .update(canonicalJson({ kind, request: asked }))
    .digest('hex');
}

/**
 * Throws unless a replayed key carries the request it was first used for. Keys stored before fingerprints were
 * (null) are trusted.
 */
export function checkReplay(storedFingerprint: string | null, fingerprint: string): void {
  if (storedFingerprint !== null && storedFingerprint !== fingerprint) {
    throw ValidationError.field(
      'Idempotency-Key',
      'was already used for a different request; send a new key with a new request',
    );
  }
}
