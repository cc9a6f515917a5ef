/** Scale's rule for started/ended parameters: an empty or reversed range is a client error, and some are capped. */
import type { FieldError } from '@scale/contracts';

const DAY_MS = 86_400_000;

export interface TimeRangeRule {
  /** Longest allowed range, ms; an open end counts up to `now`. */
  maxMs?: number;
  /** Needed only with maxMs. */
  now?: Date;
}

/** Field errors for a started/ended pair (empty when fine). Either end may be open. */
export function timeRangeErrors(
  started: Date | undefined,
  ended: Date | undefined,
  rule: TimeRangeRule = {},
): FieldError[] {
  if (started && ended) {
    if (started.getTime() === ended.getTime()) return [{ field: 'ended', message: 'Must differ from started.' }];
    if (started > ended) return [{ field: 'ended', message: 'Must come after started.' }];
  }
  if (rule.maxMs !== undefined && started) {
    // Scale checks the cap only when both ends are given; counting an open end up to now keeps the cap meaningful.
    const end = ended ?? rule.now ?? started;
    if (end.getTime() - started.getTime() > rule.maxMs) {
      return [{ field: 'started', message: `The time range must be at most ${Math.round(rule.maxMs / DAY_MS)} days.` }];
    }
  }
  return [];
}
