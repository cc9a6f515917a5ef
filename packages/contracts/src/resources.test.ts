import { describe, expect, it } from '@jest/globals';
import { jobResources } from './resources.ts';
import { SeedManifest } from './seed.ts';

const manifest = (scalar: unknown[]) =>
  SeedManifest.parse({
    seedVersion: '1.0.0',
    job: { name: 'a', jobVersion: '1.0.0', packageVersion: '1.0.0', timeout: 1, resources: { scalar } },
  });

describe('jobResources', () => {
  it.each([
    [[], 0, { cpus: 1, mem: 128, disk: 0, gpus: 0 }],
    [
      [
        { name: 'cpus', value: 2 },
        { name: 'mem', value: 512, inputMultiplier: 2 },
      ],
      100,
      { cpus: 2, mem: 712, disk: 0, gpus: 0 },
    ],
    [
      [
        { name: 'mem', value: 256 },
        { name: 'sharedMem', value: 64 },
      ],
      0,
      { cpus: 1, mem: 320, disk: 0, gpus: 0 },
    ],
    [
      [
        { name: 'gpus', value: 1 },
        { name: 'fpga', value: 2 },
      ],
      0,
      { cpus: 1, mem: 128, disk: 0, gpus: 1, custom: { fpga: 2 } },
    ],
  ])('jobResources - %j with %d MiB of input', (scalar, input, expected) => {
    expect(jobResources(manifest(scalar), input)).toEqual(expected);
  });
});
