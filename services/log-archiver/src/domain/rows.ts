/** Turns stored log messages into archive rows. Pure. */
import { LogRecord, logSubjectParts, normalizeLogText } from '@scale/contracts';

export interface ArchiveRow {
  job_exe_id: number;
  n: number;
  stream: 'stdout' | 'stderr';
  /** ISO-8601 UTC. */
  ts: string;
  line: string;
}

/** A stored message as the archiver sees it: its subject and its payload text. */
export interface StoredLine {
  subject: string;
  text: string;
}

/** The archive row of one message, or the reason it cannot be archived (it is then dropped, never retried). */
export function toRow(message: StoredLine): ArchiveRow | { malformed: string } {
  const parts = logSubjectParts(message.subject);
  if (!parts) return { malformed: 'not a log subject' };
  let json: unknown;
  try {
    json = JSON.parse(message.text);
  } catch {
    return { malformed: 'payload is not JSON' };
  }
  const parsed = LogRecord.safeParse(json);
  if (!parsed.success) return { malformed: 'payload is not a log record' };
  if (parsed.data.stream !== parts.stream) return { malformed: 'payload stream differs from the subject' };
  return {
    job_exe_id: parts.jobExeId,
    n: parsed.data.n,
    stream: parsed.data.stream,
    ts: new Date(parsed.data.ts).toISOString(),
    line: normalizeLogText(parsed.data.line),
  };
}

export function isRow(value: ArchiveRow | { malformed: string }): value is ArchiveRow {
  return !('malformed' in value);
}
