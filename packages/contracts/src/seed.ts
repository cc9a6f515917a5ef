/**
 * The Seed job manifest (seedVersion 1.0.0), as stored on a job type and each of its revisions.
 * See https://ngageoint.github.io/seed/ for the standard; field names follow it exactly.
 */
import { z } from 'zod';

const NAME = /^[a-zA-Z0-9-]+$/;
/** Seed's pattern for error names (the error table keys them per job type name). */
const ERROR_NAME = /^[a-zA-Z0-9_-]+$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
/** Names of inputs, outputs, settings and mounts become environment variable names. */
const INTERFACE_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]*$/;

const interfaceName = z
  .string()
  .regex(INTERFACE_NAME, 'must start with a letter or _ and hold only letters, digits, _ and -');

export const SeedScalarResource = z.strictObject({
  name: z.string().min(1),
  /** cpus in cores; mem, disk and sharedMem in MiB; other names are custom scalars (e.g. gpus). */
  value: z.number().nonnegative(),
  /** Added per MiB of input files: requirement = value + inputSize × inputMultiplier. */
  inputMultiplier: z.number().nonnegative().optional(),
});
export type SeedScalarResource = z.infer<typeof SeedScalarResource>;

export const SeedInputFile = z.strictObject({
  name: interfaceName,
  mediaTypes: z.array(z.string()).optional(),
  multiple: z.boolean().default(false),
  partial: z.boolean().default(false),
  required: z.boolean().default(true),
});
export const JsonType = z.enum(['string', 'number', 'integer', 'boolean', 'object', 'array']);
export const SeedInputJson = z.strictObject({
  name: interfaceName,
  type: JsonType,
  required: z.boolean().default(true),
});
export const SeedOutputFile = z.strictObject({
  name: interfaceName,
  /** Glob relative to OUTPUT_DIR. */
  pattern: z.string().min(1),
  mediaType: z.string().optional(),
  multiple: z.boolean().default(false),
  required: z.boolean().default(true),
});
export const SeedOutputJson = z.strictObject({
  name: interfaceName,
  type: JsonType,
  /** Key in seed.outputs.json when it differs from name. */
  key: z.string().optional(),
  required: z.boolean().default(true),
});
export const SeedMount = z.strictObject({
  name: interfaceName,
  path: z.string().startsWith('/', 'must be an absolute path in the container'),
  mode: z.enum(['ro', 'rw']).default('ro'),
});
export const SeedSetting = z.strictObject({ name: interfaceName, secret: z.boolean().default(false) });
export const SeedError = z.strictObject({
  code: z.number().int().min(1).max(255),
  // Lengths are those of the error table's columns, so a long value is a 400 rather than a failed insert.
  name: z
    .string()
    .max(50, 'must be at most 50 characters')
    .regex(ERROR_NAME, 'must hold only letters, digits, _ and -'),
  title: z.string().max(255, 'must be at most 255 characters').optional(),
  description: z.string().optional(),
  /** job → ALGORITHM, data → DATA. */
  category: z.enum(['job', 'data']).default('job'),
});

export const SeedInterface = z.strictObject({
  command: z.string().optional(),
  inputs: z
    .strictObject({ files: z.array(SeedInputFile).default([]), json: z.array(SeedInputJson).default([]) })
    .default({ files: [], json: [] }),
  outputs: z
    .strictObject({ files: z.array(SeedOutputFile).default([]), json: z.array(SeedOutputJson).default([]) })
    .default({ files: [], json: [] }),
  mounts: z.array(SeedMount).default([]),
  settings: z.array(SeedSetting).default([]),
});

export const SeedJob = z.strictObject({
  // Lengths are those of the job_type columns (name 255, version 50, title 255).
  name: z.string().max(255, 'must be at most 255 characters').regex(NAME, 'must hold only letters, digits and -'),
  jobVersion: z.string().max(50, 'must be at most 50 characters').regex(SEMVER, 'must be a semantic version'),
  packageVersion: z.string().regex(SEMVER, 'must be a semantic version'),
  title: z.string().max(255, 'must be at most 255 characters').optional(),
  description: z.string().optional(),
  tags: z.array(z.string()).default([]),
  /** Hard limit for the main task, in seconds. */
  timeout: z.number().int().positive(),
  maintainer: z
    .looseObject({
      name: z.string(),
      email: z.string().optional(),
      phone: z.string().optional(),
      organization: z.string().optional(),
      url: z.string().optional(),
    })
    .optional(),
  resources: z.strictObject({ scalar: z.array(SeedScalarResource).default([]) }).default({ scalar: [] }),
  interface: SeedInterface.default({
    inputs: { files: [], json: [] },
    outputs: { files: [], json: [] },
    mounts: [],
    settings: [],
  }),
  errors: z.array(SeedError).default([]),
});

export const SeedManifest = z
  .strictObject({
    seedVersion: z.literal('1.0.0'),
    job: SeedJob,
  })
  .superRefine((manifest, ctx) => {
    const iface = manifest.job.interface;
    const groups: [string, { name: string }[]][] = [
      ['interface.inputs.files', iface.inputs.files],
      ['interface.inputs.json', iface.inputs.json],
      ['interface.outputs.files', iface.outputs.files],
      ['interface.outputs.json', iface.outputs.json],
      ['interface.mounts', iface.mounts],
      ['interface.settings', iface.settings],
      ['resources.scalar', manifest.job.resources.scalar],
    ];
    for (const [path, items] of groups) {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        if (seen.has(item.name)) {
          ctx.addIssue({
            code: 'custom',
            path: ['job', ...path.split('.'), index, 'name'],
            message: `duplicate name "${item.name}"`,
          });
        }
        seen.add(item.name);
      });
    }
    iface.inputs.json.forEach((input, index) => {
      if (iface.inputs.files.some((f) => f.name === input.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['job', 'interface', 'inputs', 'json', index, 'name'],
          message: `"${input.name}" is also a file input`,
        });
      }
    });
    const codes = new Set<number>();
    manifest.job.errors.forEach((error, index) => {
      if (codes.has(error.code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['job', 'errors', index, 'code'],
          message: `duplicate exit code ${error.code}`,
        });
      }
      codes.add(error.code);
    });
  });
export type SeedManifest = z.infer<typeof SeedManifest>;
/** What a client sends: defaults not yet applied. */
export type SeedManifestInput = z.input<typeof SeedManifest>;

/** Scalar value of a named resource in a manifest, or undefined. */
export function seedScalar(manifest: SeedManifest, name: string): SeedScalarResource | undefined {
  return manifest.job.resources.scalar.find((r) => r.name === name);
}
