import { describe, expect, it } from '@jest/globals';
import type { JobStatus } from '@scale/contracts';
import { type QueuedJobFacts, type QueueFacts, queueReason, topReasons } from './queue-reason.ts';

const running: QueueFacts = { schedulerPaused: false, readyNodes: 2 };
const job = (over: Partial<QueuedJobFacts> = {}): QueuedJobFacts => ({
  status: 'QUEUED',
  jobType: { name: 'word-count', version: '1.0.0', isPaused: false },
  unplaceable: false,
  queueReason: null,
  ...over,
});
const pausedType = { name: 'word-count', version: '1.0.0', isPaused: true };
const parkedWhy = 'needs 64 GiB mem; largest node offers 16 GiB';

describe('queue reason', () => {
  const cases: [string, QueuedJobFacts, QueueFacts, string | null][] = [
    ['a queued job with nothing known waits in the queue', job(), running, 'waiting in queue'],
    [
      'the scheduler pause wins over everything',
      job({ jobType: pausedType, unplaceable: true, queueReason: parkedWhy }),
      { schedulerPaused: true, readyNodes: 0 },
      'scheduler is paused',
    ],
    [
      'a paused job type comes next',
      job({ jobType: pausedType, queueReason: 'waiting for resources' }),
      { schedulerPaused: false, readyNodes: 0 },
      'job type word-count 1.0.0 is paused',
    ],
    [
      'no READY node comes before what the last pass wrote',
      job({ unplaceable: true, queueReason: parkedWhy }),
      { schedulerPaused: false, readyNodes: 0 },
      'no node is online',
    ],
    ['a parked job says why no node fits it', job({ unplaceable: true, queueReason: parkedWhy }), running, parkedWhy],
    [
      'a parked job without a stored reason still answers',
      job({ unplaceable: true }),
      running,
      'no node can ever fit it',
    ],
    [
      'the last pass reason of a job that is not parked',
      job({ queueReason: 'job type at its max_scheduled limit (2)' }),
      running,
      'job type at its max_scheduled limit (2)',
    ],
    ['a blank stored reason counts as none', job({ queueReason: '  ' }), running, 'waiting in queue'],
  ];
  for (const [name, facts, cluster, expected] of cases) {
    it(`queue reason - ${name}`, () => {
      expect(queueReason(facts, cluster)).toBe(expected);
    });
  }

  const notQueued: JobStatus[] = ['PENDING', 'BLOCKED', 'RUNNING', 'FAILED', 'COMPLETED', 'CANCELED'];
  for (const status of notQueued) {
    it(`queue reason - a ${status} job has none, even while the scheduler is paused`, () => {
      expect(queueReason(job({ status, queueReason: 'stale' }), { schedulerPaused: true, readyNodes: 0 })).toBeNull();
    });
  }
});

describe('top reasons', () => {
  it('top reasons - merges equal reasons, most common first, ties by text, cut at the limit', () => {
    expect(
      topReasons(
        [
          { reason: 'waiting in queue', count: 2 },
          { reason: 'b', count: 3 },
          { reason: 'a', count: 3 },
          { reason: 'waiting in queue', count: 2 },
          { reason: 'rare', count: 1 },
        ],
        3,
      ),
    ).toEqual([
      { reason: 'waiting in queue', count: 4 },
      { reason: 'a', count: 3 },
      { reason: 'b', count: 3 },
    ]);
  });

  it('top reasons - nothing in, nothing out', () => {
    expect(topReasons([], 5)).toEqual([]);
  });
});
