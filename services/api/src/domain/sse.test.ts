import { describe, expect, it } from '@jest/globals';
import { sseComment, sseEvent, sseRetry } from './sse.ts';

describe('server-sent events', () => {
  it.each([
    ['data only', { data: 'x' }, 'data: x\n\n'],
    ['id, type and data', { id: 7, event: 'end', data: '{}' }, 'id: 7\nevent: end\ndata: {}\n\n'],
    ['multi-line data', { data: 'a\nb\r\nc\rd' }, 'data: a\ndata: b\ndata: c\ndata: d\n\n'],
    ['an id cannot break the frame', { id: '1\n2', data: '' }, 'id: 12\ndata: \n\n'],
  ])('sse - %s', (_, event, frame) => {
    expect(sseEvent(event)).toBe(frame);
  });

  it('sse - comments and retry', () => {
    expect(sseComment('keep-alive')).toBe(': keep-alive\n\n');
    expect(sseComment('a\nb')).toBe(': a b\n\n');
    expect(sseRetry(2500.7)).toBe('retry: 2500\n\n');
  });
});
