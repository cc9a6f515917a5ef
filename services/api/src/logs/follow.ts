/**
 * Follows one execution's log: first the lines the client does not have yet (from the Postgres archive and the
 * stream), then new lines as the agent publishes them, until the execution has ended and every line was sent.
 *
 * Lines go out by increasing line number `n`, each at most once; the client's position is the last `n` it got
 * (the SSE event id), so a reconnect resumes exactly. Where the sources overlap (the archiver copies lines the
 * follower also reads from the stream), the line number decides. A line the stream stored out of order (an agent's
 * retried publish landing after later lines) is skipped by a follower already past it; the history has it.
 *
 * Catch-up is a merge of two sequences ordered by `n`: archive pages (lines below the archiver's position) and an
 * ordered consumer on the stream from just above that position. Memory per follower is bounded by one archive
 * page, one pull batch and what the sink buffers (the sink applies backpressure by resolving late).
 *
 * End: the agent stores every line before it reports the end, and the scheduler stamps `job_exe.ended` after that
 * report. So once `ended` is seen, the last stored sequence of the execution's subjects is final; the follow ends
 * when the consumer has passed it.
 */
import type { EntityManager } from '@scale/db';
import type { LogLine, LogSelector } from '../domain/log-lines.ts';
import { readArchivedPage } from './archive.ts';
import { closeConsumer, type FetchedMessages, type LogStreamReader, type OpenedLog, toEntry } from './stream.ts';

export interface FollowQuery {
  jobExeId: number;
  selector: LogSelector;
  /** Send lines numbered above this (the client's last `n`; 0 for everything). */
  after: number;
}

export interface FollowSettings {
  /** How often the execution's end is checked in Postgres while following, ms. */
  endPollMs: number;
  /** Stream messages pulled at once: the follower's stream buffer. */
  pullBatch: number;
  /** Longest one pull waits for new lines before it is renewed, ms (the library's minimum is 1000). */
  pullExpiresMs: number;
  /** Archive lines read per query during catch-up. */
  archivePage: number;
}

export const DEFAULT_FOLLOW_SETTINGS: FollowSettings = {
  endPollMs: 1000,
  pullBatch: 256,
  pullExpiresMs: 30_000,
  archivePage: 500,
};

export interface FollowSources {
  em: () => EntityManager;
  stream: LogStreamReader;
  /** Whether the execution has ended (`job_exe.ended` is set). */
  isEnded: () => Promise<boolean>;
  log: { warn(details: object, message: string): void };
}

/** Where the lines go. `send` resolves once the line is written or buffered within the sink's bounds. */
export interface FollowSink {
  send(line: LogLine): Promise<void>;
}

/** `ended`: every line was sent; `stopped`: the caller aborted (client gone, server closing). */
export type FollowEnd = 'ended' | 'stopped';

