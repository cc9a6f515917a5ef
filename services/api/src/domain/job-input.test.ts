import { describe, expect, it } from '@jest/globals';
import { SeedManifest } from '@scale/contracts';
import { jsonTypeOf, validateJobInput } from './job-input.ts';

const manifest = SeedManifest.parse({
  seedVersion: '1.0.0',
  job: {
    name: 'm',
    jobVersion: '1.0.0',
    packageVersion: '1.0.0',
    timeout: 10,
    interface: {
      inputs: {
        files: [{ name: 'IMAGE' }, { name: 'EXTRA', required: false, multiple: true }],
        json: [
          { name: 'S', type: 'string' },
          { name: 'N', type: 'number', required: false },
          { name: 'I', type: 'integer', required: false },
          { name: 'B', type: 'boolean', required: false },
          { name: 'O', type: 'object', required: false },
          { name: 'A', type: 'array', required: false },
        ],
      },
    },
  },
});
const noFiles = SeedManifest.parse({ ...manifest, job: { ...manifest.job, interface: { inputs: { json: [] } } } });

describe('validateJobInput', () => {
  it('job input - accepts matching json types (an integer is also a number)', () => {
    const issues = validateJobInput(manifest, {
      files: {},
      json: { S: 'x', N: 3, I: 4, B: false, O: { a: 1 }, A: [1] },
    });
    expect(issues.filter((i) => i.kind === 'json')).toEqual([]);
  });

  it('job input - reports wrong types, unknown names and missing required inputs', () => {
    expect(validateJobInput(manifest, { files: {}, json: { N: 'three', I: 1.5, O: null, Z: 1 } })).toEqual([
      { kind: 'json', name: 'N', message: 'must be of type number, got string' },
      { kind: 'json', name: 'I', message: 'must be of type integer, got number' },
      { kind: 'json', name: 'O', message: 'must be of type object, got null' },
      { kind: 'json', name: 'Z', message: 'unknown input "Z"' },
      { kind: 'json', name: 'S', message: 'required input is missing' },
      { kind: 'files', name: 'IMAGE', message: 'required input is missing' },
    ]);
  });

  const catalogue = new Map([
    [1, { deleted: false }],
    [2, { deleted: false }],
    [3, { deleted: true }],
  ]);

  it('job input - file inputs name catalogued files, several only where the input takes several', () => {
    expect(validateJobInput(noFiles, { files: {}, json: {} })).toEqual([]);
    expect(validateJobInput(manifest, { files: { IMAGE: [1], EXTRA: [] }, json: { S: 'x' } }, catalogue)).toEqual([]);
    expect(validateJobInput(manifest, { files: { IMAGE: [1], EXTRA: [1, 2] }, json: { S: 'x' } }, catalogue)).toEqual(
      [],
    );
  });

  it.each<[string, Record<string, number[]>, { kind: string; name: string; message: string }[]]>([
    ['an unknown file', { IMAGE: [9] }, [{ kind: 'files', name: 'IMAGE', message: 'file 9 does not exist' }]],
    ['a deleted file', { IMAGE: [3] }, [{ kind: 'files', name: 'IMAGE', message: 'file 3 has been deleted' }]],
    [
      'two files for a single input',
      { IMAGE: [1, 2] },
      [{ kind: 'files', name: 'IMAGE', message: 'takes one file, got 2' }],
    ],
    [
      'a required input without files',
      { IMAGE: [] },
      [{ kind: 'files', name: 'IMAGE', message: 'required input is missing' }],
    ],
  ])('job input - refuses %s', (_, files, expected) => {
    expect(validateJobInput(manifest, { files, json: { S: 'x' } }, catalogue)).toEqual(expected);
  });

  it('job input - file and json names must not be swapped', () => {
    expect(validateJobInput(manifest, { files: { S: [1] }, json: { IMAGE: 'x', S: 'y' } }, catalogue)).toEqual([
      { kind: 'json', name: 'IMAGE', message: '"IMAGE" is a file input' },
      { kind: 'files', name: 'S', message: '"S" is a json input' },
      { kind: 'files', name: 'IMAGE', message: 'required input is missing' },
    ]);
  });

  it('job input - jsonTypeOf names JSON Schema types', () => {
    expect([null, [], 'a', true, 1, 1.5, {}].map(jsonTypeOf)).toEqual([
      'null',
      'array',
      'string',
      'boolean',
      'integer',
      'number',
      'object',
    ]);
  });
});
