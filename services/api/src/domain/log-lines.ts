/**
 * Log lines as the API serves them, whatever their source (the live JetStream stream or the Postgres archive), and
 * the rules that combine the two sources. Pure.
 */

export type LogStream = 'stdout' | 'stderr';
export type LogSelector = LogStream | 'combined';

export interface LogLine {
  line: string;
  stream: LogStream;
  /** When the agent read the line: ISO-8601 UTC with milliseconds. */
  ts: string;
  /** Per-execution line number from 1, shared by stdout and stderr (Scale's `scale_order_num`). */
  n: number;
}

export function selectorStreams(selector: LogSelector): LogStream[] {
  return selector === 'combined' ? ['stdout', 'stderr'] : [selector];
}

/** Scale's order: by timestamp, then line number (unique within an execution). */
export function compareLines(a: LogLine, b: LogLine): number {
  return Date.parse(a.ts) - Date.parse(b.ts) || a.n - b.n;
}

export interface MergedHistory {
  lines: LogLine[];
  /** More lines matched than were returned. */
  truncated: boolean;
}

/**
 * One history out of the archive's lines and the stream's (a line may be in both while the archiver catches up):
 * each line number once, in Scale's order, at most `maxLines`, the oldest first.
 */
export function mergeHistory(
  archived: readonly LogLine[],
  streamed: readonly LogLine[],
  maxLines: number,
  moreUnread = false,
): MergedHistory {
  const byN = new Map<number, LogLine>();
  for (const line of archived) byN.set(line.n, line);
  for (const line of streamed) if (!byN.has(line.n)) byN.set(line.n, line);
  const lines = [...byN.values()].sort(compareLines);
  return { lines: lines.slice(0, maxLines), truncated: moreUnread || lines.length > maxLines };
}

/**
 * The point a follower resumes after: `Last-Event-ID` (what an SSE client sends on reconnect) wins over `?after=`;
 * both are the highest line number the client has. Anything else is "from the start".
 */
export function resumePoint(lastEventId: string | undefined, after: number | undefined): number {
  const fromHeader = lastEventId === undefined ? Number.NaN : Number(lastEventId.trim());
  if (Number.isSafeInteger(fromHeader) && fromHeader >= 0) return fromHeader;
  return after ?? 0;
}
