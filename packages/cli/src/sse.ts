/**
 * An incremental parser of server-sent events (WHATWG HTML, "Server-sent events"): feed it chunks as they arrive,
 * get back the complete events. Pure.
 */

export interface SseMessage {
  /** The event's `id:`, or the last one seen on the stream (what EventSource calls lastEventId). */
  id: string | undefined;
  event: string;
  data: string;
}

export class SseParser {
  #buffer = '';
  #lastId: string | undefined;
  #event = '';
  #data: string[] = [];

  get lastEventId(): string | undefined {
    return this.#lastId;
  }

  /** Feeds text; returns the events it completed. */
  push(text: string): SseMessage[] {
    this.#buffer += text;
    const events: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer);
      // A lone CR at the end may be the first half of CRLF: wait for the next chunk.
      if (!match || (match[0] === '\r' && match.index === this.#buffer.length - 1)) break;
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      const event = this.#line(line);
      if (event) events.push(event);
    }
    return events;
  }

  #line(line: string): SseMessage | undefined {
    if (line === '') {
      if (this.#data.length === 0) {
        this.#event = '';
        return undefined;
      }
      const event = { id: this.#lastId, event: this.#event || 'message', data: this.#data.join('\n') };
      this.#event = '';
      this.#data = [];
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\0')) this.#lastId = value;
    return undefined;
  }
}
