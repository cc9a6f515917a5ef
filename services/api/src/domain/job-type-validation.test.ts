import { describe, expect, it } from '@jest/globals';
import { SeedManifest } from '@scale/contracts';
import { manifestWarnings, revisionWarning, validationResult } from './job-type-validation.ts';

const base = {
  seedVersion: '1.0.0',
  job: { name: 'v', jobVersion: '1.0.0', packageVersion: '1.0.0', timeout: 1 },
} as const;
const complete = SeedManifest.parse({
  ...base,
  job: { ...base.job, title: 'V', description: 'd', maintainer: { name: 'n', email: 'e@x' } },
});

describe('job type validation', () => {
  it('validationResult - names errors after the part of the body at fault', () => {
    expect(
      validationResult(
        [
          { field: 'manifest.job.name', message: 'bad' },
          { field: 'configuration.settings.X', message: 'undeclared' },
          { field: 'docker_image', message: 'This field is required.' },
        ],
        [{ name: 'W', description: 'w' }],
      ),
    ).toEqual({
      is_valid: false,
      errors: [
        { name: 'INVALID_MANIFEST', description: 'manifest.job.name: bad' },
        { name: 'INVALID_CONFIGURATION', description: 'configuration.settings.X: undeclared' },
        { name: 'INVALID_FIELD', description: 'docker_image: This field is required.' },
      ],
      warnings: [{ name: 'W', description: 'w' }],
    });
    expect(validationResult([], []).is_valid).toBe(true);
  });

  it.each<[string, unknown, string[]]>([
    ['a complete manifest', complete, []],
    [
      'a bare manifest',
      base,
      [
        'MISSING_SEED_FIELD: The Seed standard requires job.title',
        'MISSING_SEED_FIELD: The Seed standard requires job.description',
        'MISSING_SEED_FIELD: The Seed standard requires job.maintainer',
      ],
    ],
    [
      'a maintainer without email and a custom resource',
      {
        ...base,
        job: {
          ...complete.job,
          maintainer: { name: 'n' },
          resources: {
            scalar: [
              { name: 'cpus', value: 1 },
              { name: 'chocolate', value: 1 },
            ],
          },
        },
      },
      [
        'MISSING_SEED_FIELD: The Seed standard requires job.maintainer.email',
        "UNMET_RESOURCE: Resource 'chocolate' is offered by no active node (they all offer cpus, mem, disk, " +
          'sharedMem, gpus); jobs of this type wait until one does',
      ],
    ],
  ])('manifestWarnings - %s', (_what, manifest, expected) => {
    expect(
      manifestWarnings(SeedManifest.parse(manifest), new Set(['vanilla'])).map((w) => `${w.name}: ${w.description}`),
    ).toEqual(expected);
  });

  it.each([
    ['no job type yet', null, 'img', null],
    ['the same manifest and image', { revisionNum: 2, dockerImage: 'img', manifest: complete }, 'img', 'NO_CHANGE'],
    [
      'no image sent and the same manifest',
      { revisionNum: 2, dockerImage: 'img', manifest: complete },
      undefined,
      'NO_CHANGE',
    ],
    ['another image', { revisionNum: 2, dockerImage: 'img', manifest: complete }, 'img2', 'NEW_REVISION'],
    ['another manifest', { revisionNum: 2, dockerImage: 'img', manifest: base }, 'img', 'NEW_REVISION'],
  ])('revisionWarning - %s', (_what, existing, image, expected) => {
    expect(revisionWarning(existing, image, complete)?.name ?? null).toBe(expected);
  });
});
