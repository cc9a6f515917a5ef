/**
 * Publishes one execution's output lines to the LOGS stream, in the order they were read.
 *
 * Publishes are pipelined on the one connection (NATS keeps a connection's messages in order) with a bounded
 * number awaiting their acks; when the window is full the source is paused, so a chatty job slows down instead
 * of filling the agent's memory.
 */
import type { LogStreamName, Subjects } from '@scale/contracts';
import { type JetStreamClient, type Logger, publishDurable } from '@scale/runtime';
import { logMsgId, logRecord } from '../../domain/messages.ts';

export interface FlowControl {
  pause(): void;
  resume(): void;
}

const WINDOW = 256;

export class LogPublisher {
  readonly #js: JetStreamClient;
  readonly #subjects: Subjects;
  readonly #jobExeId: number;
  readonly #now: () => Date;
  readonly #log: Logger;
  readonly #inflight = new Set<Promise<void>>();
  #n = 0;
  #paused = false;
  #flow: FlowControl | undefined;
  #failed = 0;

  /** `published`: lines an earlier run of the agent already published (an adopted container); numbering goes on. */
  constructor(js: JetStreamClient, subjects: Subjects, jobExeId: number, now: () => Date, log: Logger, published = 0) {
    this.#n = published;
    this.#js = js;
    this.#subjects = subjects;
    this.#jobExeId = jobExeId;
    this.#now = now;
    this.#log = log;
  }

  /** The source to pause while the window is full (attached after the container's output is). */
  setFlowControl(flow: FlowControl): void {
    this.#flow = flow;
  }

  line(stream: LogStreamName, text: string): void {
    const n = ++this.#n;
    const subject = this.#subjects.log(this.#jobExeId, stream);
    const record = logRecord(text, stream, n, this.#now());
    const msgId = logMsgId(this.#jobExeId, n);
    const publish = publishDurable(this.#js, subject, record, msgId)
      // One retry; the deterministic msgID makes it harmless if the first one did land.
      .catch(() => publishDurable(this.#js, subject, record, msgId))
      .catch((err: unknown) => {
        this.#failed++;
        this.#log.warn({ err, jobExeId: this.#jobExeId, n }, 'log line lost');
      })
      .finally(() => {
        this.#inflight.delete(publish);
        if (this.#paused && this.#inflight.size < WINDOW / 2) {
          this.#paused = false;
          this.#flow?.resume();
        }
      });
    this.#inflight.add(publish);
    if (!this.#paused && this.#inflight.size >= WINDOW) {
      this.#paused = true;
      this.#flow?.pause();
    }
  }

  /** Lines published so far (the last n). */
  get count(): number {
    return this.#n;
  }

  get failed(): number {
    return this.#failed;
  }

  /**
   * Resolves with n once every line up to n is stored (or given up on); n is the last line handed over when
   * called. Unlike flush(), this does not wait for lines that come later.
   */
  async settled(): Promise<number> {
    const n = this.#n;
    await Promise.allSettled([...this.#inflight]);
    return n;
  }

  /** Resolves once every line handed over so far is stored (or given up on). */
  async flush(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.all([...this.#inflight]);
  }
}
