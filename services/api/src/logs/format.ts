/**
 * Renders log lines as Scale's log endpoint does: JSON (seed 004's fields), plain text or HTML (stderr in red).
 *
 * Seed 004's example wraps the fields in `{ [ ... ] }`, which is not JSON. The closest valid reading is what its
 * field table says (`.message`, `.@timestamp`, ... at the top level): an array with one object per line.
 */
import type { LogLine } from '../domain/log-lines.ts';

export interface LogSource {
  /** The execution's cluster id (Scale's `scale_job_exe`). */
  clusterId: string;
  hostname: string | null;
}

export interface LogEntryJson {
  message: string;
  '@timestamp': string;
  /** Orders lines that share a timestamp: the per-execution line number. */
  scale_order_num: number;
  /** Scale's task id; our executions run one container and have no task ids of that kind. */
  scale_task: null;
  scale_job_exe: string;
  scale_node: string | null;
  stream: 'stdout' | 'stderr';
}

export function logEntry(line: LogLine, source: LogSource): LogEntryJson {
  return {
    message: line.line,
    '@timestamp': line.ts,
    scale_order_num: line.n,
    scale_task: null,
    scale_job_exe: source.clusterId,
    scale_node: source.hostname,
    stream: line.stream,
  };
}

export function logJson(lines: readonly LogLine[], source: LogSource): LogEntryJson[] {
  return lines.map((line) => logEntry(line, source));
}

export function logText(lines: readonly LogLine[]): string {
  return lines.map((l) => `${l.line}\n`).join('');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function logHtml(lines: readonly LogLine[]): string {
  const body = lines.map((l) => `<div class="${l.stream}">${escapeHtml(l.line)}</div>\n`).join('');
  return `<html><head><style>.stdout {} .stderr {color: red;}</style></head><body>${body}</body></html>`;
}
