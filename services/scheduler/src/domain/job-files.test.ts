import { describe, expect, it } from '@jest/globals';
import { SeedManifest } from '@scale/contracts';
import {
  type CatalogueFile,
  checkInputFiles,
  containerOptions,
  type FileLocation,
  hostPathOf,
  outputWorkspaceNames,
  resolveLaunchFiles,
  type WorkspaceRow,
} from './job-files.ts';

const MIB = 1024 * 1024;
const catalogue = new Map<number, CatalogueFile>([
  [1, { id: 1, size: 3 * MIB, deleted: false }],
  [2, { id: 2, size: MIB / 2, deleted: false }],
  [3, { id: 3, size: MIB, deleted: true }],
]);

describe('checkInputFiles', () => {
  it('checkInputFiles - links every file to its input and sums distinct sizes in MiB', () => {
    expect(checkInputFiles({ files: { a: [1, 2], b: [1] }, json: {} }, catalogue, 'input')).toEqual({
      issues: [],
      links: [
        { name: 'a', fileId: 1 },
        { name: 'a', fileId: 2 },
        { name: 'b', fileId: 1 },
      ],
      sizeMiB: 3.5,
    });
  });

  it('checkInputFiles - no files, no size', () => {
    expect(checkInputFiles({ files: {}, json: { x: 1 } }, catalogue, 'input')).toEqual({
      issues: [],
      links: [],
      sizeMiB: 0,
    });
  });

  it('checkInputFiles - names unknown and deleted files by input', () => {
    expect(checkInputFiles({ files: { a: [9, 1], b: [3] }, json: {} }, catalogue, 'jobs.2.input').issues).toEqual([
      { field: 'jobs.2.input.files.a', message: 'file 9 does not exist' },
      { field: 'jobs.2.input.files.b', message: 'file 3 has been deleted' },
    ]);
  });
});

describe('hostPathOf', () => {
  it.each<[unknown, string | undefined]>([
    [{ broker: { type: 'host', host_path: '/data/raw' } }, '/data/raw'],
    [{ broker: { type: 'host', host_path: 'relative' } }, undefined],
    [{ broker: { type: 'host', host_path: '/data/../etc' } }, undefined],
    [{ broker: { type: 's3', bucket_name: 'b' } }, undefined],
    [null, undefined],
  ])('hostPathOf - %j', (config, expected) => {
    expect(hostPathOf(config)).toBe(expected);
  });
});

describe('resolveLaunchFiles', () => {
  const manifest = SeedManifest.parse({
    seedVersion: '1.0.0',
    job: {
      name: 'j',
      jobVersion: '1.0.0',
      packageVersion: '1.0.0',
      timeout: 10,
      interface: {
        inputs: { files: [{ name: 'IMAGE' }, { name: 'EXTRA', required: false }] },
        outputs: {
          files: [
            { name: 'a', pattern: '*.a' },
            { name: 'b', pattern: '*.b' },
            { name: 'c', pattern: '*.c' },
          ],
        },
        mounts: [
          { name: 'host', path: '/h' },
          { name: 'vol', path: '/v', mode: 'rw' },
          { name: 'bad', path: '/b' },
        ],
      },
    },
  });
  const location = (id: number, extra: Partial<FileLocation> = {}): FileLocation => ({
    id,
    fileName: `f${id}.tif`,
    filePath: `in/f${id}.tif`,
    size: 10,
    mediaType: 'image/tiff',
    deleted: false,
    workspaceId: 1,
    workspaceConfig: { broker: { type: 'host', host_path: '/data/raw' } },
    ...extra,
  });
  const files = new Map<number, FileLocation>([
    [1, location(1)],
    [2, location(2, { deleted: true })],
    [3, location(3, { workspaceConfig: { broker: { type: 's3' } } })],
    [4, location(4, { filePath: '../escape' })],
  ]);
  const workspaces = new Map<string, WorkspaceRow>([
    ['products', { id: 7, name: 'products', isActive: true, config: { broker: { type: 'host', host_path: '/p' } } }],
    ['old', { id: 8, name: 'old', isActive: false, config: { broker: { type: 'host', host_path: '/o' } } }],
  ]);

  it('resolveLaunchFiles - stages what it can resolve; the agent fails the rest with the Seed error', () => {
    const result = resolveLaunchFiles(
      {
        input: { files: { IMAGE: [1, 2, 3, 4, 5] }, json: {} },
        manifest,
        configuration: {
          output_workspaces: { default: 'products', outputs: { b: 'old', c: 'nowhere' } },
          mounts: {
            host: { type: 'host', host_path: '/data/ref' },
            vol: { type: 'volume', driver: 'local', driver_opts: { type: 'nfs' } },
            bad: { type: 'host', host_path: 'not/absolute' },
          },
        },
      },
      files,
      workspaces,
    );
    expect(result).toEqual({
      inputFiles: {
        IMAGE: [
          {
            fileId: 1,
            workspaceId: 1,
            broker: { type: 'host', hostPath: '/data/raw' },
            path: 'in/f1.tif',
            fileName: 'f1.tif',
            size: 10,
            mediaType: 'image/tiff',
            deleted: false,
          },
          expect.objectContaining({ fileId: 2, deleted: true }),
        ],
      },
      outputWorkspaces: { a: { workspaceId: 7, workspaceName: 'products', broker: { type: 'host', hostPath: '/p' } } },
      mounts: {
        host: { type: 'host', hostPath: '/data/ref' },
        vol: { type: 'volume', driver: 'local', driverOpts: { type: 'nfs' } },
      },
    });
  });

  it('resolveLaunchFiles - a job without files, workspaces or mounts gets no extra field', () => {
    const plain = SeedManifest.parse({
      seedVersion: '1.0.0',
      job: { name: 'p', jobVersion: '1.0.0', packageVersion: '1.0.0', timeout: 10 },
    });
    expect(
      resolveLaunchFiles({ input: { files: {}, json: {} }, manifest: plain, configuration: null }, files, workspaces),
    ).toEqual({});
  });
});

describe('containerOptions', () => {
  it.each<[unknown, unknown]>([
    [undefined, undefined],
    [{}, undefined],
    [{ network: false }, undefined],
    [{ network: true }, { network: true, imageUser: false, writableRoot: false }],
    [
      { image_user: true, writable_root: true },
      { network: false, imageUser: true, writableRoot: true },
    ],
    [{ network: 'yes' }, undefined],
  ])('containerOptions - %j', (config, expected) => {
    expect(containerOptions(config)).toEqual(expected);
  });
});

describe('outputWorkspaceNames', () => {
  it('outputWorkspaceNames - the default and every per-output name', () => {
    expect(outputWorkspaceNames({ output_workspaces: { default: 'p', outputs: { a: 'q', b: 'p' } } })).toEqual([
      'p',
      'q',
      'p',
    ]);
    expect(outputWorkspaceNames(null)).toEqual([]);
  });
});
