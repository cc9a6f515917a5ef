import { describe, expect, it } from '@jest/globals';
import type { Resources } from '@scale/contracts';
import { type NodeCapacity, parkReason, planPass, type QueuedJob } from './placement.ts';

const res = (cpus: number, mem: number, disk = 0, gpus = 0): Resources => ({ cpus, mem, disk, gpus });
const job = (jobId: number, cpus: number, mem: number, jobTypeId = 1): QueuedJob => ({
  jobId,
  jobTypeId,
  need: res(cpus, mem),
});
const node = (nodeId: number, total: ReturnType<typeof res>, free = total): NodeCapacity => ({ nodeId, total, free });

describe('planPass', () => {
  const cases: { name: string; queue: QueuedJob[]; nodes: NodeCapacity[]; placed: [number, number][] }[] = [
    { name: 'no nodes places nothing', queue: [job(1, 1, 100)], nodes: [], placed: [] },
    {
      name: 'best fit picks the tightest node',
      queue: [job(1, 1, 100)],
      nodes: [node(1, res(8, 16000)), node(2, res(2, 200))],
      placed: [[1, 2]],
    },
    {
      name: 'a job no node fits does not block the jobs behind it',
      queue: [job(1, 64, 100), job(2, 1, 100)],
      nodes: [node(1, res(4, 1000))],
      placed: [[2, 1]],
    },
    {
      name: 'capacity is consumed as jobs are placed',
      queue: [job(1, 2, 100), job(2, 2, 100), job(3, 2, 100)],
      nodes: [node(1, res(4, 1000))],
      placed: [
        [1, 1],
        [2, 1],
      ],
    },
    {
      name: 'disk and gpus count too',
      queue: [
        { jobId: 1, jobTypeId: 1, need: res(1, 1, 500) },
        { jobId: 2, jobTypeId: 1, need: res(1, 1, 0, 1) },
      ],
      nodes: [node(1, res(4, 1000, 100, 0))],
      placed: [],
    },
    {
      name: 'custom scalars go only to nodes that advertise them',
      queue: [{ jobId: 1, jobTypeId: 1, need: { ...res(1, 1), custom: { fpga: 1 } } }],
      nodes: [node(1, res(8, 8000)), node(2, { ...res(2, 2000), custom: { fpga: 2 } })],
      placed: [[1, 2]],
    },
  ];
  it.each(cases)('planPass - $name', ({ queue, nodes, placed }) => {
    expect(planPass(queue, nodes).placements.map((p) => [p.jobId, p.nodeId])).toEqual(placed);
  });

  it('planPass - honours max scheduled per job type, counting running executions', () => {
    const plan = planPass([job(1, 1, 1, 7), job(2, 1, 1, 7), job(3, 1, 1, 8)], [node(1, res(8, 8000))], {
      running: new Map([[7, 1]]),
      maxPerJobType: new Map([[7, 2]]),
    });
    expect(plan.placements.map((p) => p.jobId)).toEqual([1, 3]);
    expect(plan.waiting).toEqual([{ jobId: 2, reason: 'job type at its max_scheduled limit (2)' }]);
  });

  it('planPass - stops at maxPlacements and leaves the jobs behind it untouched for the next pass', () => {
    const queue = [job(1, 1, 100), job(2, 64, 100), job(3, 1, 100), job(4, 1, 100), job(5, 64, 100)];
    const plan = planPass(queue, [node(1, res(8, 1000))], {
      running: new Map(),
      maxPerJobType: new Map(),
      maxPlacements: 2,
    });
    expect(plan.placements).toEqual([
      { jobId: 1, nodeId: 1 },
      { jobId: 3, nodeId: 1 },
    ]);
    // Job 2 came before the budget ran out and is parked; jobs 4 and 5 were not looked at.
    expect(plan.parked.map((p) => p.jobId)).toEqual([2]);
    expect(plan.waiting).toEqual([]);
  });

  it('planPass - parks a job larger than every node, with the reason', () => {
    const plan = planPass([job(1, 1, 65536)], [node(1, res(8, 16384)), node(2, res(4, 8192))]);
    expect(plan.parked).toEqual([{ jobId: 1, reason: 'needs 64 GiB mem; largest node offers 16 GiB' }]);
  });

  it('planPass - reserves a busy node for a big job so smaller later jobs cannot starve it', () => {
    const nodes = [node(1, res(4, 4000), res(1, 1000)), node(2, res(2, 2000))];
    const plan = planPass([job(1, 4, 4000), job(2, 1, 100), job(3, 1, 100)], nodes);
    // Node 1 is held for job 1; the small jobs use node 2 only.
    expect(plan.placements).toEqual([
      { jobId: 2, nodeId: 2 },
      { jobId: 3, nodeId: 2 },
    ]);
    expect(plan.waiting[0]).toMatchObject({ jobId: 1, reason: expect.stringContaining('a node is reserved for it') });
  });

  it('planPass - without reservations left, a job that does not fit now waits and says what it is short of', () => {
    const plan = planPass(
      [job(1, 4, 100), job(2, 4, 100)],
      [node(1, res(4, 4000), res(2, 4000)), node(2, res(4, 4000), res(2, 4000))],
      {
        running: new Map(),
        maxPerJobType: new Map(),
        maxReservations: 1,
      },
    );
    expect(plan.placements).toEqual([]);
    expect(plan.waiting.map((w) => w.reason)).toEqual([
      'waiting for resources (needs 4 cpus, 100 MiB mem); a node is reserved for it',
      'waiting for resources (needs 4 cpus, 100 MiB mem; short of cpus now)',
    ]);
  });
});

describe('parkReason', () => {
  it.each([
    [res(64, 100), [node(1, res(16, 1000))], 'needs 64 cpus; largest node offers 16'],
    [res(1, 100, 0, 2), [node(1, res(16, 1000))], 'needs 2 gpus; largest node offers none'],
    [
      res(8, 8192),
      [node(1, res(8, 1024)), node(2, res(1, 16384))],
      'needs 8 cpus, 8 GiB mem on one node; no node offers all of it',
    ],
  ])('parkReason - %j', (need, nodes, expected) => {
    expect(parkReason(need, nodes)).toBe(expected);
  });
});
