import { describe, expect, it } from '@jest/globals';
import { SeedManifest } from '@scale/contracts';
import { groupTotals, nonZero } from './queued-resources.ts';

function manifestWith(scalar: { name: string; value: number; inputMultiplier?: number }[]) {
  return SeedManifest.parse({
    seedVersion: '1.0.0',
    job: {
      name: 'm',
      jobVersion: '1.0.0',
      packageVersion: '1.0.0',
      timeout: 60,
      resources: { scalar },
      interface: { command: 'true' },
    },
  });
}

describe('queued resources', () => {
  it('queued resources - n jobs need n × base plus multiplier × their summed input', () => {
    const m = manifestWith([
      { name: 'cpus', value: 1.5 },
      { name: 'mem', value: 256 },
      { name: 'disk', value: 11, inputMultiplier: 4 },
    ]);
    // Three jobs with inputs of 1, 2 and 7 MiB: disk = 3 × 11 + 4 × 10.
    expect(groupTotals([{ manifest: m, count: 3, inputMiB: 10 }])).toEqual({ cpus: 4.5, mem: 768, disk: 73, gpus: 0 });
  });

  it('queued resources - defaults apply when a manifest names nothing; groups add up', () => {
    const bare = manifestWith([]);
    const gpu = manifestWith([{ name: 'gpus', value: 1 }]);
    expect(
      groupTotals([
        { manifest: bare, count: 2, inputMiB: 0 },
        { manifest: gpu, count: 1, inputMiB: 0 },
        { manifest: gpu, count: 0, inputMiB: 0 },
      ]),
    ).toEqual({ cpus: 3, mem: 384, disk: 0, gpus: 1 });
  });

  it('queued resources - nothing queued is all zeros, printed as {}', () => {
    const totals = groupTotals([]);
    expect(totals).toEqual({ cpus: 0, mem: 0, disk: 0, gpus: 0 });
    expect(nonZero(totals)).toEqual({});
  });

  it('queued resources - only resources in use are printed, rounded', () => {
    expect(nonZero({ cpus: 0.1 + 0.2, mem: 384, disk: 0, gpus: 0 })).toEqual({ cpus: 0.3, mem: 384 });
  });
});
