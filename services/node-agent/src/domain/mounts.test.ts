import { describe, expect, it } from '@jest/globals';
import { makeLaunch } from '../../test/fixtures/launch.ts';
import { planMounts, refusedHostPath } from './mounts.ts';

const WORK_DIR = '/var/lib/scale-agent';

describe('refusedHostPath', () => {
  it.each<[string, string | undefined]>([
    ['/data/reference', undefined],
    ['/etc/ssl/certs', undefined],
    ['/', 'the host root'],
    ['/var/run/docker.sock', 'the Docker engine socket'],
    ['/home/me/docker.sock', 'the Docker engine socket'],
    ['/run', 'a system folder (/run)'],
    ['/var/run', 'a system folder (/var/run)'],
    ['/proc/1', 'a system folder (/proc)'],
    ['/sys', 'a system folder (/sys)'],
    ['/dev/sda', 'a system folder (/dev)'],
    ['/var/lib/docker/volumes', 'a system folder (/var/lib/docker)'],
    ['/var/lib/dockerish', undefined],
    ['/var/lib/scale-agent/exe-1', "the node agent's work dir"],
    ['/var/lib', "the node agent's work dir"],
  ])('refusedHostPath - %s', (path, expected) => {
    expect(refusedHostPath(path, WORK_DIR)).toBe(expected);
  });
});

describe('planMounts', () => {
  const iface = {
    mounts: [
      { name: 'ref', path: '/ref' },
      { name: 'scratch', path: '/scratch', mode: 'rw' as const },
    ],
  };

  it('planMounts - host folders and volumes from the configuration, mode from the manifest', () => {
    const launch = makeLaunch({
      interface: iface,
      extra: {
        mounts: {
          ref: { type: 'host', hostPath: '/data/ref' },
          scratch: { type: 'volume', driver: 'local', driverOpts: { type: 'tmpfs', device: 'tmpfs' } },
        },
      },
    });
    expect(planMounts(launch, WORK_DIR)).toEqual({
      ok: true,
      mounts: [
        { name: 'ref', source: { type: 'host', hostPath: '/data/ref' }, target: '/ref', readOnly: true },
        {
          name: 'scratch',
          source: { type: 'volume', driver: 'local', driverOpts: { type: 'tmpfs', device: 'tmpfs' } },
          target: '/scratch',
          readOnly: false,
        },
      ],
    });
  });

  it('planMounts - no mounts declared, none needed', () => {
    expect(planMounts(makeLaunch(), WORK_DIR)).toEqual({ ok: true, mounts: [] });
  });

  it.each<[string, Parameters<typeof makeLaunch>[0], string]>([
    [
      'a mount without a source',
      { interface: iface, extra: { mounts: { ref: { type: 'host', hostPath: '/data/ref' } } } },
      'mount "scratch": no source is configured for it in the job type configuration',
    ],
    [
      'a launch without mounts at all',
      { interface: iface },
      'mount "ref": no source is configured for it in the job type configuration',
    ],
    [
      'the Docker socket',
      {
        interface: { mounts: [{ name: 'ref', path: '/ref' }] },
        extra: { mounts: { ref: { type: 'host', hostPath: '/var/run/docker.sock' } } },
      },
      'mount "ref": host path /var/run/docker.sock is refused: it is the Docker engine socket',
    ],
    [
      'a target over the output folder',
      {
        interface: { mounts: [{ name: 'ref', path: '/scale' }] },
        extra: { mounts: { ref: { type: 'host', hostPath: '/data/ref' } } },
      },
      'mount "ref": /scale overlaps a folder the platform mounts',
    ],
  ])('planMounts - refuses %s with missing-mount', (_, options, message) => {
    expect(planMounts(makeLaunch(options), WORK_DIR)).toEqual({
      ok: false,
      failure: { type: 'PRE', error: 'missing-mount', message },
    });
  });
});
