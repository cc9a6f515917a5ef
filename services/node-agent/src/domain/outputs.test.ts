import { describe, expect, it } from '@jest/globals';
import { makeLaunch } from '../../test/fixtures/launch.ts';
import { type CaptureInput, captureOutputs, hasJsonType, type SeedOutputsFile } from './outputs.ts';

type Outputs = CaptureInput['outputs'];

function outputs(json: unknown[] = [], files: unknown[] = []): Outputs {
  return makeLaunch({ interface: { outputs: { json, files } as never } }).manifest.job.interface.outputs;
}
const parsed = (value: unknown): SeedOutputsFile => ({ kind: 'parsed', value });

describe('hasJsonType', () => {
  it.each<[unknown, Parameters<typeof hasJsonType>[1], boolean]>([
    ['x', 'string', true],
    [1, 'string', false],
    [1.5, 'number', true],
    [Number.NaN, 'number', false],
    [3, 'integer', true],
    [3.5, 'integer', false],
    [false, 'boolean', true],
    ['true', 'boolean', false],
    [{}, 'object', true],
    [[], 'object', false],
    [null, 'object', false],
    [[1], 'array', true],
    [{}, 'array', false],
  ])('hasJsonType - %p is %s: %p', (value, type, expected) => {
    expect(hasJsonType(value, type)).toBe(expected);
  });
});

describe('captureOutputs', () => {
  it('captureOutputs - maps keys to output names, ignores unknown keys and absent optional outputs', () => {
    const result = captureOutputs({
      outputs: outputs([
        { name: 'answer', type: 'integer' },
        { name: 'label', type: 'string', key: 'the_label' },
        { name: 'extra', type: 'object', required: false },
      ]),
      seedOutputs: parsed({ answer: 42, the_label: 'cars', unrelated: true }),
      files: [],
    });
    expect(result).toEqual({
      ok: true,
      data: { files: {}, json: { answer: 42, label: 'cars' } },
      matches: {},
      warnings: [],
    });
  });

  it('captureOutputs - a missing seed.outputs.json is only a warning when nothing is required', () => {
    const result = captureOutputs({
      outputs: outputs([{ name: 'extra', type: 'object', required: false }]),
      seedOutputs: { kind: 'absent' },
      files: [],
    });
    expect(result).toEqual({
      ok: true,
      data: { files: {}, json: {} },
      matches: {},
      warnings: ['seed.outputs.json is missing'],
    });
  });

  it('captureOutputs - no outputs declared and no file: success without warnings', () => {
    expect(captureOutputs({ outputs: outputs(), seedOutputs: { kind: 'absent' }, files: [] })).toEqual({
      ok: true,
      data: { files: {}, json: {} },
      matches: {},
      warnings: [],
    });
  });

  it.each<[string, Outputs, SeedOutputsFile, string[], string, string]>([
    [
      'required json output and no file',
      outputs([{ name: 'answer', type: 'integer' }]),
      { kind: 'absent' },
      [],
      'invalid-results-manifest',
      'seed.outputs.json is missing but these json outputs are required: answer',
    ],
    [
      'unparsable file',
      outputs(),
      { kind: 'unreadable', message: 'not valid JSON' },
      [],
      'invalid-results-manifest',
      'seed.outputs.json: not valid JSON',
    ],
    [
      'a document that is not an object',
      outputs(),
      parsed([1, 2]),
      [],
      'invalid-results-manifest',
      'seed.outputs.json must hold a JSON object',
    ],
    [
      'a missing required key',
      outputs([{ name: 'answer', type: 'integer', key: 'ANSWER' }]),
      parsed({ answer: 1 }),
      [],
      'invalid-results-manifest',
      'required json output "ANSWER" is missing',
    ],
    [
      'a wrong type',
      outputs([{ name: 'answer', type: 'integer' }]),
      parsed({ answer: '42' }),
      [],
      'invalid-results-manifest',
      'json output "answer" must be of type integer',
    ],
    [
      'a wrong type on an optional output',
      outputs([{ name: 'answer', type: 'integer', required: false }]),
      parsed({ answer: 4.2 }),
      [],
      'invalid-results-manifest',
      'json output "answer" must be of type integer',
    ],
    [
      'a missing required file',
      outputs([], [{ name: 'image', pattern: '*.tif' }]),
      { kind: 'absent' },
      ['a.txt'],
      'missing-required-output',
      'no file matches "*.tif" for output "image"',
    ],
    [
      'several files for a single output',
      outputs([], [{ name: 'image', pattern: '*.tif' }]),
      { kind: 'absent' },
      ['a.tif', 'b.tif'],
      'unexpected-multiple-outputs',
      '2 files match "*.tif" for output "image", which takes one',
    ],
    [
      'protocol files only, for a broad pattern',
      outputs([], [{ name: 'data', pattern: '*.json' }]),
      { kind: 'absent' },
      ['seed.outputs.json', 'x.tif.metadata.json'],
      'missing-required-output',
      'no file matches "*.json" for output "data"',
    ],
  ])('captureOutputs - fails for %s', (_, declared, seedOutputs, files, error, message) => {
    expect(captureOutputs({ outputs: declared, seedOutputs, files })).toEqual({
      ok: false,
      failure: { type: 'OUTPUT', error, message },
    });
  });

  it.each<[string, Outputs, string[], Record<string, string[]>]>([
    [
      'one file for a single output',
      outputs([], [{ name: 'image', pattern: '*.tif' }]),
      ['a.tif'],
      { image: ['a.tif'] },
    ],
    [
      'many files for a multiple output',
      outputs([], [{ name: 'image', pattern: '*.tif', multiple: true }]),
      ['a.tif', 'b.tif'],
      { image: ['a.tif', 'b.tif'] },
    ],
    ['no file for an optional output', outputs([], [{ name: 'image', pattern: '*.tif', required: false }]), [], {}],
    [
      'files in a known directory',
      outputs([], [{ name: 'image', pattern: 'out/*.tif' }]),
      ['out/a.tif', 'b.tif'],
      { image: ['out/a.tif'] },
    ],
    [
      'several outputs, each with its own pattern',
      outputs(
        [],
        [
          { name: 'image', pattern: '*.tif', multiple: true },
          { name: 'report', pattern: 'report.txt' },
        ],
      ),
      ['a.tif', 'b.tif', 'report.txt', 'other.log'],
      { image: ['a.tif', 'b.tif'], report: ['report.txt'] },
    ],
  ])('captureOutputs - accepts %s', (_, declared, files, matches) => {
    const result = captureOutputs({ outputs: declared, seedOutputs: { kind: 'absent' }, files });
    expect(result).toEqual({ ok: true, data: { files: {}, json: {} }, matches, warnings: [] });
  });
});
