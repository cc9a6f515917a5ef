import { describe, expect, it } from '@jest/globals';
import type { ContainerSpec } from './container-runtime.ts';
import { createOptions } from './docker-runtime.ts';

const spec = (gpus: number): ContainerSpec => ({
  name: 'scale-exe-1',
  image: 'local/busybox:latest',
  cmd: ['true'],
  env: { A: '1' },
  labels: { 'scale.job_exe_id': '1' },
  memoryBytes: 64 * 1024 * 1024,
  nanoCpus: 5e8,
  gpus,
  outputDir: '/work/exe-1/output',
  mounts: [],
  options: { network: false, imageUser: false, writableRoot: false },
});

describe('createOptions', () => {
  it('gpus - asks the NVIDIA runtime for as many GPUs as allocated', () => {
    expect(createOptions(spec(2)).HostConfig?.DeviceRequests).toEqual([
      { Driver: 'nvidia', Count: 2, Capabilities: [['gpu']] },
    ]);
  });

  it('gpus - no device request without GPUs', () => {
    expect(createOptions(spec(0)).HostConfig).not.toHaveProperty('DeviceRequests');
  });

  it('hardened defaults - nobody, read-only root, no network, no capabilities', () => {
    expect(createOptions(spec(0))).toMatchObject({
      User: '65534:65534',
      Cmd: ['true'],
      Env: ['A=1'],
      HostConfig: {
        Memory: 64 * 1024 * 1024,
        NanoCpus: 5e8,
        ReadonlyRootfs: true,
        NetworkMode: 'none',
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Binds: ['/work/exe-1/output:/scale/output_data:rw'],
      },
    });
  });
});
