/**
 * The Seed executor rules on the real Docker engine, one rule per test: file inputs staged read-only from host
 * workspaces, file outputs stored in output workspaces, settings and allocation in the environment, mounts,
 * shared memory, hardened defaults and their per-job-type relaxations, and outputs of a container that ended while
 * the agent was down reported once.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { OutputWorkspace, StagedFile } from '@scale/contracts';
import { containerName } from '../../src/domain/container-identity.ts';
import { type AgentHarness, startAgentHarness, waitFor } from '../fixtures/agent-harness.ts';
import { makeLaunch } from '../fixtures/launch.ts';
import { buildSeedTestImage, IMAGE_UID, removeImage, tagImage } from '../fixtures/seed-image.ts';

jest.setTimeout(120_000);

let h: AgentHarness;
let root: string;
let raw: string;
let products: string;
const image = `local/scale-seed-test:${process.pid}-${Date.now().toString(36)}`;

const rawWorkspace = () => ({ workspaceId: 1, broker: { type: 'host' as const, hostPath: raw } });
const productsWorkspace = (): OutputWorkspace => ({
  workspaceId: 2,
  workspaceName: 'products',
  broker: { type: 'host', hostPath: products },
});
const staged = (fileId: number, path: string, size = 0): StagedFile => ({
  ...rawWorkspace(),
  fileId,
  path,
  fileName: path.slice(path.lastIndexOf('/') + 1),
  size,
  mediaType: 'text/plain',
  deleted: false,
});

/** The day folder of a product path, from the main task's start. */
function dayOf(end: { taskResults: { type: string; started?: string | undefined }[] }): string {
  const started = new Date(end.taskResults.find((t) => t.type === 'main')?.started ?? '');
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${started.getUTCFullYear()}/${pad(started.getUTCMonth() + 1)}/${pad(started.getUTCDate())}`;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'scale-workspaces-'));
  raw = join(root, 'raw');
  products = join(root, 'products');
  await mkdir(join(raw, 'in'), { recursive: true });
  await mkdir(join(raw, 'bands'), { recursive: true });
  await mkdir(products);
  await writeFile(join(raw, 'in', 'scene.txt'), 'one\ntwo\nthree\n');
  await writeFile(join(raw, 'bands', 'b1.txt'), 'band one\n');
  await writeFile(join(raw, 'bands', 'b2.txt'), 'band two\n');
  // Only its owner may read this one, so the job's user (nobody) may not.
  await writeFile(join(raw, 'in', 'private.txt'), 'private\n');
  await chmod(join(raw, 'in', 'private.txt'), 0o600);
  await buildSeedTestImage(image);
  h = await startAgentHarness();
  await h.startApp();
});

afterAll(async () => {
  await h?.close();
  await removeImage(image);
  await rm(root, { recursive: true, force: true });
});

describe('seed executor', () => {
  it('inputs and outputs - stages file inputs read-only and stores file outputs in their workspace', async () => {
    const command = makeLaunch({
      jobExeId: 101,
      jobTypeName: 'seed-test',
      image,
      command: '/app/run.sh ${IMAGE} ${BANDS} ${OUTPUT_DIR}',
      interface: {
        inputs: {
          files: [
            { name: 'IMAGE', mediaTypes: ['text/plain'] },
            { name: 'BANDS', multiple: true },
          ],
        },
        outputs: {
          files: [
            { name: 'tiles', pattern: 'tiles/*.txt', multiple: true },
            { name: 'copy', pattern: 'copy.txt', mediaType: 'text/x-copy' },
          ],
          json: [
            { name: 'lines', type: 'integer' },
            { name: 'readonly_input', type: 'boolean' },
            { name: 'bands', type: 'string' },
          ],
        },
      },
      files: { IMAGE: [11], BANDS: [12, 13] },
      extra: {
        inputFiles: {
          IMAGE: [staged(11, 'in/scene.txt')],
          BANDS: [staged(12, 'bands/b1.txt'), staged(13, 'bands/b2.txt')],
        },
        outputWorkspaces: { tiles: productsWorkspace(), copy: productsWorkspace() },
      },
    });
    await h.launch(command);
    const end = await h.endOf(101);
    expect(end).toMatchObject({
      status: 'COMPLETED',
      output: { files: {}, json: { lines: 3, readonly_input: true, bands: 'b1.txt b2.txt ' } },
    });
    expect(end.taskResults.map((t) => [t.type, t.status])).toEqual([
      ['pull', 'COMPLETED'],
      ['pre', 'COMPLETED'],
      ['main', 'COMPLETED'],
      ['post', 'COMPLETED'],
    ]);
    if (end.status !== 'COMPLETED') throw new Error('not completed');
    const folder = `seed-test/1.0.0/${dayOf(end)}/job_exe_101`;
    expect(end.outputFiles).toEqual([
      {
        outputName: 'tiles',
        workspaceId: 2,
        path: `${folder}/tiles/b1.txt`,
        fileName: 'b1.txt',
        size: 9,
        mediaType: 'text/plain',
      },
      {
        outputName: 'tiles',
        workspaceId: 2,
        path: `${folder}/tiles/b2.txt`,
        fileName: 'b2.txt',
        size: 9,
        mediaType: 'text/plain',
      },
      {
        outputName: 'copy',
        workspaceId: 2,
        path: `${folder}/copy.txt`,
        fileName: 'copy.txt',
        size: 14,
        mediaType: 'text/x-copy',
      },
    ]);
    expect(await readFile(join(products, folder, 'copy.txt'), 'utf8')).toBe('one\ntwo\nthree\n');
    expect(await readFile(join(products, folder, 'tiles', 'b2.txt'), 'utf8')).toBe('band two\n');
    // The job could not touch its inputs.
    expect(await readFile(join(raw, 'in', 'scene.txt'), 'utf8')).toBe('one\ntwo\nthree\n');
    // Protocol files are not products.
    await expect(stat(join(products, folder, 'seed.outputs.json'))).rejects.toThrow();
  });

  it('inputs - a catalogued file that is not on disk fails the pre task with missing-file', async () => {
    await h.launch(
      makeLaunch({
        jobExeId: 102,
        command: 'cat ${IMAGE}',
        interface: { inputs: { files: [{ name: 'IMAGE' }] } },
        files: { IMAGE: [21] },
        extra: { inputFiles: { IMAGE: [staged(21, 'in/gone.txt')] } },
      }),
    );
    const end = await h.endOf(102);
    expect(end).toMatchObject({ status: 'FAILED', failure: { type: 'PRE', error: 'missing-file' } });
    expect(end.status === 'FAILED' && end.failure.type === 'PRE' && end.failure.message).toContain('in/gone.txt');
    expect(end.taskResults.map((t) => [t.type, t.status])).toEqual([
      ['pull', 'COMPLETED'],
      ['pre', 'FAILED'],
    ]);
    expect(h.updatesFor(102).map((u) => u.status)).toEqual(['FAILED']);
  });

  it('inputs - a file the job user may not read is refused with missing-file, never copied to make it readable', async () => {
    await h.launch(
      makeLaunch({
        jobExeId: 107,
        command: 'cat ${IMAGE}',
        interface: { inputs: { files: [{ name: 'IMAGE' }] } },
        files: { IMAGE: [23] },
        extra: { inputFiles: { IMAGE: [staged(23, 'in/private.txt')] } },
      }),
    );
    const end = await h.endOf(107);
    expect(end).toMatchObject({ status: 'FAILED', failure: { type: 'PRE', error: 'missing-file' } });
    expect(end.status === 'FAILED' && end.failure.type === 'PRE' && end.failure.message).toContain(
      'in/private.txt (mode 600) is not readable',
    );
  });

  it('inputs - a link out of the workspace is refused with missing-file', async () => {
    await writeFile(join(root, 'secret.txt'), 'not for jobs');
    await symlink(join(root, 'secret.txt'), join(raw, 'in', 'escape.txt'));
    await h.launch(
      makeLaunch({
        jobExeId: 103,
        command: 'cat ${IMAGE}',
        interface: { inputs: { files: [{ name: 'IMAGE' }] } },
        files: { IMAGE: [22] },
        extra: { inputFiles: { IMAGE: [staged(22, 'in/escape.txt')] } },
      }),
    );
    const end = await h.endOf(103);
    expect(end).toMatchObject({ status: 'FAILED', failure: { type: 'PRE', error: 'missing-file' } });
  });

  it('outputs - a required file output that was not produced fails with missing-required-output', async () => {
    await h.launch(
      makeLaunch({
        jobExeId: 104,
        command: 'sh -c "echo nothing > $OUTPUT_DIR/other.txt"',
        interface: { outputs: { files: [{ name: 'result', pattern: '*.tif' }] } },
        extra: { outputWorkspaces: { result: productsWorkspace() } },
      }),
    );
    expect(await h.endOf(104)).toMatchObject({
      status: 'FAILED',
      failure: { type: 'OUTPUT', error: 'missing-required-output' },
    });
  });

  it('environment - settings, allocation and OUTPUT_DIR reach the job; secret values never reach the agent log', async () => {
    const secret = `s3cret-${h.prefix}`;
    await h.launch(
      makeLaunch({
        jobExeId: 105,
        command: 'sh -c "env | sort > $OUTPUT_DIR/env.txt"',
        interface: {
          settings: [{ name: 'db-host' }, { name: 'api_key', secret: true }],
          outputs: { files: [{ name: 'env', pattern: 'env.txt' }] },
        },
        settings: { 'db-host': 'db.local', api_key: secret },
        scalars: [{ name: 'sharedMem', value: 32 }],
        extra: { outputWorkspaces: { env: productsWorkspace() } },
      }),
    );
    const end = await h.endOf(105);
    if (end.status !== 'COMPLETED') throw new Error(`failed: ${JSON.stringify(end)}`);
    const env = (await readFile(join(products, end.outputFiles?.[0]?.path ?? ''), 'utf8')).split('\n');
    expect(env).toEqual(
      expect.arrayContaining([
        'DB_HOST=db.local',
        `API_KEY=${secret}`,
        'OUTPUT_DIR=/scale/output_data',
        'ALLOCATED_CPUS=0.5',
        'ALLOCATED_MEM=64',
        'ALLOCATED_DISK=100',
        'ALLOCATED_GPUS=0',
        'ALLOCATED_SHAREDMEM=32',
        'SCALE_JOB_ID=1105',
        'SCALE_EXE_NUM=1',
      ]),
    );
    expect(h.logRecords.length).toBeGreaterThan(0);
    expect(h.logRecords.join('\n')).not.toContain(secret);
  });

  it('mounts - host folders read-only or read-write as declared, volumes for the execution, shared memory size', async () => {
    const reference = join(root, 'reference');
    await mkdir(reference);
    await writeFile(join(reference, 'dem.txt'), 'elevation\n');
    await h.launch(
      makeLaunch({
        jobExeId: 106,
        command: `sh -c "cat /ref/dem.txt > $OUTPUT_DIR/ref.txt; (echo x > /ref/new.txt) 2>/dev/null && echo ref-writable >> $OUTPUT_DIR/ref.txt; echo scratch > /scratch/s.txt && cat /scratch/s.txt >> $OUTPUT_DIR/ref.txt; df -k /dev/shm | tail -1 >> $OUTPUT_DIR/ref.txt"`,
        interface: {
          mounts: [
            { name: 'ref', path: '/ref' },
            { name: 'scratch', path: '/scratch', mode: 'rw' },
          ],
          outputs: { files: [{ name: 'ref', pattern: 'ref.txt' }] },
        },
        scalars: [{ name: 'sharedMem', value: 16 }],
        extra: {
          mounts: {
            ref: { type: 'host', hostPath: reference },
            scratch: {
              type: 'volume',
              driver: 'local',
              driverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'mode=1777' },
            },
          },
          outputWorkspaces: { ref: productsWorkspace() },
        },
      }),
    );
    const end = await h.endOf(106);
    if (end.status !== 'COMPLETED') throw new Error(`failed: ${JSON.stringify(end)}`);
    const [dem, scratch, shm] = (await readFile(join(products, end.outputFiles?.[0]?.path ?? ''), 'utf8')).split('\n');
    expect(dem).toBe('elevation');
    expect(scratch).toBe('scratch');
    expect(shm?.split(/\s+/)[1]).toBe(String(16 * 1024));
    await expect(stat(join(reference, 'new.txt'))).rejects.toThrow();
  });

  it.each<[string, number, Record<string, unknown>, string]>([
    ['a mount without a source', 111, {}, 'no source is configured'],
    ['the Docker socket', 112, { ref: { type: 'host', hostPath: '/var/run/docker.sock' } }, 'the Docker engine socket'],
    ['a host folder that is not there', 113, { ref: { type: 'host', hostPath: '/no/such/folder' } }, 'does not exist'],
  ])('mounts - %s fails the pre task with missing-mount', async (_, jobExeId, mounts, message) => {
    await h.launch(
      makeLaunch({
        jobExeId,
        command: 'ls /ref',
        interface: { mounts: [{ name: 'ref', path: '/ref' }] },
        extra: { mounts: mounts as never },
      }),
    );
    const end = await h.endOf(jobExeId);
    expect(end).toMatchObject({ status: 'FAILED', failure: { type: 'PRE', error: 'missing-mount' } });
    expect(end.status === 'FAILED' && end.failure.type === 'PRE' && end.failure.message).toContain(message);
  });

  it('hardening - defaults override the image user; a job type may relax user, root filesystem and network', async () => {
    const probe = `sh -c "printf '{\\"uid\\": \\"%s\\", \\"root_writable\\": %s}' $(id -u) $(touch /app/run.sh 2>/dev/null && echo true || echo false) > $OUTPUT_DIR/seed.outputs.json; sleep 1"`;
    const outputs = {
      json: [
        { name: 'uid', type: 'string' as const },
        { name: 'root_writable', type: 'boolean' as const },
      ],
    };
    await h.launch(makeLaunch({ jobExeId: 120, image, command: probe, interface: { outputs } }));
    await h.launch(
      makeLaunch({
        jobExeId: 121,
        image,
        command: probe,
        interface: { outputs },
        extra: { container: { network: true, imageUser: true, writableRoot: true } },
      }),
    );
    const relaxed = await waitFor('the relaxed container', async () => {
      try {
        return await h.docker.getContainer(containerName(121, h.prefix)).inspect();
      } catch {
        return undefined;
      }
    });
    expect(relaxed.HostConfig).toMatchObject({ NetworkMode: 'bridge', ReadonlyRootfs: false, CapDrop: ['ALL'] });
    expect(await h.endOf(120)).toMatchObject({
      status: 'COMPLETED',
      output: { json: { uid: '65534', root_writable: false } },
    });
    expect(await h.endOf(121)).toMatchObject({
      status: 'COMPLETED',
      output: { json: { uid: IMAGE_UID, root_writable: true } },
    });
  });

  it('pull - an image removed since the agent last saw it fails with IMAGE_MISSING, not a launch error', async () => {
    const doomed = `${image}-doomed`;
    await tagImage(image, doomed);
    await h.launch(makeLaunch({ jobExeId: 140, image: doomed, command: 'true' }));
    expect(await h.endOf(140)).toMatchObject({ status: 'COMPLETED' });
    await removeImage(doomed);
    await h.launch(makeLaunch({ jobExeId: 141, image: doomed, command: 'true' }));
    const end = await h.endOf(141);
    expect(end).toMatchObject({ status: 'FAILED', failure: { type: 'IMAGE_MISSING' } });
    expect(end.taskResults.map((t) => [t.type, t.status])).toEqual([
      ['pull', 'FAILED'],
      ['pre', 'COMPLETED'],
    ]);
    await waitFor('folder removal', async () => ((await readdir(h.workDir)).includes('exe-141') ? undefined : true));
  });

  it('reconcile - outputs of a container that ended while the agent was away are stored and reported once', async () => {
    await h.launch(
      makeLaunch({
        jobExeId: 130,
        command: 'sh -c "sleep 2; echo late > $OUTPUT_DIR/late.txt"',
        interface: { outputs: { files: [{ name: 'late', pattern: 'late.txt' }] } },
        extra: { outputWorkspaces: { late: productsWorkspace() } },
      }),
    );
    await waitFor('RUNNING', () => h.updatesFor(130).find((u) => u.status === 'RUNNING'));
    await h.stopApp();
    await waitFor('the container to exit', async () => {
      const info = await h.docker.getContainer(containerName(130, h.prefix)).inspect();
      return info.State.Running ? undefined : true;
    });
    await h.startApp();
    const end = await h.endOf(130);
    if (end.status !== 'COMPLETED') throw new Error(`failed: ${JSON.stringify(end)}`);
    expect(end.outputFiles).toHaveLength(1);
    expect(await readFile(join(products, end.outputFiles?.[0]?.path ?? ''), 'utf8')).toBe('late\n');
    // Once reported, the container and its folder are gone: another restart has nothing left to report.
    await waitFor('container removal', async () => {
      const found = await h.docker.listContainers({ all: true, filters: { name: [containerName(130, h.prefix)] } });
      return found.length === 0 ? true : undefined;
    });
    await waitFor('folder removal', async () => ((await readdir(h.workDir)).includes('exe-130') ? undefined : true));
    await h.stopApp();
    await h.startApp();
    expect(h.app()?.running()).not.toContain(130);
    expect(h.updatesFor(130).filter((u) => u.status !== 'RUNNING')).toHaveLength(1);
  });
});
