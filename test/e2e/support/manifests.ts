/**
 * Seed manifests for the e2e job types. Every suite registers busybox jobs that differ only in name, command,
 * resources and interface, so the Seed boilerplate (versions, resource shape) is written once here.
 */

export interface SeedJob {
  /** Shown as the job type's title when given. */
  title?: string;
  timeout?: number;
  cpus: number;
  mem: number;
  /** Memory per MiB of input files (Seed's inputMultiplier). */
  memInputMultiplier?: number;
  /** Seed's job interface: the command and any inputs and outputs. */
  interface: { command: string } & Record<string, unknown>;
  errors?: unknown[];
}

export function seedManifest(name: string, job: SeedJob) {
  return {
    seedVersion: '1.0.0',
    job: {
      name,
      jobVersion: '1.0.0',
      packageVersion: '1.0.0',
      ...(job.title === undefined ? {} : { title: job.title }),
      timeout: job.timeout ?? 60,
      resources: {
        scalar: [
          { name: 'cpus', value: job.cpus },
          {
            name: 'mem',
            value: job.mem,
            ...(job.memInputMultiplier === undefined ? {} : { inputMultiplier: job.memInputMultiplier }),
          },
        ],
      },
      interface: job.interface,
      ...(job.errors === undefined ? {} : { errors: job.errors }),
    },
  };
}
