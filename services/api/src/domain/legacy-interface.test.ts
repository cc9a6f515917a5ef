import { describe, expect, it } from '@jest/globals';
import { jobResources, SeedManifest } from '@scale/contracts';
import { legacyInterface } from './legacy-interface.ts';
import { diskOut, resourcesJson } from './resources.ts';

const manifest = SeedManifest.parse({
  seedVersion: '1.0.0',
  job: {
    name: 'm',
    jobVersion: '1.0.0',
    packageVersion: '1.0.0',
    timeout: 10,
    resources: {
      scalar: [
        { name: 'mem', value: 512 },
        { name: 'disk', value: 10, inputMultiplier: 2 },
      ],
    },
    interface: {
      command: '/app/run.sh ${IMAGE} ${OUTPUT_DIR}',
      inputs: {
        files: [{ name: 'IMAGE', mediaTypes: ['image/png'], multiple: true }],
        json: [{ name: 'N', type: 'integer' }],
      },
      outputs: { files: [{ name: 'OUT', pattern: '*.txt', mediaType: 'text/plain' }] },
    },
  },
});

describe('legacy views of a manifest', () => {
  it('legacy interface - inputs, outputs and the command split as v5 did', () => {
    expect(legacyInterface(manifest)).toMatchObject({
      version: '1.0',
      command: '/app/run.sh',
      command_arguments: '${IMAGE} ${OUTPUT_DIR}',
      input_data: [
        { name: 'IMAGE', type: 'files', required: true, media_types: ['image/png'] },
        { name: 'N', type: 'property', required: true },
      ],
      output_data: [{ name: 'OUT', type: 'file', required: true, media_type: 'text/plain' }],
    });
  });

  it('resources - manifest scalars with defaults, disk scaled by input size', () => {
    expect(jobResources(manifest, 3)).toEqual({ cpus: 1, mem: 512, disk: 16, gpus: 0 });
    expect(diskOut(manifest)).toEqual({ constant: 10, multiplier: 2 });
    expect(resourcesJson({ cpus: 1, mem: 2, disk: 3, gpus: 0 })).toEqual({ resources: { cpus: 1, mem: 2, disk: 3 } });
    expect(resourcesJson({ cpus: 1, mem: 2, disk: 3, gpus: 1 })).toEqual({
      resources: { cpus: 1, mem: 2, disk: 3, gpus: 1 },
    });
  });
});
