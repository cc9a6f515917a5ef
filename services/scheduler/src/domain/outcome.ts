/** What an ended execution means for its job: which error, and whether the job is retried. */
import { BuiltinErrorName, type ExecutionFailure, type SeedManifest } from '@scale/contracts';

/** The error row an execution failure maps to: a job type error (by exit code) or a builtin one. */
export interface ErrorRef {
  name: string;
  /** Set for errors a manifest declares; null for builtin errors. */
  jobTypeName: string | null;
}

export function errorForFailure(failure: ExecutionFailure, manifest: SeedManifest): ErrorRef {
  switch (failure.type) {
    case 'EXIT_CODE': {
      const mapped = manifest.job.errors.find((e) => e.code === failure.exitCode);
      return mapped
        ? { name: mapped.name, jobTypeName: manifest.job.name }
        : { name: BuiltinErrorName.algorithmUnknown, jobTypeName: null };
    }
    case 'TIMEOUT':
      return { name: BuiltinErrorName.timeout, jobTypeName: null };
    case 'LAUNCH':
      return { name: BuiltinErrorName.dockerTaskLaunch, jobTypeName: null };
    case 'IMAGE_MISSING':
      return { name: BuiltinErrorName.pull, jobTypeName: null };
    case 'OUTPUT':
    case 'PRE':
      return { name: failure.error, jobTypeName: null };
    case 'KILLED':
      return { name: 'canceled', jobTypeName: null };
    default:
      return assertNever(failure);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected failure ${JSON.stringify(value)}`);
}

export interface RetryInput {
  shouldBeRetried: boolean;
  numExes: number;
  maxTries: number;
  isLongRunning: boolean;
}

/** Scale's rule: retry retryable (SYSTEM) errors while tries remain; long-running types are always requeued. */
export function shouldRetry({ shouldBeRetried, numExes, maxTries, isLongRunning }: RetryInput): boolean {
  return isLongRunning || (shouldBeRetried && numExes < maxTries);
}
