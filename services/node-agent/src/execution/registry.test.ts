import { describe, expect, it } from '@jest/globals';
import { Registry } from './registry.ts';

const token = (jobExeId: number) => ({ jobExeId, jobId: 1, exeNum: 1, epoch: 0 });

describe('Registry', () => {
  it('Registry - tracks executions until they end, then remembers the end', () => {
    const registry = new Registry();
    registry.add(token(1), 'scale-exe-1', undefined);
    registry.add(token(2), 'scale-exe-2', undefined);
    expect(registry.ids()).toEqual([1, 2]);
    expect(registry.get(1)).toMatchObject({ name: 'scale-exe-1', phase: 'starting', timedOut: false });
    registry.ended(1);
    expect(registry.ids()).toEqual([2]);
    expect(registry.hasEnded(1)).toBe(true);
    registry.delete(2);
    expect(registry.hasEnded(2)).toBe(false);
  });

  it('Registry - remembers kills, forgetting the oldest beyond its bound', () => {
    const registry = new Registry();
    for (let id = 1; id <= 1001; id++) registry.rememberKill(id, `reason ${id}`);
    expect(registry.killReason(1)).toBeUndefined();
    expect(registry.killReason(2)).toBe('reason 2');
    expect(registry.killReason(1001)).toBe('reason 1001');
  });
});
