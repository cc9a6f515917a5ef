import { describe, expect, it } from '@jest/globals';
import type { NodeState } from '@scale/contracts';
import { amounts, nodeErrors, resourceBreakdown, stateView, sumAmounts } from './node-view.ts';

describe('node view', () => {
  const states: NodeState[] = ['READY', 'PAUSED', 'DEGRADED', 'OFFLINE'];
  for (const state of states) {
    it(`node view - ${state} has a title and a description`, () => {
      const view = stateView(state);
      expect(view.name).toBe(state);
      expect(view.title.length).toBeGreaterThan(0);
      expect(view.description.length).toBeGreaterThan(0);
    });
  }

  const beat = new Date('2026-01-10T12:00:00.000Z');
  const errorCases: [NodeState, Date | null, string[], string | null][] = [
    ['READY', beat, [], null],
    ['PAUSED', beat, [], null],
    ['DEGRADED', beat, ['node-degraded'], 'The node agent reported that it cannot run new jobs.'],
    ['OFFLINE', beat, ['node-offline'], 'no heartbeat since 2026-01-10T12:00:00.000Z'],
    ['OFFLINE', null, ['node-offline'], 'no heartbeat received'],
  ];
  for (const [state, lastBeat, names, description] of errorCases) {
    it(`node view - errors of a ${state} node (last beat ${lastBeat ? 'known' : 'unknown'})`, () => {
      const errors = nodeErrors(state, lastBeat);
      expect(errors.map((e) => e.name)).toEqual(names);
      if (description) expect(errors[0]?.description).toBe(description);
    });
  }

  it('node view - resources: free is total minus running, never negative, floats rounded', () => {
    expect(
      resourceBreakdown(amounts({ cpus: 4, mem: 1024, disk: 100, gpus: 0 }), amounts({ cpus: 0.1 + 0.2, mem: 2048 })),
    ).toEqual({
      cpus: { total: 4, running: 0.3, free: 3.7 },
      mem: { total: 1024, running: 2048, free: 0 },
      disk: { total: 100, running: 0, free: 100 },
      gpus: { total: 0, running: 0, free: 0 },
    });
  });

  it('node view - missing amounts count as zero', () => {
    expect(amounts(null)).toEqual({ cpus: 0, mem: 0, disk: 0, gpus: 0 });
    expect(amounts({ cpus: 2 })).toEqual({ cpus: 2, mem: 0, disk: 0, gpus: 0 });
  });
});

describe('sum amounts', () => {
  it('sum amounts - element-wise, empty is zero', () => {
    expect(sumAmounts([])).toEqual({ cpus: 0, mem: 0, disk: 0, gpus: 0 });
    expect(sumAmounts([amounts({ cpus: 1, mem: 2 }), amounts({ cpus: 3, disk: 4, gpus: 1 })])).toEqual({
      cpus: 4,
      mem: 2,
      disk: 4,
      gpus: 1,
    });
  });
});
