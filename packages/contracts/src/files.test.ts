import { describe, expect, it } from '@jest/globals';
import {
  HostPath,
  mediaTypeOf,
  type OutputFile,
  type StagedFile,
  WorkspaceConfiguration,
  WorkspacePath,
} from './files.ts';
import { LaunchExecution, TaskUpdate } from './messages.ts';

describe('WorkspacePath', () => {
  it.each(['a.txt', 'scenes/day1/a.tif', 'x/.hidden', 'a b/c:d,e'])('WorkspacePath - accepts %j', (path) => {
    expect(WorkspacePath.safeParse(path).success).toBe(true);
  });

  it.each<[string, string]>([
    ['', 'must not be empty'],
    ['/etc/passwd', 'must be relative to the workspace'],
    ['../x', 'must not contain ".." segments'],
    ['a/../../x', 'must not contain ".." segments'],
    ['a//b', 'must not contain empty or "." segments'],
    ['a/./b', 'must not contain empty or "." segments'],
    ['a/', 'must not contain empty or "." segments'],
    ['a\\b', 'must use / as separator'],
    ['a\0b', 'must not contain NUL characters'],
  ])('WorkspacePath - refuses %j', (path, message) => {
    const result = WorkspacePath.safeParse(path);
    expect(result.success ? undefined : result.error.issues[0]?.message).toBe(message);
  });
});

describe('HostPath', () => {
  it.each<[string, string | undefined]>([
    ['/data/raw', undefined],
    ['data/raw', 'must be an absolute path'],
    ['/', 'must not be the root folder'],
    ['/data/../etc', 'must not contain ".." segments'],
    ['/data/', 'must not contain empty or "." segments'],
  ])('HostPath - %j', (path, message) => {
    const result = HostPath.safeParse(path);
    expect(result.success ? undefined : result.error.issues[0]?.message).toBe(message);
  });
});

describe('WorkspaceConfiguration', () => {
  it('WorkspaceConfiguration - a host broker round-trips', () => {
    const config = { broker: { type: 'host', host_path: '/data/raw' } };
    expect(WorkspaceConfiguration.parse(config)).toEqual(config);
  });

  it.each<[unknown, string, string]>([
    [
      { broker: { type: 's3', bucket_name: 'b' } },
      'broker.type',
      'broker type "s3" is not supported yet (supported: host)',
    ],
    [{ broker: { type: 'ftp' } }, 'broker.type', 'unknown broker type "ftp" (supported: host)'],
    [{ broker: { type: 'host' } }, 'broker.host_path', 'Invalid input: expected string, received undefined'],
    [{ broker: { type: 'host', host_path: '/x', extra: 1 } }, 'broker', 'Unrecognized key: "extra"'],
  ])('WorkspaceConfiguration - refuses %j', (config, path, message) => {
    const result = WorkspaceConfiguration.safeParse(config);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([[path, message]]);
  });
});

describe('mediaTypeOf', () => {
  it.each([
    ['a.TIF', 'image/tiff'],
    ['report.txt', 'text/plain'],
    ['x.kml', 'application/vnd.google-earth.kml+xml'],
    ['archive.tar.gz', 'application/gzip'],
    ['README', 'application/octet-stream'],
    ['.bashrc', 'application/octet-stream'],
  ])('mediaTypeOf - %s', (name, type) => {
    expect(mediaTypeOf(name)).toBe(type);
  });
});

describe('messages with files', () => {
  const token = { jobExeId: 3, jobId: 2, exeNum: 1, epoch: 1 };
  const broker = { type: 'host' as const, hostPath: '/data/raw' };

  it('LaunchExecution - input files, output workspaces, mounts and container options round-trip; all optional', () => {
    const base = {
      token,
      jobTypeName: 'j',
      jobTypeVersion: '1.0.0',
      dockerImage: 'img',
      manifest: { seedVersion: '1.0.0', job: { name: 'j', jobVersion: '1.0.0', packageVersion: '1.0.0', timeout: 5 } },
      input: { files: { IMAGE: [7] }, json: {} },
      resources: { cpus: 1, mem: 64, disk: 0, gpus: 0 },
      settings: {},
      timeoutSeconds: 5,
    };
    expect(LaunchExecution.safeParse(base).success).toBe(true);
    const staged: StagedFile = {
      fileId: 7,
      workspaceId: 1,
      broker,
      path: 'in/a.tif',
      fileName: 'a.tif',
      size: 10,
      mediaType: 'image/tiff',
      deleted: false,
    };
    const full = LaunchExecution.parse({
      ...base,
      inputFiles: { IMAGE: [staged] },
      outputWorkspaces: { out: { workspaceId: 2, workspaceName: 'products', broker } },
      mounts: { ref: broker, scratch: { type: 'volume', driver: 'local', driverOpts: {} } },
      container: { network: true, imageUser: false, writableRoot: false },
    });
    expect(LaunchExecution.parse(JSON.parse(JSON.stringify(full)))).toEqual(full);
    expect(LaunchExecution.safeParse({ ...base, inputFiles: { IMAGE: [{ ...staged, path: '../x' }] } }).success).toBe(
      false,
    );
  });

  it('TaskUpdate - COMPLETED with output files round-trips; without them it is still valid', () => {
    const file: OutputFile = {
      outputName: 'out',
      workspaceId: 2,
      path: 'j/1.0.0/2026/01/01/job_exe_3/a.txt',
      fileName: 'a.txt',
      size: 1,
      mediaType: 'text/plain',
    };
    const update = {
      status: 'COMPLETED' as const,
      token,
      agentId: 'a',
      at: '2026-01-01T00:00:00.000Z',
      output: { files: {}, json: {} },
      taskResults: [],
      outputFiles: [file],
    };
    expect(TaskUpdate.parse(update)).toEqual(update);
    const { outputFiles: _, ...older } = update;
    expect(TaskUpdate.parse(older)).toEqual(older);
  });

  it('TaskUpdate - a PRE failure names its builtin error', () => {
    const failed = {
      status: 'FAILED' as const,
      token,
      agentId: 'a',
      at: '2026-01-01T00:00:00.000Z',
      failure: { type: 'PRE' as const, error: 'missing-file' as const, message: 'gone' },
      taskResults: [],
    };
    expect(TaskUpdate.parse(failed)).toEqual(failed);
    expect(TaskUpdate.safeParse({ ...failed, failure: { ...failed.failure, error: 'nope' } }).success).toBe(false);
  });
});
