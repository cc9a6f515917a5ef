import { describe, expect, it } from '@jest/globals';
import type { JobStatusEvent } from '@scale/contracts';
import type { Orm } from '@scale/db';
import type { TreeRunner } from '../runner.ts';
import { onJobStatus } from './job-status.ts';

/** An Orm that fails the test if the handler touches the database at all. */
const untouchable = new Proxy({} as Orm, {
  get: () => {
    throw new Error('the handler read the database');
  },
});

describe('onJobStatus', () => {
  it.each(['RUNNING'] as const)('ignores %s: it changes nothing in a recipe tree', async (status) => {
    const advanced: number[] = [];
    const runner: TreeRunner = { advance: async (root) => void advanced.push(root), idle: async () => undefined };
    const event: JobStatusEvent = { jobId: 7, status, exeNum: 1, errorCategory: null, at: new Date().toISOString() };
    await onJobStatus(untouchable, runner)(event);
    expect(advanced).toEqual([]);
  });

  it.each(['PENDING', 'BLOCKED', 'QUEUED', 'COMPLETED', 'FAILED', 'CANCELED'] as const)(
    'looks up the trees of the job on %s',
    async (status) => {
      const event: JobStatusEvent = { jobId: 7, status, exeNum: 1, errorCategory: null, at: new Date().toISOString() };
      const runner: TreeRunner = { advance: async () => undefined, idle: async () => undefined };
      await expect(onJobStatus(untouchable, runner)(event)).rejects.toThrow('the handler read the database');
    },
  );
});
