/** Server-sent events framing (WHATWG HTML, "Server-sent events"). Pure. */

export interface SseEvent {
  /** Becomes the client's `lastEventId`, sent back as `Last-Event-ID` when it reconnects. */
  id?: string | number;
  /** Event type; clients listen with addEventListener(type). Omitted: "message". */
  event?: string;
  data: string;
}

/** CR, LF and CRLF all end a field line, so each line of the data becomes its own `data:` field. */
export function sseEvent({ id, event, data }: SseEvent): string {
  let frame = '';
  if (id !== undefined) frame += `id: ${String(id).replace(/[\r\n\0]/g, '')}\n`;
  if (event !== undefined) frame += `event: ${event.replace(/[\r\n]/g, '')}\n`;
  for (const line of data.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

/** A comment line: ignored by clients, keeps proxies from closing an idle connection. */
export function sseComment(text = ''): string {
  return `: ${text.replace(/[\r\n]/g, ' ')}\n\n`;
}

/** How long a client waits before reconnecting, ms. */
export function sseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.trunc(ms))}\n\n`;
}
