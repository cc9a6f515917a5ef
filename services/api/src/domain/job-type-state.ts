/** Active/paused flags of a job type and the timestamps that record when they last changed (Scale's model). */

export interface JobTypeState {
  isActive: boolean;
  /** When the job type was deprecated (v5: archived); null while active. */
  deprecated: Date | null;
  isPaused: boolean;
  /** When the job type was paused; null while not paused. */
  paused: Date | null;
}

export interface StateChange {
  isActive?: boolean | undefined;
  isPaused?: boolean | undefined;
}

/** Applies a PATCH's flags; a flag sent with its current value leaves its timestamp alone. */
export function nextState(current: JobTypeState, change: StateChange, now: Date): JobTypeState {
  const next = { ...current };
  if (change.isActive !== undefined && change.isActive !== current.isActive) {
    next.isActive = change.isActive;
    next.deprecated = change.isActive ? null : now;
  }
  if (change.isPaused !== undefined && change.isPaused !== current.isPaused) {
    next.isPaused = change.isPaused;
    next.paused = change.isPaused ? now : null;
  }
  return next;
}
