/** Renders log lines as Scale's log endpoint does: JSON hits (Elasticsearch-style), plain text or HTML. */
import type { LogLine } from './line.ts';

export interface LogSource {
  /** The execution's cluster id (Scale's `scale_job_exe`). */
  clusterId: string;
  hostname: string | null;
}

export function logHit(line: LogLine, source: LogSource) {
  return {
    _id: `${source.clusterId}.${line.seq}`,
    _source: {
      message: line.line,
      '@timestamp': line.ts,
      scale_order_num: line.n,
      scale_task: null,
      scale_job_exe: source.clusterId,
      scale_node: source.hostname,
      stream: line.stream,
    },
    sort: [Date.parse(line.ts), line.n],
  };
}

/** `{"hits": {"total": N, "hits": [{"_source": {message, @timestamp, scale_order_num, ...}}]}}` */
export function logJson(lines: readonly LogLine[], source: LogSource) {
  return { hits: { total: lines.length, hits: lines.map((line) => logHit(line, source)) } };
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
