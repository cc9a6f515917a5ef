/**
 * Splits a text stream into lines across arbitrary chunk boundaries. A final line without '\n' is returned by
 * end(); '\r\n' endings lose the '\r'. A line longer than maxLength is cut into pieces, so a job that never prints
 * a newline cannot grow the agent's memory or exceed the NATS payload limit.
 */
export class LineSplitter {
  readonly #maxLength: number;
  #pending = '';

  constructor(maxLength = 64 * 1024) {
    this.#maxLength = maxLength;
  }

  push(chunk: string): string[] {
    const lines: string[] = [];
    const all = this.#pending + chunk;
    let start = 0;
    for (let newline = all.indexOf('\n'); newline >= 0; newline = all.indexOf('\n', start)) {
      lines.push(...this.#cut(stripCr(all.slice(start, newline))));
      start = newline + 1;
    }
    let text = all.slice(start);
    while (text.length > this.#maxLength) {
      lines.push(text.slice(0, this.#maxLength));
      text = text.slice(this.#maxLength);
    }
    this.#pending = text;
    return lines;
  }

  /** The unterminated last line, if any. */
  end(): string[] {
    const rest = this.#pending;
    this.#pending = '';
    return rest === '' ? [] : this.#cut(stripCr(rest));
  }

  #cut(line: string): string[] {
    if (line.length <= this.#maxLength) return [line];
    const pieces: string[] = [];
    for (let i = 0; i < line.length; i += this.#maxLength) pieces.push(line.slice(i, i + this.#maxLength));
    return pieces;
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
