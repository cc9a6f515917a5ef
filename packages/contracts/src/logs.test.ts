import { describe, expect, it } from '@jest/globals';
import { LogRecord, logSubjectParts, normalizeLogText } from './logs.ts';

describe('log record', () => {
  it('log record - round-trips the agent payload', () => {
    const record = { line: 'hello', stream: 'stdout', ts: '2026-11-23T14:20:01.123Z', n: 1 };
    expect(LogRecord.parse(JSON.parse(JSON.stringify(record)))).toEqual(record);
  });

  it.each([
    ['no line', { stream: 'stdout', ts: '2026-11-23T14:20:01.123Z', n: 1 }],
    ['bad stream', { line: 'x', stream: 'stdin', ts: '2026-11-23T14:20:01.123Z', n: 1 }],
    ['bad timestamp', { line: 'x', stream: 'stdout', ts: 'yesterday', n: 1 }],
    ['zero n', { line: 'x', stream: 'stdout', ts: '2026-11-23T14:20:01.123Z', n: 0 }],
    ['fractional n', { line: 'x', stream: 'stdout', ts: '2026-11-23T14:20:01.123Z', n: 1.5 }],
  ])('log record - refuses %s', (_, value) => {
    expect(LogRecord.safeParse(value).success).toBe(false);
  });

  it.each([
    ['scale.v1.logs.42.stderr', { jobExeId: 42, stream: 'stderr' }],
    ['t1.a.v1.logs.7.stdout', { jobExeId: 7, stream: 'stdout' }],
    ['scale.v1.logs.42.stdin', null],
    ['scale.v1.logs.x.stdout', null],
    ['scale.v1.logs.0.stdout', null],
    ['scale.v1.evt.42.stdout', null],
  ])('log subject - %s', (subject, parts) => {
    expect(logSubjectParts(subject)).toEqual(parts);
  });

  it.each([
    ['plain text', 'hello', 'hello'],
    ['NUL, which Postgres text refuses', 'a\u0000b', 'a\uFFFDb'],
    ['a lone surrogate', 'x\uD800y', 'x\uFFFDy'],
    ['a valid pair', 'smile \uD83D\uDE00', 'smile \uD83D\uDE00'],
    ['control characters, kept as data', '\u001b[31mred\r', '\u001b[31mred\r'],
  ])('log text - normalizeLogText keeps %s readable from every source', (_, input, output) => {
    expect(normalizeLogText(input)).toBe(output);
  });
});
