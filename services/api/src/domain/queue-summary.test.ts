import { describe, expect, it } from '@jest/globals';
import type { QueueFacts } from './queue-reason.ts';
import { type JobTypeRef, type QueueTypeCounts, type StoredReasonGroup, summarizeQueue } from './queue-summary.ts';

const t = (name: string, isPaused = false): JobTypeRef => ({ name, version: '1.0.0', isPaused });
const at = (minute: number) => new Date(Date.UTC(2026, 0, 10, 12, minute));
const running: QueueFacts = { schedulerPaused: false, readyNodes: 1 };

describe('queue summary', () => {
  const jobTypes = new Map([
    [1, t('a')],
    [2, t('b')],
    [3, t('paused', true)],
    [4, t('c')],
  ]);
  const counts: QueueTypeCounts[] = [
    { jobTypeId: 3, count: 1, longestQueued: at(0), highestPriority: 1 },
    { jobTypeId: 1, count: 2, longestQueued: at(5), highestPriority: 50 },
    { jobTypeId: 2, count: 5, longestQueued: at(1), highestPriority: 50 },
    { jobTypeId: 4, count: 1, longestQueued: at(9), highestPriority: 10 },
  ];

  it('queue summary - paused types last, then best priority, then longest waiting', () => {
    const order = summarizeQueue(counts, [], jobTypes, running, 3).map((s) => s.jobType.name);
    expect(order).toEqual(['c', 'b', 'a', 'paused']);
  });

  it('queue summary - reasons per type, most common first, merged after a blanket cause', () => {
    const groups: StoredReasonGroup[] = [
      { jobTypeId: 2, unplaceable: false, queueReason: null, count: 1 },
      { jobTypeId: 2, unplaceable: true, queueReason: 'needs 64 GiB mem; largest node offers 16 GiB', count: 3 },
      { jobTypeId: 2, unplaceable: false, queueReason: 'waiting for resources', count: 1 },
      { jobTypeId: 3, unplaceable: false, queueReason: 'waiting for resources', count: 1 },
    ];
    const summaries = summarizeQueue(counts, groups, jobTypes, running, 2);
    expect(summaries.find((s) => s.jobTypeId === 2)?.reasons).toEqual([
      { reason: 'needs 64 GiB mem; largest node offers 16 GiB', count: 3 },
      { reason: 'waiting for resources', count: 1 },
    ]);
    expect(summaries.find((s) => s.jobTypeId === 3)?.reasons).toEqual([
      { reason: 'job type paused 1.0.0 is paused', count: 1 },
    ]);
    const paused = summarizeQueue(counts, groups, jobTypes, { schedulerPaused: true, readyNodes: 1 }, 2);
    expect(paused.find((s) => s.jobTypeId === 2)?.reasons).toEqual([{ reason: 'scheduler is paused', count: 5 }]);
  });

  it('queue summary - a type whose row vanished in between is left out', () => {
    const summaries = summarizeQueue(
      [{ jobTypeId: 99, count: 1, longestQueued: at(0), highestPriority: 1 }],
      [],
      jobTypes,
      running,
      3,
    );
    expect(summaries).toEqual([]);
  });
});
