import { describe, expect, it } from '@jest/globals';
import { isRow, toRow } from './rows.ts';

const record = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({ line: 'hello', stream: 'stdout', ts: '2026-11-23T14:20:01.123Z', n: 3, ...fields });

describe('archive rows', () => {
  it('rows - a log record becomes a row keyed by execution and line number', () => {
    expect(toRow({ subject: 'scale.v1.logs.42.stdout', text: record() })).toEqual({
      job_exe_id: 42,
      n: 3,
      stream: 'stdout',
      ts: '2026-11-23T14:20:01.123Z',
      line: 'hello',
    });
  });

  it('rows - timestamps with an offset are stored in UTC', () => {
    const row = toRow({ subject: 'scale.v1.logs.42.stdout', text: record({ ts: '2026-11-23T16:20:01.123+02:00' }) });
    expect(isRow(row) && row.ts).toBe('2026-11-23T14:20:01.123Z');
  });

  it.each([
    ['not JSON', 'scale.v1.logs.42.stdout', 'hello', 'payload is not JSON'],
    ['not a record', 'scale.v1.logs.42.stdout', record({ n: 'x' }), 'payload is not a log record'],
    ['another subject', 'scale.v1.evt.job.status', record(), 'not a log subject'],
    ['stream mismatch', 'scale.v1.logs.42.stderr', record(), 'payload stream differs from the subject'],
  ])('rows - %s is malformed', (_, subject, text, reason) => {
    expect(toRow({ subject, text })).toEqual({ malformed: reason });
  });

  it('rows - the text is normalized as every reader serves it', () => {
    const row = toRow({ subject: 'scale.v1.logs.1.stdout', text: record({ line: 'a\u0000b' }) });
    expect(isRow(row) && row.line).toBe('a\uFFFDb');
  });
});
