import { describe, expect, it } from '@jest/globals';
import { SseParser } from './sse.ts';

describe('sse parser', () => {
  it.each([
    ['one event', ['id: 1\ndata: {"a":1}\n\n'], [{ id: '1', event: 'message', data: '{"a":1}' }]],
    ['split anywhere', ['id: 1\nda', 'ta: x\n', '\n'], [{ id: '1', event: 'message', data: 'x' }]],
    ['CRLF split between chunks', ['data: x\r', '\n\r\n'], [{ id: undefined, event: 'message', data: 'x' }]],
    ['CR only', ['data: x\r\r:'], [{ id: undefined, event: 'message', data: 'x' }]],
    [
      'typed events and multi-line data',
      ['event: end\ndata: a\ndata: b\n\n'],
      [{ id: undefined, event: 'end', data: 'a\nb' }],
    ],
    ['comments and retry are skipped', [': keep-alive\n\nretry: 2000\n\n'], []],
    ['no space after the colon', ['data:x\n\n'], [{ id: undefined, event: 'message', data: 'x' }]],
    ['an event without data is dropped', ['event: end\n\n'], []],
    [
      'the id carries over to later events',
      ['id: 5\ndata: a\n\ndata: b\n\n'],
      [
        { id: '5', event: 'message', data: 'a' },
        { id: '5', event: 'message', data: 'b' },
      ],
    ],
  ])('sse - %s', (_, chunks, expected) => {
    const parser = new SseParser();
    expect(chunks.flatMap((chunk) => parser.push(chunk))).toEqual(expected);
  });

  it('sse - remembers the last event id', () => {
    const parser = new SseParser();
    parser.push('id: 3\ndata: x\n\nid: 4\ndata: y\n');
    expect(parser.lastEventId).toBe('4');
  });
});
