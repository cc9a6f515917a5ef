/** One container output line as the node agent publishes it on `subjects.log(jobExeId, stream)`. */
import { z } from 'zod';

export const LogLinePayload = z.object({
  line: z.string(),
  stream: z.enum(['stdout', 'stderr']),
  /** When the agent read the line: ISO-8601 with milliseconds. */
  ts: z.iso.datetime({ offset: true }),
  /** Per-execution line number, from 1. */
  n: z.number().int().nonnegative(),
});
export type LogLinePayload = z.infer<typeof LogLinePayload>;

export interface LogLine extends LogLinePayload {
  /** Stream sequence number in JetStream (the resume point for a live follow). */
  seq: number;
}

export type LogSelector = 'stdout' | 'stderr' | 'combined';

/** Scale's order: by timestamp, then line number; the stream sequence breaks any remaining tie. */
export function compareLines(a: LogLine, b: LogLine): number {
  return Date.parse(a.ts) - Date.parse(b.ts) || a.n - b.n || a.seq - b.seq;
}
