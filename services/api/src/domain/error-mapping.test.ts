import { describe, expect, it } from '@jest/globals';
import { SeedManifest } from '@scale/contracts';
import { errorsFromMapping, type KnownError, legacyErrorMapping } from './error-mapping.ts';

const manifest = SeedManifest.parse({
  seedVersion: '1.0.0',
  job: {
    name: 'm',
    jobVersion: '1.0.0',
    packageVersion: '1.0.0',
    timeout: 1,
    errors: [
      { code: 10, name: 'late' },
      { code: 2, name: 'bad-data', category: 'data' },
    ],
  },
});

const known = new Map<string, KnownError>([
  ['bad-data', { name: 'bad-data', title: 'Bad Data', description: null, category: 'DATA' }],
  ['crashed', { name: 'crashed', title: null, description: 'It crashed', category: 'ALGORITHM' }],
]);

describe('v5 error mapping', () => {
  it('legacyErrorMapping - exit codes in order, mapped to the manifest error names', () => {
    expect(legacyErrorMapping(manifest)).toEqual({ version: '1.0', exit_codes: { '2': 'bad-data', '10': 'late' } });
  });

  it('errorsFromMapping - turns a mapping into Seed errors with the stored titles and categories', () => {
    expect(errorsFromMapping({ '7': 'crashed', '3': 'bad-data' }, 'm', known)).toEqual({
      ok: true,
      errors: [
        { code: 3, name: 'bad-data', title: 'Bad Data', category: 'data' },
        { code: 7, name: 'crashed', description: 'It crashed', category: 'job' },
      ],
    });
    expect(errorsFromMapping({}, 'm', known)).toEqual({ ok: true, errors: [] });
  });

  it('errorsFromMapping - one error cannot take two exit codes', () => {
    expect(errorsFromMapping({ '3': 'crashed', '4': 'crashed' }, 'm', known)).toEqual({
      ok: false,
      issues: [
        {
          field: 'error_mappings.exit_codes.4',
          message: '"crashed" is already mapped from exit code 3; Seed maps one code per error',
        },
      ],
    });
  });

  it.each([
    ['0', 'crashed', 'exit codes must be integers from 1 to 255'],
    ['256', 'crashed', 'exit codes must be integers from 1 to 255'],
    ['one', 'crashed', 'exit codes must be integers from 1 to 255'],
    ['4', 'unknown', '"unknown" is not an error of job type "m"'],
  ])('errorsFromMapping - rejects %s → %s', (code, name, message) => {
    expect(errorsFromMapping({ [code]: name }, 'm', known)).toEqual({
      ok: false,
      issues: [{ field: `error_mappings.exit_codes.${code}`, message }],
    });
  });
});
