/**
 * Files around a job, decided without I/O: which catalogue files a job's input names (checked when it is
 * queued), and what its launch command carries so the agent can stage inputs, store outputs and mount what
 * the manifest asks for without a database (resolved when it is launched).
 */
import {
  ContainerOptions,
  type Data,
  type FieldError,
  HostPath,
  type LaunchExecution,
  MountSource,
  type OutputWorkspace,
  type SeedManifest,
  StagedFile,
} from '@scale/contracts';

const MIB = 1024 * 1024;

export interface CatalogueFile {
  id: number;
  /** Bytes. */
  size: number;
  deleted: boolean;
}

export interface InputFilesCheck {
  issues: FieldError[];
  /** (input name, file id) pairs for job_input_file. */
  links: { name: string; fileId: number }[];
  /** Scale's input_file_size: the distinct input files' bytes, in MiB. */
  sizeMiB: number;
}

/** `field` prefixes each issue's path (e.g. `jobs.0.input`). */
export function checkInputFiles(
  input: Data,
  catalogue: ReadonlyMap<number, CatalogueFile>,
  field: string,
): InputFilesCheck {
  const issues: FieldError[] = [];
  const links: { name: string; fileId: number }[] = [];
  const counted = new Set<number>();
  let bytes = 0;
  for (const [name, ids] of Object.entries(input.files)) {
    for (const id of ids) {
      const file = catalogue.get(id);
      if (!file) {
        issues.push({ field: `${field}.files.${name}`, message: `file ${id} does not exist` });
        continue;
      }
      if (file.deleted) {
        issues.push({ field: `${field}.files.${name}`, message: `file ${id} has been deleted` });
        continue;
      }
      links.push({ name, fileId: id });
      if (!counted.has(id)) bytes += file.size;
      counted.add(id);
    }
  }
  return { issues, links, sizeMiB: bytes / MIB };
}

/** A catalogue file with what its workspace says about where it lives. */
export interface FileLocation {
  id: number;
  fileName: string;
  filePath: string;
  size: number;
  mediaType: string;
  deleted: boolean;
  workspaceId: number;
  workspaceConfig: unknown;
}

export interface WorkspaceRow {
  id: number;
  name: string;
  isActive: boolean;
  config: unknown;
}

/** The host folder of a workspace configuration, or undefined for another broker or a damaged one. */
export function hostPathOf(config: unknown): string | undefined {
  const broker = (config as { broker?: { type?: unknown; host_path?: unknown } } | null)?.broker;
  if (broker?.type !== 'host') return undefined;
  const parsed = HostPath.safeParse(broker.host_path);
  return parsed.success ? parsed.data : undefined;
}

/** The job type configuration's parts that matter here (Scale's v6 configuration JSON, plus `container`). */
export interface FilesConfiguration {
  output_workspaces?: { default?: string; outputs?: Record<string, string> };
  mounts?: Record<string, unknown>;
  /** Relaxations of the hardened container defaults: `{network?, image_user?, writable_root?}` (booleans). */
  container?: unknown;
}

export interface LaunchFilesInput {
  input: Data;
  manifest: SeedManifest;
  configuration: FilesConfiguration | null;
}

export type LaunchFiles = Pick<LaunchExecution, 'inputFiles' | 'outputWorkspaces' | 'mounts' | 'container'>;

/** The job type's container relaxations, or undefined when it asks for none (or for something unknown). */
export function containerOptions(config: unknown): ContainerOptions | undefined {
  const c = config as { network?: unknown; image_user?: unknown; writable_root?: unknown } | null | undefined;
  if (!c || typeof c !== 'object') return undefined;
  const parsed = ContainerOptions.safeParse({
    network: c.network ?? false,
    imageUser: c.image_user ?? false,
    writableRoot: c.writable_root ?? false,
  });
  if (!parsed.success) return undefined;
  const { network, imageUser, writableRoot } = parsed.data;
  return network || imageUser || writableRoot ? parsed.data : undefined;
}

function stagedFile(file: FileLocation): StagedFile | undefined {
  const hostPath = hostPathOf(file.workspaceConfig);
  if (hostPath === undefined) return undefined;
  const parsed = StagedFile.safeParse({
    fileId: file.id,
    workspaceId: file.workspaceId,
    broker: { type: 'host', hostPath },
    path: file.filePath,
    fileName: file.fileName,
    size: file.size,
    mediaType: file.mediaType,
    deleted: file.deleted,
  });
  return parsed.success ? parsed.data : undefined;
}

function mountSource(config: unknown): MountSource | undefined {
  const c = config as { type?: unknown; host_path?: unknown; driver?: unknown; driver_opts?: unknown } | null;
  const candidate =
    c?.type === 'host'
      ? { type: 'host', hostPath: c.host_path }
      : c?.type === 'volume'
        ? {
            type: 'volume',
            ...(typeof c.driver === 'string' ? { driver: c.driver } : {}),
            driverOpts: c.driver_opts ?? {},
          }
        : undefined;
  const parsed = MountSource.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The launch fields about files. Whatever cannot be resolved is left out, and the agent fails the execution with
 * the Seed error that says why (missing-file, missing-mount); outputs without a workspace are not stored.
 * Fields stay absent when the job has nothing of the kind, so launches of file-less jobs are unchanged.
 */
export function resolveLaunchFiles(
  job: LaunchFilesInput,
  files: ReadonlyMap<number, FileLocation>,
  workspaces: ReadonlyMap<string, WorkspaceRow>,
): LaunchFiles {
  const result: LaunchFiles = {};
  const iface = job.manifest.job.interface;

  const inputFiles: NonNullable<LaunchFiles['inputFiles']> = {};
  for (const [name, ids] of Object.entries(job.input.files)) {
    const staged = ids.flatMap((id) => {
      const file = files.get(id);
      const resolved = file && stagedFile(file);
      return resolved ? [resolved] : [];
    });
    if (ids.length > 0) inputFiles[name] = staged;
  }
  if (Object.keys(inputFiles).length > 0) result.inputFiles = inputFiles;

  const targets = job.configuration?.output_workspaces;
  const outputWorkspaces: Record<string, OutputWorkspace> = {};
  for (const output of iface.outputs.files) {
    const name = targets?.outputs?.[output.name] ?? targets?.default;
    const workspace = name === undefined ? undefined : workspaces.get(name);
    const hostPath = workspace?.isActive ? hostPathOf(workspace.config) : undefined;
    if (workspace && hostPath !== undefined) {
      outputWorkspaces[output.name] = {
        workspaceId: workspace.id,
        workspaceName: workspace.name,
        broker: { type: 'host', hostPath },
      };
    }
  }
  if (Object.keys(outputWorkspaces).length > 0) result.outputWorkspaces = outputWorkspaces;

  const mounts: Record<string, MountSource> = {};
  for (const mount of iface.mounts) {
    const source = mountSource(job.configuration?.mounts?.[mount.name]);
    if (source) mounts[mount.name] = source;
  }
  if (Object.keys(mounts).length > 0) result.mounts = mounts;
  const container = containerOptions(job.configuration?.container);
  if (container) result.container = container;
  return result;
}

/** Workspace names a job type configuration sends outputs to. */
export function outputWorkspaceNames(configuration: FilesConfiguration | null): string[] {
  const targets = configuration?.output_workspaces;
  return [...(targets?.default ? [targets.default] : []), ...Object.values(targets?.outputs ?? {})];
}
