/** The executions this agent is responsible for right now, from launch (or adoption) until the end is reported. */
import type { ExecutionToken, LaunchExecution } from '@scale/contracts';
import type { OutputAttachment } from '../adapters/docker/container-runtime.ts';
import type { LogPublisher } from '../adapters/nats/log-publisher.ts';
import type { Timeline } from '../domain/timeline.ts';

export type Phase = 'starting' | 'running' | 'finishing';

export interface Tracked {
  token: ExecutionToken;
  name: string;
  phase: Phase;
  /** Absent for an adopted container whose launch record is gone. */
  launch: LaunchExecution | undefined;
  timeline: Timeline;
  timedOut: boolean;
  killReason: string | undefined;
  /** Fires on agent stop: stop waiting, leave the container running for the next start to adopt. */
  abort: AbortController;
  attachment: OutputAttachment | undefined;
  logs: LogPublisher | undefined;
  supervision: Promise<void> | undefined;
}

/**
 * How many ended or killed executions to remember, so a late copy of their launch (a scheduler resend after the
 * JetStream duplicate window) does not run them again.
 */
const TOMBSTONES = 1000;

function remember<V>(map: Map<number, V>, key: number, value: V): void {
  map.set(key, value);
  if (map.size > TOMBSTONES) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

export class Registry {
  readonly #tracked = new Map<number, Tracked>();
  readonly #killed = new Map<number, string>();
  readonly #ended = new Map<number, true>();

  get(jobExeId: number): Tracked | undefined {
    return this.#tracked.get(jobExeId);
  }

  /** Tracks the execution; callers check get() first and must not await in between. */
  add(token: ExecutionToken, name: string, launch: LaunchExecution | undefined): Tracked {
    const tracked: Tracked = {
      token,
      name,
      phase: 'starting',
      launch,
      timeline: {},
      timedOut: false,
      killReason: undefined,
      abort: new AbortController(),
      attachment: undefined,
      logs: undefined,
      supervision: undefined,
    };
    this.#tracked.set(token.jobExeId, tracked);
    return tracked;
  }

  delete(jobExeId: number): void {
    this.#tracked.delete(jobExeId);
  }

  /** The end of this execution is reported: stop tracking it and ignore later launches of it. */
  ended(jobExeId: number): void {
    this.#tracked.delete(jobExeId);
    remember(this.#ended, jobExeId, true);
  }

  hasEnded(jobExeId: number): boolean {
    return this.#ended.has(jobExeId);
  }

  all(): Tracked[] {
    return [...this.#tracked.values()];
  }

  ids(): number[] {
    return [...this.#tracked.keys()];
  }

  rememberKill(jobExeId: number, reason: string): void {
    remember(this.#killed, jobExeId, reason);
  }

  killReason(jobExeId: number): string | undefined {
    return this.#killed.get(jobExeId);
  }
}
