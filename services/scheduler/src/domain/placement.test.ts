import { describe, expect, it } from '@jest/globals';
import { type NodeCapacity, placeJobs, type QueuedJob } from './placement.ts';

const res = (cpus: number, mem: number, disk = 0, gpus = 0) => ({ cpus, mem, disk, gpus });
const job = (jobId: number, cpus: number, mem: number, jobTypeId = 1): QueuedJob => ({
  jobId,
  jobTypeId,
  need: res(cpus, mem),
});

describe('placeJobs', () => {
  const cases: { name: string; queue: QueuedJob[]; nodes: NodeCapacity[]; expected: [number, number][] }[] = [
    { name: 'no nodes places nothing', queue: [job(1, 1, 100)], nodes: [], expected: [] },
    {
      name: 'best fit picks the tightest node',
      queue: [job(1, 1, 100)],
      nodes: [
        { nodeId: 1, free: res(8, 16000) },
        { nodeId: 2, free: res(2, 200) },
      ],
      expected: [[1, 2]],
    },
    {
      name: 'a job no node fits does not block the jobs behind it',
      queue: [job(1, 64, 100), job(2, 1, 100)],
      nodes: [{ nodeId: 1, free: res(4, 1000) }],
      expected: [[2, 1]],
    },
    {
      name: 'capacity is consumed as jobs are placed',
      queue: [job(1, 2, 100), job(2, 2, 100), job(3, 2, 100)],
      nodes: [{ nodeId: 1, free: res(4, 1000) }],
      expected: [
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
      nodes: [{ nodeId: 1, free: res(4, 1000, 100, 0) }],
      expected: [],
    },
  ];
  it.each(cases)('placeJobs - $name', ({ queue, nodes, expected }) => {
    expect(placeJobs(queue, nodes).map((p) => [p.jobId, p.nodeId])).toEqual(expected);
  });

  it('placeJobs - honours max scheduled per job type, counting running executions', () => {
    const placements = placeJobs(
      [job(1, 1, 1, 7), job(2, 1, 1, 7), job(3, 1, 1, 8)],
      [{ nodeId: 1, free: res(8, 8000) }],
      {
        running: new Map([[7, 1]]),
        maxPerJobType: new Map([[7, 2]]),
      },
    );
    expect(placements.map((p) => p.jobId)).toEqual([1, 3]);
  });
});
