import { describe, expect, it } from '@jest/globals';
import { TaskUpdate } from '@scale/contracts';
import { endMsgId, endUpdate, logMsgId, logRecord, runningMsgId, runningUpdate } from './messages.ts';

const token = { jobExeId: 9, jobId: 90, exeNum: 1, epoch: 3 };
const at = new Date('2026-01-01T00:00:00.123Z');

describe('messages', () => {
  it('logRecord - line, stream, ISO timestamp with ms and the line number', () => {
    expect(logRecord('hello', 'stderr', 4, at)).toEqual({
      line: 'hello',
      stream: 'stderr',
      ts: '2026-01-01T00:00:00.123Z',
      n: 4,
    });
  });

  it('message ids - are deterministic per execution', () => {
    expect(logMsgId(9, 4)).toBe('9:4');
    expect(runningMsgId(9)).toBe('9:RUNNING');
    expect(endMsgId(9)).toBe('9:END');
  });

  it('task updates - match the contract', () => {
    const updates = [
      runningUpdate(token, 'node-1', at),
      endUpdate(
        token,
        'node-1',
        at,
        { status: 'COMPLETED', output: { files: {}, json: { a: 1 } }, outputFiles: [] },
        [],
      ),
      endUpdate(
        token,
        'node-1',
        at,
        {
          status: 'COMPLETED',
          output: { files: {}, json: {} },
          outputFiles: [
            {
              outputName: 'image',
              workspaceId: 3,
              path: 'job/1.0.0/2026/01/01/job_exe_9/a.tif',
              fileName: 'a.tif',
              size: 12,
              mediaType: 'image/tiff',
            },
          ],
        },
        [],
      ),
      endUpdate(token, 'node-1', at, { status: 'FAILED', failure: { type: 'TIMEOUT' } }, []),
    ];
    for (const update of updates) expect(TaskUpdate.parse(update)).toEqual(update);
    expect(updates.map((u) => u.status)).toEqual(['RUNNING', 'COMPLETED', 'COMPLETED', 'FAILED']);
  });
});
