import { describe, expect, it } from '@jest/globals';
import { makeLaunch } from '../../test/fixtures/launch.ts';
import { buildSeedEnv, envValue, normaliseEnvName } from './seed-env.ts';

describe('normaliseEnvName', () => {
  it.each([
    ['input-file', 'INPUT_FILE'],
    ['sharedMem', 'SHAREDMEM'],
    ['a.b c', 'ABC'],
    ['_x-1', '_X_1'],
  ])('normaliseEnvName - %s → %s', (name, expected) => {
    expect(normaliseEnvName(name)).toBe(expected);
  });
});

describe('envValue', () => {
  it.each<[unknown, string]>([
    ['text with "quotes"', 'text with "quotes"'],
    [42, '42'],
    [1.5, '1.5'],
    [true, 'true'],
    [false, 'false'],
    [[1, 'a'], '[1,"a"]'],
    [{ a: { b: null } }, '{"a":{"b":null}}'],
  ])('envValue - %p', (value, expected) => {
    expect(envValue(value)).toBe(expected);
  });
});

describe('buildSeedEnv', () => {
  it('buildSeedEnv - platform variables, allocation, json inputs and settings', () => {
    const launch = makeLaunch({
      jobExeId: 7,
      jobId: 70,
      exeNum: 2,
      interface: {
        inputs: {
          json: [
            { name: 'threshold', type: 'number' },
            { name: 'bbox', type: 'array' },
            { name: 'label-name', type: 'string' },
            { name: 'optional-flag', type: 'boolean', required: false },
          ],
        },
        settings: [{ name: 'db-host' }, { name: 'api_key', secret: true }],
      },
      json: { threshold: 0.25, bbox: [1, 2, 3, 4], 'label-name': 'cars' },
      settings: { 'db-host': 'db.local', api_key: 's3cret' },
      scalars: [
        { name: 'cpus', value: 4 },
        { name: 'sharedMem', value: 128 },
        { name: 'gpus', value: 1 },
      ],
    });
    const result = buildSeedEnv(launch);
    expect(result).toEqual({
      ok: true,
      env: {
        THRESHOLD: '0.25',
        BBOX: '[1,2,3,4]',
        LABEL_NAME: 'cars',
        DB_HOST: 'db.local',
        API_KEY: 's3cret',
        OUTPUT_DIR: '/scale/output_data',
        // The allocation wins over the manifest's request for cpus and gpus.
        ALLOCATED_CPUS: '0.5',
        ALLOCATED_MEM: '64',
        ALLOCATED_DISK: '100',
        ALLOCATED_GPUS: '0',
        ALLOCATED_SHAREDMEM: '128',
        SCALE_JOB_ID: '70',
        SCALE_EXE_NUM: '2',
      },
    });
  });

  it('buildSeedEnv - a setting cannot shadow OUTPUT_DIR', () => {
    const launch = makeLaunch({
      interface: { settings: [{ name: 'OUTPUT_DIR' }] },
      settings: { OUTPUT_DIR: '/etc' },
    });
    const result = buildSeedEnv(launch);
    expect(result.ok && result.env.OUTPUT_DIR).toBe('/scale/output_data');
  });

  it('buildSeedEnv - a missing required json input fails the launch', () => {
    const launch = makeLaunch({ interface: { inputs: { json: [{ name: 'n', type: 'integer' }] } } });
    expect(buildSeedEnv(launch)).toEqual({
      ok: false,
      failure: { type: 'LAUNCH', message: 'required json input "n" has no value' },
    });
  });

  it('buildSeedEnv - a setting without a value fails the pre task with missing-setting', () => {
    const launch = makeLaunch({ interface: { settings: [{ name: 'token', secret: true }] } });
    expect(buildSeedEnv(launch)).toEqual({
      ok: false,
      failure: { type: 'PRE', error: 'missing-setting', message: 'setting "token" has no value' },
    });
  });

  it('buildSeedEnv - file input variables are kept, platform variables still win', () => {
    const result = buildSeedEnv(makeLaunch(), {
      IMAGE: '/scale/input_data/image/a.tif',
      OUTPUT_DIR: '/elsewhere',
    });
    expect(result.ok && result.env).toMatchObject({
      IMAGE: '/scale/input_data/image/a.tif',
      OUTPUT_DIR: '/scale/output_data',
    });
  });

  it('buildSeedEnv - empty file input lists are not file inputs', () => {
    expect(buildSeedEnv(makeLaunch({ files: { image: [] } })).ok).toBe(true);
  });
});
