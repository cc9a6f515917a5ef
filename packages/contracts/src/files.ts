/**
 * Workspaces and files: the workspace configuration of the REST API (Scale's `json_config`), the relative paths
 * of files inside a workspace, and what the scheduler and the agents exchange to stage inputs and store outputs.
 * Only the host broker (a folder on the host) is implemented; Scale's nfs and s3 brokers are refused for now.
 */
import { z } from 'zod';

const Id = z.number().int().positive();

/** Longest relative path kept for a file (Scale's `file_path` column). */
export const MAX_FILE_PATH = 1000;

function pathProblem(path: string): string | undefined {
  if (path.length === 0) return 'must not be empty';
  if (path.includes('\0')) return 'must not contain NUL characters';
  if (path.includes('\\')) return 'must use / as separator';
  if (path.startsWith('/')) return 'must be relative to the workspace';
  const segments = path.split('/');
  if (segments.some((s) => s === '..')) return 'must not contain ".." segments';
  if (segments.some((s) => s === '' || s === '.')) return 'must not contain empty or "." segments';
  return undefined;
}

/**
 * A file's path relative to its workspace root, '/'-separated. Nothing in it can leave the workspace: no leading
 * '/', no '..', no empty or '.' segments (so there is one spelling per file).
 */
export const WorkspacePath = z
  .string()
  .max(MAX_FILE_PATH)
  .superRefine((path, ctx) => {
    const problem = pathProblem(path);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** An absolute, normalised host folder: no '..', '.' or empty segments, no trailing '/'. */
export const HostPath = z.string().superRefine((path, ctx) => {
  if (!path.startsWith('/')) return ctx.addIssue({ code: 'custom', message: 'must be an absolute path' });
  if (path === '/') return ctx.addIssue({ code: 'custom', message: 'must not be the root folder' });
  const problem = pathProblem(path.slice(1));
  if (problem) ctx.addIssue({ code: 'custom', message: problem.replace('relative to the workspace', 'normalised') });
});

export const BROKER_TYPES = ['host', 'nfs', 's3'] as const;
/** Broker types the platform can store files with today. */
export const SUPPORTED_BROKER_TYPES = ['host'] as const;

/** Scale's host broker: the workspace is a folder at the same path on every node (and on the API's host). */
export const HostBrokerConfiguration = z.strictObject({ type: z.literal('host'), host_path: HostPath });

/** Scale's workspace configuration JSON (`{"broker": {...}}`), as REST clients send it. */
export const WorkspaceConfiguration = z.strictObject({
  version: z.string().optional(),
  broker: z.looseObject({ type: z.string() }).superRefine((broker, ctx) => {
    if (!(SUPPORTED_BROKER_TYPES as readonly string[]).includes(broker.type)) {
      const known = (BROKER_TYPES as readonly string[]).includes(broker.type);
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: known
          ? `broker type "${broker.type}" is not supported yet (supported: ${SUPPORTED_BROKER_TYPES.join(', ')})`
          : `unknown broker type "${broker.type}" (supported: ${SUPPORTED_BROKER_TYPES.join(', ')})`,
      });
      return;
    }
    const parsed = HostBrokerConfiguration.safeParse(broker);
    for (const issue of parsed.success ? [] : parsed.error.issues) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  }),
});
export type WorkspaceConfiguration = z.infer<typeof WorkspaceConfiguration>;

/** How an agent reaches a workspace (messages use camelCase). */
export const BrokerRef = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('host'), hostPath: HostPath }),
]);
export type BrokerRef = z.infer<typeof BrokerRef>;

/** One input file of an execution, resolved by the scheduler so the agent needs no database. */
export const StagedFile = z.strictObject({
  fileId: Id,
  workspaceId: Id,
  broker: BrokerRef,
  /** Relative to the workspace root. */
  path: WorkspacePath,
  fileName: z.string().min(1),
  /** Bytes, as the catalogue knows it. */
  size: z.number().int().nonnegative(),
  mediaType: z.string(),
  /** The catalogue marks the file deleted: the execution fails with deleted-file. */
  deleted: z.boolean().default(false),
});
export type StagedFile = z.infer<typeof StagedFile>;

/** Where the files of one output go. */
export const OutputWorkspace = z.strictObject({ workspaceId: Id, workspaceName: z.string(), broker: BrokerRef });
export type OutputWorkspace = z.infer<typeof OutputWorkspace>;

/** The source of a Seed mount, from the job type configuration (`mounts` in Scale's configuration JSON). */
export const MountSource = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('host'), hostPath: HostPath }),
  /** A Docker volume made for the execution with this driver (e.g. `local` with nfs options), removed with it. */
  z.strictObject({
    type: z.literal('volume'),
    driver: z.string().optional(),
    driverOpts: z.record(z.string(), z.string()).default({}),
  }),
]);
export type MountSource = z.infer<typeof MountSource>;

/**
 * Relaxations of the hardened container defaults, per job type, for images that need them. Every field defaults
 * to the hardened choice.
 */
export const ContainerOptions = z.strictObject({
  /** Docker's bridge network instead of none. */
  network: z.boolean().default(false),
  /** Run as the image's USER instead of nobody (65534). */
  imageUser: z.boolean().default(false),
  /** A writable root filesystem instead of a read-only one. */
  writableRoot: z.boolean().default(false),
});
export type ContainerOptions = z.infer<typeof ContainerOptions>;

/** One file an execution produced, already stored in its output workspace by the agent. */
export const OutputFile = z.strictObject({
  /** The manifest's output name. */
  outputName: z.string().min(1),
  workspaceId: Id,
  /** Relative to the workspace root. */
  path: WorkspacePath,
  fileName: z.string().min(1),
  /** Bytes. */
  size: z.number().int().nonnegative(),
  mediaType: z.string(),
});
export type OutputFile = z.infer<typeof OutputFile>;

const MEDIA_TYPES: Record<string, string> = {
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  html: 'text/html',
  xml: 'application/xml',
  json: 'application/json',
  geojson: 'application/geo+json',
  kml: 'application/vnd.google-earth.kml+xml',
  kmz: 'application/vnd.google-earth.kmz',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  ntf: 'image/nitf',
  nitf: 'image/nitf',
  h5: 'application/x-hdf5',
  hdf5: 'application/x-hdf5',
  nc: 'application/x-netcdf',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
};

/** Media type from the file name's extension, `application/octet-stream` when unknown (as Scale guesses). */
export function mediaTypeOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  return MEDIA_TYPES[extension] ?? 'application/octet-stream';
}
