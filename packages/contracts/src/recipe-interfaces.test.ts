import { describe, expect, it } from '@jest/globals';
import { dataIssues, interfaceParams, jsonTypeAccepts, manifestInterfaces } from './recipe-interfaces.ts';
import { SeedManifest } from './seed.ts';

describe('recipe interfaces', () => {
  const params = interfaceParams({
    files: [
      { name: 'image', media_types: ['image/tiff'] },
      { name: 'extras', multiple: true, required: false },
    ],
    json: [
      { name: 'n', type: 'integer' },
      { name: 'ratio', type: 'number', required: false },
    ],
  });

  it('recipe interfaces - data that fits the interface has no issues', () => {
    expect(dataIssues(params, { files: { image: [1], extras: [2, 3] }, json: { n: 1, ratio: 2 } })).toEqual([]);
    expect(dataIssues(params, { files: { image: [1] }, json: { n: 1 } })).toEqual([]);
  });

  it('recipe interfaces - unknown names, wrong kinds and types, several files for one, missing values', () => {
    expect(
      dataIssues(params, { files: { image: [1, 2], n: [4], other: [5] }, json: { ratio: 'x', image: 1, more: true } }),
    ).toEqual([
      { kind: 'json', name: 'ratio', message: 'must be of type number, got string' },
      { kind: 'json', name: 'image', message: '"image" is a file input' },
      { kind: 'json', name: 'more', message: 'unknown input "more"' },
      { kind: 'files', name: 'image', message: 'takes one file, got 2' },
      { kind: 'files', name: 'n', message: '"n" is a json input' },
      { kind: 'files', name: 'other', message: 'unknown input "other"' },
      { kind: 'json', name: 'n', message: 'required input is missing' },
    ]);
  });

  it('recipe interfaces - a manifest gives inputs and outputs with Seed defaults; an integer is a number', () => {
    const manifest = SeedManifest.parse({
      seedVersion: '1.0.0',
      job: {
        name: 'x',
        jobVersion: '1.0.0',
        packageVersion: '1.0.0',
        timeout: 1,
        interface: {
          inputs: { files: [{ name: 'F', mediaTypes: ['a/b'] }] },
          outputs: {
            files: [{ name: 'O', pattern: '*', mediaType: 'c/d', multiple: true }],
            json: [{ name: 'J', type: 'integer', required: false }],
          },
        },
      },
    });
    const { inputs, outputs } = manifestInterfaces(manifest);
    expect(inputs.get('F')).toEqual({ name: 'F', kind: 'files', required: true, multiple: false, mediaTypes: ['a/b'] });
    expect(outputs.get('O')).toMatchObject({ kind: 'files', multiple: true, mediaTypes: ['c/d'] });
    expect(outputs.get('J')).toMatchObject({ kind: 'json', type: 'integer', required: false });
    expect(jsonTypeAccepts('number', 'integer')).toBe(true);
    expect(jsonTypeAccepts('integer', 'number')).toBe(false);
  });
});
