/**
 * Scale's validation answer `{is_valid, errors[{name, description}], warnings[{name, description}]}` for
 * POST /v6/job-types/validation/ and PATCH /v6/job-types/<name>/<version>/, and the warnings a manifest earns.
 */
import {
  canonicalJson,
  customScalarNames,
  type FieldError,
  type SeedManifest,
  STANDARD_SCALAR_RESOURCES,
} from '@scale/contracts';

export interface ValidationMessage {
  name: string;
  description: string;
}

export interface ValidationResult {
  is_valid: boolean;
  errors: ValidationMessage[];
  warnings: ValidationMessage[];
}

/** Error names follow the part of the body at fault, as Scale's codes do (INVALID_MANIFEST, ...). */
function errorName(field: string): string {
  if (field === 'manifest' || field.startsWith('manifest.')) return 'INVALID_MANIFEST';
  if (field === 'configuration' || field.startsWith('configuration.')) return 'INVALID_CONFIGURATION';
  return 'INVALID_FIELD';
}

export function validationResult(
  errors: readonly FieldError[],
  warnings: readonly ValidationMessage[],
): ValidationResult {
  return {
    is_valid: errors.length === 0,
    errors: errors.map((e) => ({ name: errorName(e.field), description: `${e.field}: ${e.message}` })),
    warnings: [...warnings],
  };
}

/**
 * What the Seed standard asks for but Scale does not need to run the job (title, description, a maintainer with an
 * email), and custom resources no active node offers (Scale's unmet_resources).
 */
export function manifestWarnings(manifest: SeedManifest, offered: ReadonlySet<string>): ValidationMessage[] {
  const warnings: ValidationMessage[] = [];
  const { job } = manifest;
  const missing = [
    job.title === undefined ? 'job.title' : null,
    job.description === undefined ? 'job.description' : null,
    job.maintainer === undefined ? 'job.maintainer' : null,
    job.maintainer !== undefined && job.maintainer.email === undefined ? 'job.maintainer.email' : null,
  ].filter((field): field is string => field !== null);
  for (const field of missing) {
    warnings.push({ name: 'MISSING_SEED_FIELD', description: `The Seed standard requires ${field}` });
  }
  for (const name of customScalarNames(manifest).filter((n) => !offered.has(n))) {
    warnings.push({
      name: 'UNMET_RESOURCE',
      description:
        `Resource '${name}' is offered by no active node (they all offer ${STANDARD_SCALAR_RESOURCES.join(', ')}); ` +
        'jobs of this type wait until one does',
    });
  }
  return warnings;
}

export interface StoredRevision {
  revisionNum: number;
  dockerImage: string;
  manifest: unknown;
}

/** Tells the client what saving would do to an existing job type of the same name and version. */
export function revisionWarning(
  existing: StoredRevision | null,
  dockerImage: string | undefined,
  manifest: SeedManifest,
): ValidationMessage | null {
  if (!existing) return null;
  const changed =
    (dockerImage !== undefined && dockerImage !== existing.dockerImage) ||
    canonicalJson(existing.manifest) !== canonicalJson(manifest);
  const { name, jobVersion } = manifest.job;
  return changed
    ? {
        name: 'NEW_REVISION',
        description: `Job type ${name} ${jobVersion} exists; saving makes revision ${existing.revisionNum + 1}`,
      }
    : {
        name: 'NO_CHANGE',
        description: `Job type ${name} ${jobVersion} exists with this manifest and image (revision ${existing.revisionNum})`,
      };
}