/** Sleeps that `wakeAll` cuts short, so a stopping follower never waits out a timer. */
class Naps {
  readonly #pending = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#pending.add(done);
    });
  }

  wakeAll(): void {
    for (const done of [...this.#pending]) done();
  }
}

/** Archive lines above a line number, by line number, read one page at a time as the merge needs them. */
class ArchiveCursor {
  readonly #read: (afterN: number) => Promise<LogLine[]>;
  readonly #pageSize: number;
  #page: LogLine[] = [];
  #index = 0;
  #after: number;
  #exhausted = false;

  constructor(after: number, pageSize: number, read: (afterN: number) => Promise<LogLine[]>) {
    this.#after = after;
    this.#pageSize = pageSize;
    this.#read = read;
  }

  async head(): Promise<LogLine | undefined> {
    if (this.#index < this.#page.length) return this.#page[this.#index];
    if (this.#exhausted) return undefined;
    this.#page = await this.#read(this.#after);
    this.#index = 0;
    if (this.#page.length < this.#pageSize) this.#exhausted = true;
    const last = this.#page.at(-1);
    if (last) this.#after = last.n;
    return this.#page[0];
  }

  advance(): void {
    this.#index += 1;
  }
}

export async function followLog(
  sources: FollowSources,
  query: FollowQuery,
  settings: FollowSettings,
  sink: FollowSink,
  signal: AbortSignal,
): Promise<FollowEnd> {
  const { jobExeId, selector } = query;
  const naps = new Naps();
  let position = query.after;
  let stopped: FollowEnd | undefined;
  let current: FetchedMessages | undefined;
  let opened: OpenedLog | null = null;

  const stop = (why: FollowEnd) => {
    stopped ??= why;
    naps.wakeAll();
    void current?.close();
  };
  if (signal.aborted) return 'stopped';
  const floor = await sources.stream.archiveFloor();
  const onAbort = () => stop('stopped');
  signal.addEventListener('abort', onAbort, { once: true });
  /** Every stream sequence up to here is accounted for (below the floor: by the archive). */
  let seen = floor;
  /** Known once the execution has ended: the sequence of its last stored line. */
  let lastSeq: number | undefined;
  /** The archive has been merged in; from here on the stream alone is followed. */
  let caughtUp = false;
  const archive = new ArchiveCursor(position, settings.archivePage, (afterN) =>
    readArchivedPage(sources.em(), { jobExeId, selector, afterN, limit: settings.archivePage }),
  );
  const finished = () => caughtUp && lastSeq !== undefined && seen >= lastSeq;

  async function emit(line: LogLine): Promise<void> {
    if (line.n <= position) return;
    position = line.n;
    await sink.send(line);
  }

  /** Sends the archive's lines numbered below `n` (all of them for Infinity). */
  async function emitArchiveBelow(n: number): Promise<void> {
    for (;;) {
      const head = await archive.head();
      if (!head || head.n >= n || stopped) return;
      archive.advance();
      await emit(head);
    }
  }

  async function catchUp(): Promise<void> {
    await emitArchiveBelow(Number.POSITIVE_INFINITY);
    caughtUp = true;
  }

  const watcher = (async () => {
    while (!stopped && lastSeq === undefined) {
      try {
        if (await sources.isEnded()) lastSeq = (await sources.stream.last(jobExeId, selector)).seq;
      } catch (err) {
        sources.log.warn({ err, jobExeId }, 'log follow: cannot check the end of the execution, retrying');
      }
      if (finished()) stop('ended');
      if (lastSeq === undefined) await naps.sleep(settings.endPollMs);
    }
  })();

  try {
    while (!stopped) {
      if (!opened) {
        opened = await sources.stream.open(jobExeId, selector, { seq: floor + 1 });
        if (!opened) {
          // No LOGS stream yet (nothing was ever logged): serve the archive, then wait for the stream to appear.
          if (!caughtUp) await catchUp();
          if (lastSeq !== undefined) break;
          await naps.sleep(settings.endPollMs);
          continue;
        }
        if (opened.pending === 0 && !caughtUp) await catchUp();
      }
      if (finished()) break;
      const messages = await opened.consumer.fetch({
        max_messages: settings.pullBatch,
        expires: Math.max(1000, settings.pullExpiresMs),
      });
      current = messages;
      let received = 0;
      try {
        if (stopped) break;
        for await (const msg of messages) {
          received += 1;
          const entry = toEntry(msg);
          if (entry.line) {
            if (!caughtUp) await emitArchiveBelow(entry.line.n);
            await emit(entry.line);
          }
          seen = entry.seq;
          // Nothing more was stored when this one was delivered: the backlog is read, the rest is live.
          if (entry.pending === 0 && !caughtUp) await catchUp();
          if (finished() || stopped) break;
        }
      } finally {
        current = undefined;
        await messages.close();
      }
      if (received === 0 && !stopped) {
        // A whole pull without a message: nothing is pending (whatever was counted at creation aged out).
        if (!caughtUp) await catchUp();
        // And the execution has ended: every line it stored has been read.
        if (lastSeq !== undefined) break;
      }
      if (finished()) break;
    }
    return stopped === 'stopped' ? 'stopped' : 'ended';
  } finally {
    stopped ??= 'ended';
    naps.wakeAll();
    signal.removeEventListener('abort', onAbort);
    if (opened) await closeConsumer(opened);
    await watcher;
  }
}
