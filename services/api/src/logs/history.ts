/**
 * The stored history of one execution's log, without waiting for new lines: the Postgres archive up to the log
 * archiver's position, plus the stream beyond it (lines the archiver has not copied yet). A line in both (the
 * archiver copied it after we read its position) is served once: the line number is the key. Lines that aged out
 * of the stream are served from the archive; 204 only when neither source has a line.
 */
import type { EntityManager } from '@scale/db';
import { type LogLine, type LogSelector, type MergedHistory, mergeHistory } from '../domain/log-lines.ts';
import { readArchivedHistory } from './archive.ts';
import { closeConsumer, type LogStreamReader, type StartAt, toEntry } from './stream.ts';

export interface LogHistoryQuery {
  jobExeId: number;
  selector: LogSelector;
  /** Only lines stamped at or after this instant (Scale's `started`). */
  since?: Date;
  /** Most lines returned; the oldest ones win. */
  maxLines: number;
}

export interface LogSources {
  em: EntityManager;
  stream: LogStreamReader;
  /** Deadline of one pull from the stream, ms (≥ 1000, the library's minimum). */
  pullTimeoutMs: number;
}

/** Agents stamp lines with their own clock: a scan by time starts earlier than `since` to absorb clock skew. */
const CLOCK_SKEW_MS = 60_000;
const PULL_BATCH = 1000;

interface StreamTail {
  lines: LogLine[];
  /** Matching lines were left unread (the cap was reached). */
  more: boolean;
}

async function readStreamTail(sources: LogSources, query: LogHistoryQuery, floor: number): Promise<StreamTail> {
  // Past the archiver's position the stream is the only copy; below it, the archive has every line.
  const start: StartAt =
    floor > 0 || !query.since ? { seq: floor + 1 } : { time: new Date(query.since.getTime() - CLOCK_SKEW_MS) };
  const opened = await sources.stream.open(query.jobExeId, query.selector, start);
  if (!opened) return { lines: [], more: false };
  const since = query.since?.getTime();
  const lines: LogLine[] = [];
  // Read what was stored when the consumer was created; lines logged meanwhile belong to the next request.
  let unread = opened.pending;
  try {
    while (unread > 0 && lines.length <= query.maxLines) {
      const messages = await opened.consumer.fetch({
        max_messages: Math.min(unread, PULL_BATCH),
        expires: Math.max(1000, sources.pullTimeoutMs),
      });
      let received = 0;
      for await (const msg of messages) {
        received += 1;
        const entry = toEntry(msg);
        unread = Math.min(unread - 1, entry.pending);
        if (entry.line && (since === undefined || Date.parse(entry.line.ts) >= since)) lines.push(entry.line);
      }
      // Nothing came within the deadline: the rest aged out of the stream while we read.
      if (received === 0) break;
    }
  } finally {
    await closeConsumer(opened);
  }
  return { lines, more: unread > 0 };
}

export async function readLogHistory(sources: LogSources, query: LogHistoryQuery): Promise<MergedHistory> {
  const floor = await sources.stream.archiveFloor();
  // The floor is read first: every line at or below it was committed before the archive query starts.
  const [archived, tail] = await Promise.all([
    readArchivedHistory(sources.em, { ...query, limit: query.maxLines + 1 }),
    readStreamTail(sources, query, floor),
  ]);
  return mergeHistory(archived, tail.lines, query.maxLines, tail.more);
}
