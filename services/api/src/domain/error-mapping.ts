/**
 * The v5 view of a job type's errors: Scale 5's `error_mapping` ({version, exit_codes: {code: error name}}) is, for a
 * Seed job type, the manifest's `errors`. An edit of the mapping therefore rewrites those errors (a new revision).
 */
import type { ErrorCategory, SeedManifest } from '@scale/contracts';

export interface LegacyErrorMapping {
  version: '1.0';
  exit_codes: Record<string, string>;
}

export function legacyErrorMapping(manifest: SeedManifest): LegacyErrorMapping {
  const exitCodes = [...manifest.job.errors].sort((a, b) => a.code - b.code).map((e) => [String(e.code), e.name]);
  return { version: '1.0', exit_codes: Object.fromEntries(exitCodes) };
}

/** An error row a mapping may point at: one the job type's manifests have declared. */
export interface KnownError {
  name: string;
  title?: string | null | undefined;
  description?: string | null | undefined;
  category: ErrorCategory;
}

export interface MappingIssue {
  field: string;
  message: string;
}

export type MappingResult = { ok: true; errors: SeedManifest['job']['errors'] } | { ok: false; issues: MappingIssue[] };

/**
 * The manifest errors a v5 mapping stands for. Each exit code must be 1..255 and name an error of this job type;
 * Seed cannot map an exit code to a builtin (SYSTEM) error, and unmapped codes already fail as algorithm-unknown.
 */
export function errorsFromMapping(
  exitCodes: Readonly<Record<string, string>>,
  jobTypeName: string,
  known: ReadonlyMap<string, KnownError>,
): MappingResult {
  const issues: MappingIssue[] = [];
  const errors: SeedManifest['job']['errors'] = [];
  const codeOf = new Map<string, string>();
  for (const [code, name] of Object.entries(exitCodes)) {
    const field = `error_mappings.exit_codes.${code}`;
    const exitCode = /^\d+$/.test(code) ? Number(code) : Number.NaN;
    if (!(exitCode >= 1 && exitCode <= 255)) {
      issues.push({ field, message: 'exit codes must be integers from 1 to 255' });
      continue;
    }
    const error = known.get(name);
    if (!error) {
      issues.push({ field, message: `"${name}" is not an error of job type "${jobTypeName}"` });
      continue;
    }
    // A Seed manifest declares each error once, with one exit code.
    const other = codeOf.get(name);
    if (other !== undefined) {
      issues.push({
        field,
        message: `"${name}" is already mapped from exit code ${other}; Seed maps one code per error`,
      });
      continue;
    }
    codeOf.set(name, code);
    errors.push({
      code: exitCode,
      name: error.name,
      ...(error.title == null ? {} : { title: error.title }),
      ...(error.description == null ? {} : { description: error.description }),
      category: error.category === 'DATA' ? 'data' : 'job',
    });
  }
  return issues.length ? { ok: false, issues } : { ok: true, errors: errors.sort((a, b) => a.code - b.code) };
}
