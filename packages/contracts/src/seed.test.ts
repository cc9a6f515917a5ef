import { describe, expect, it } from '@jest/globals';
import { fieldErrors } from './errors.ts';
import { SeedManifest } from './seed.ts';

const valid = {
  seedVersion: '1.0.0',
  job: {
    name: 'image-watermark',
    jobVersion: '0.1.0',
    packageVersion: '0.1.0',
    title: 'Image Watermarker',
    timeout: 30,
    resources: {
      scalar: [
        { name: 'cpus', value: 1 },
        { name: 'mem', value: 64, inputMultiplier: 4 },
      ],
    },
    interface: {
      command: '${INPUT_IMAGE} ${OUTPUT_DIR}',
      inputs: {
        files: [{ name: 'INPUT_IMAGE', mediaTypes: ['image/png'] }],
        json: [{ name: 'LEVEL', type: 'integer' }],
      },
      outputs: {
        files: [{ name: 'OUTPUT_IMAGE', pattern: '*_watermark.png' }],
        json: [{ name: 'COUNT', type: 'integer', key: 'count' }],
      },
      settings: [{ name: 'PASSWORD', secret: true }],
    },
    errors: [{ code: 1, name: 'image-corrupt', category: 'data' }],
  },
};

function issuesOf(input: unknown): string[] {
  const result = SeedManifest.safeParse(input);
  return result.success ? [] : fieldErrors(result.error.issues).map((e) => `${e.field}: ${e.message}`);
}

describe('SeedManifest', () => {
  it('SeedManifest - accepts a complete manifest and applies the standard defaults', () => {
    const manifest = SeedManifest.parse(valid);
    expect(manifest.job.interface.inputs.files[0]).toMatchObject({ required: true, multiple: false, partial: false });
    expect(manifest.job.interface.outputs.json[0]).toMatchObject({ key: 'count', required: true });
    expect(manifest.job.interface.mounts).toEqual([]);
    expect(manifest.job.errors[0]).toMatchObject({ category: 'data' });
  });

  it('SeedManifest - fills an empty interface, resources and errors', () => {
    const manifest = SeedManifest.parse({
      seedVersion: '1.0.0',
      job: { name: 'a', jobVersion: '1.0.0', packageVersion: '1.0.0', timeout: 1 },
    });
    expect(manifest.job.interface.inputs).toEqual({ files: [], json: [] });
    expect(manifest.job.resources.scalar).toEqual([]);
  });

  it('SeedManifest - error names may hold underscores, as Seed allows', () => {
    const manifest = SeedManifest.parse({ ...valid, job: { ...valid.job, errors: [{ code: 3, name: 'bad_input' }] } });
    expect(manifest.job.errors[0]?.name).toBe('bad_input');
  });

  it.each([
    ['a wrong seed version', { ...valid, seedVersion: '2.0.0' }, 'seedVersion'],
    ['a job name with spaces', { ...valid, job: { ...valid.job, name: 'bad name' } }, 'job.name'],
    ['a job version that is not semver', { ...valid, job: { ...valid.job, jobVersion: '1.0' } }, 'job.jobVersion'],
    ['a missing timeout', { ...valid, job: { ...valid.job, timeout: undefined } }, 'job.timeout'],
    [
      'a negative resource',
      { ...valid, job: { ...valid.job, resources: { scalar: [{ name: 'cpus', value: -1 }] } } },
      'job.resources.scalar.0.value',
    ],
    ['an unknown field', { ...valid, job: { ...valid.job, colour: 'red' } }, 'job'],
    [
      'a relative mount path',
      { ...valid, job: { ...valid.job, interface: { mounts: [{ name: 'M', path: 'data' }] } } },
      'job.interface.mounts.0.path',
    ],
    [
      'duplicate input names',
      { ...valid, job: { ...valid.job, interface: { inputs: { files: [{ name: 'A' }, { name: 'A' }] } } } },
      'job.interface.inputs.files.1.name',
    ],
    [
      'duplicate error exit codes',
      {
        ...valid,
        job: {
          ...valid.job,
          errors: [
            { code: 2, name: 'x' },
            { code: 2, name: 'y' },
          ],
        },
      },
      'job.errors.1.code',
    ],
    [
      'an error name longer than the error table allows',
      { ...valid, job: { ...valid.job, errors: [{ code: 1, name: 'x'.repeat(51) }] } },
      'job.errors.0.name',
    ],
    [
      'a job version longer than the job_type column',
      { ...valid, job: { ...valid.job, jobVersion: `1.0.0-${'a'.repeat(50)}` } },
      'job.jobVersion',
    ],
  ])('SeedManifest - rejects %s, naming the field', (_name, input, field) => {
    expect(issuesOf(input).some((issue) => issue.startsWith(`${field}:`))).toBe(true);
  });
});
