import { describe, expect, it } from '@jest/globals';
import { type Data, SeedManifest } from '@scale/contracts';
import { inputValues, outputValues } from './interface-values.ts';

const manifest = SeedManifest.parse({
  seedVersion: '1.0.0',
  job: {
    name: 'merge',
    jobVersion: '1.0.0',
    packageVersion: '1.0.0',
    timeout: 10,
    interface: {
      command: 'run',
      inputs: {
        files: [{ name: 'ONE' }, { name: 'MANY', multiple: true }],
        json: [
          { name: 'TEXT', type: 'string' },
          { name: 'LIMIT', type: 'integer', required: false },
        ],
      },
      outputs: { files: [{ name: 'REPORT', pattern: '*.txt' }], json: [{ name: 'total', type: 'integer' }] },
    },
  },
});

describe('interface values', () => {
  it('interface values - inputs: files as references, json as properties, missing values null', () => {
    const input: Data = { files: { ONE: [7], MANY: [8, 9] }, json: { TEXT: 'hi' } };
    expect(inputValues(manifest, input)).toEqual([
      { name: 'ONE', type: 'file', value: { id: 7 } },
      { name: 'MANY', type: 'files', value: [{ id: 8 }, { id: 9 }] },
      { name: 'TEXT', type: 'property', value: 'hi' },
      { name: 'LIMIT', type: 'property', value: null },
    ]);
  });

  it('interface values - outputs of a finished job', () => {
    expect(outputValues(manifest, { files: { REPORT: [11] }, json: { total: 3 } })).toEqual([
      { name: 'REPORT', type: 'file', value: { id: 11 } },
      { name: 'total', type: 'property', value: 3 },
    ]);
  });

  it('interface values - outputs before the job finished are all empty', () => {
    expect(outputValues(manifest, null)).toEqual([
      { name: 'REPORT', type: 'file', value: null },
      { name: 'total', type: 'property', value: null },
    ]);
  });
});
