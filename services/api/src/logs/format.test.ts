import { describe, expect, it } from '@jest/globals';
import { logHtml, logJson, logText } from './format.ts';
import { compareLines, type LogLine } from './line.ts';

const line = (n: number, ts: string, stream: 'stdout' | 'stderr' = 'stdout', seq = n): LogLine => ({
  line: `line ${n}`,
  stream,
  ts,
  n,
  seq,
});

describe('log formats', () => {
  it('log lines - ordered by timestamp, then line number, then stream sequence', () => {
    const lines = [
      line(3, '2026-01-01T00:00:01.000Z'),
      line(2, '2026-01-01T00:00:01.000Z'),
      line(1, '2026-01-01T00:00:02.000Z'),
    ];
    expect(lines.sort(compareLines).map((l) => l.n)).toEqual([2, 3, 1]);
  });

  it('log formats - JSON hits, text lines and HTML', () => {
    const lines = [line(1, '2026-01-01T00:00:00.000Z'), line(2, '2026-01-01T00:00:01.000Z', 'stderr')];
    const json = logJson(lines, { clusterId: 'scale_1_1', hostname: 'h' });
    expect(json.hits.total).toBe(2);
    expect(json.hits.hits[1]?._source).toEqual({
      message: 'line 2',
      '@timestamp': '2026-01-01T00:00:01.000Z',
      scale_order_num: 2,
      scale_task: null,
      scale_job_exe: 'scale_1_1',
      scale_node: 'h',
      stream: 'stderr',
    });
    expect(logText(lines)).toBe('line 1\nline 2\n');
    expect(logHtml([{ ...line(1, '2026-01-01T00:00:00.000Z'), line: '<x>' }])).toContain(
      '<div class="stdout">&#60;x&#62;</div>',
    );
  });
});
