/**
 * The log record every node agent publishes on `<prefix>.v1.logs.<jobExeId>.<stdout|stderr>` (stream P_LOGS), one
 * message per container output line, message id `<jobExeId>:<n>`. Read by the API (history, live follow) and by
 * the log archiver (copies the stream into Postgres).
 */
import { z } from 'zod';

export const LogRecord = z.object({
  /** The line without its newline. */
  line: z.string(),
  stream: z.enum(['stdout', 'stderr']),
  /** When the agent read the line: ISO-8601 with milliseconds. */
  ts: z.iso.datetime({ offset: true }),
  /** Per-execution line number from 1, shared by stdout and stderr: the order the agent read the lines. */
  n: z.number().int().positive().max(2_147_483_647),
});
export type LogRecord = z.infer<typeof LogRecord>;

/** The execution id and stream named by a log subject's last two tokens, or null for any other subject. */
export function logSubjectParts(subject: string): { jobExeId: number; stream: 'stdout' | 'stderr' } | null {
  const tokens = subject.split('.');
  const stream = tokens.at(-1);
  const id = Number(tokens.at(-2));
  if (tokens.at(-3) !== 'logs' || (stream !== 'stdout' && stream !== 'stderr')) return null;
  if (!Number.isSafeInteger(id) || id < 1) return null;
  return { jobExeId: id, stream };
}

/**
 * A line's text as every reader serves it. The archive is Postgres text, which refuses NUL and stores lone UTF-16
 * surrogates as U+FFFD; readers of the stream apply the same rule, so a line reads the same before and after it is
 * archived.
 */
export function normalizeLogText(text: string): string {
  return text.toWellFormed().replaceAll('\u0000', '\uFFFD');
}
