import { describe, expect, it } from '@jest/globals';
import { compareLines, type LogLine, mergeHistory, resumePoint, selectorStreams } from './log-lines.ts';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const line = (n: number, s: number, stream: 'stdout' | 'stderr' = 'stdout'): LogLine => ({
  line: `line ${n}`,
  stream,
  ts: at(s),
  n,
});

describe('log lines', () => {
  it('log lines - ordered by timestamp, then line number', () => {
    const lines = [line(3, 1), line(2, 1), line(1, 2)];
    expect(lines.sort(compareLines).map((l) => l.n)).toEqual([2, 3, 1]);
  });

  it.each([
    ['combined', ['stdout', 'stderr']],
    ['stdout', ['stdout']],
    ['stderr', ['stderr']],
  ] as const)('log lines - selector %s reads %j', (selector, streams) => {
    expect(selectorStreams(selector)).toEqual(streams);
  });

  it.each([
    {
      name: 'archive only',
      archived: [line(1, 0), line(2, 1)],
      streamed: [],
      max: 10,
      more: false,
      expected: [1, 2],
      truncated: false,
    },
    {
      name: 'stream only',
      archived: [],
      streamed: [line(1, 0), line(2, 1)],
      max: 10,
      more: false,
      expected: [1, 2],
      truncated: false,
    },
    {
      name: 'overlap while the archiver catches up: each n once',
      archived: [line(1, 0), line(2, 1), line(3, 2)],
      streamed: [line(2, 1), line(3, 2), line(4, 3)],
      max: 10,
      more: false,
      expected: [1, 2, 3, 4],
      truncated: false,
    },
    {
      name: 'timestamps win over line numbers',
      archived: [line(1, 5)],
      streamed: [line(2, 1, 'stderr')],
      max: 10,
      more: false,
      expected: [2, 1],
      truncated: false,
    },
    {
      name: 'cut at maxLines, oldest first',
      archived: [line(1, 0), line(2, 1)],
      streamed: [line(3, 2)],
      max: 2,
      more: false,
      expected: [1, 2],
      truncated: true,
    },
    {
      name: 'exactly maxLines is not cut',
      archived: [line(1, 0)],
      streamed: [line(2, 1)],
      max: 2,
      more: false,
      expected: [1, 2],
      truncated: false,
    },
    {
      name: 'unread stream lines make it truncated',
      archived: [],
      streamed: [line(1, 0)],
      max: 5,
      more: true,
      expected: [1],
      truncated: true,
    },
  ])('log lines - mergeHistory: $name', ({ archived, streamed, max, more, expected, truncated }) => {
    const merged = mergeHistory(archived, streamed, max, more);
    expect(merged.lines.map((l) => l.n)).toEqual(expected);
    expect(merged.truncated).toBe(truncated);
  });

  it.each([
    [undefined, undefined, 0],
    [undefined, 7, 7],
    ['12', 7, 12],
    [' 12 ', undefined, 12],
    ['0', 7, 0],
    ['abc', 7, 7],
    ['-3', undefined, 0],
    ['1.5', 4, 4],
  ])('log lines - resumePoint(Last-Event-ID %j, after %j) = %j', (header, after, expected) => {
    expect(resumePoint(header, after)).toBe(expected);
  });
});
