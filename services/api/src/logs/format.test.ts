import { describe, expect, it } from '@jest/globals';
import type { LogLine } from '../domain/log-lines.ts';
import { logHtml, logJson, logText } from './format.ts';

const line = (n: number, ts: string, stream: 'stdout' | 'stderr' = 'stdout'): LogLine => ({
  line: `line ${n}`,
  stream,
  ts,
  n,
});

describe('log formats', () => {
  it('log formats - JSON: one object per line with the seed 004 field names', () => {
    const lines = [line(1, '2026-01-01T00:00:00.000Z'), line(2, '2026-01-01T00:00:01.000Z', 'stderr')];
    const json = logJson(lines, { clusterId: 'scale_1_1', hostname: 'h' });
    expect(json).toHaveLength(2);
    expect(json[1]).toEqual({
      message: 'line 2',
      '@timestamp': '2026-01-01T00:00:01.000Z',
      scale_order_num: 2,
      scale_task: null,
      scale_job_exe: 'scale_1_1',
      scale_node: 'h',
      stream: 'stderr',
    });
  });

  it('log formats - text lines and escaped HTML', () => {
    const lines = [line(1, '2026-01-01T00:00:00.000Z'), line(2, '2026-01-01T00:00:01.000Z', 'stderr')];
    expect(logText(lines)).toBe('line 1\nline 2\n');
    expect(logText([])).toBe('');
    const html = logHtml([{ ...line(1, '2026-01-01T00:00:00.000Z'), line: '<x>' }, lines[1]!]);
    expect(html).toContain('<div class="stdout">&#60;x&#62;</div>');
    expect(html).toContain('<div class="stderr">line 2</div>');
  });
});
