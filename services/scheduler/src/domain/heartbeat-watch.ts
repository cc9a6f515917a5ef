/**
 * Whether the scheduler may judge nodes lost by their last recorded heartbeat (and executions stuck by their
 * deadlines). Only a scheduler that has been able to hear and record heartbeats for a whole node-lost deadline may:
 * one that was stopped, cut off from NATS or from Postgres missed the beats of healthy nodes (and has a backlog of
 * task updates to read), and judging by their stale rows would fail every running execution of the cluster at once
 * (Nomad waits out a failover heartbeat TTL for the same reason; reference/reliability.md 2.5). Times are monotonic
 * milliseconds (performance.now()).
 */
export class HeartbeatWatch {
  #since: number | null = null;

  /** Heartbeats can arrive and be recorded from now on: the process subscribed, NATS reconnected, Postgres answered. */
  listening(now: number): void {
    this.#since = now;
  }

  /** Heartbeats may be missed from now on (NATS disconnected): no node is judged until listening() again. */
  deaf(): void {
    this.#since = null;
  }

  /** True once heartbeats have been heard for at least nodeLostMs without a break. */
  canJudge(now: number, nodeLostMs: number): boolean {
    return this.#since !== null && now - this.#since >= nodeLostMs;
  }
}
