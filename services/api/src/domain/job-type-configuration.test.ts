import { describe, expect, it } from '@jest/globals';
import { SeedManifest } from '@scale/contracts';
import {
  configurationIssues,
  keepMaskedSecrets,
  MASK,
  maskSecrets,
  normalizeConfiguration,
  secretSettingNames,
} from './job-type-configuration.ts';

const manifest = SeedManifest.parse({
  seedVersion: '1.0.0',
  job: {
    name: 'm',
    jobVersion: '1.0.0',
    packageVersion: '1.0.0',
    timeout: 10,
    interface: {
      outputs: { files: [{ name: 'OUT', pattern: '*.txt' }] },
      mounts: [{ name: 'DATA', path: '/data' }],
      settings: [{ name: 'HOST' }, { name: 'PASS', secret: true }],
    },
  },
});

describe('job type configuration', () => {
  it('configuration - settings, mounts and output workspaces must be declared', () => {
    expect(
      configurationIssues(manifest, {
        settings: { HOST: 'h', PASS: 'p', OTHER: 'x' },
        mounts: { DATA: null, LOGS: null },
        output_workspaces: { outputs: { OUT: 'ws', NOPE: 'ws' } },
      }).map((i) => i.field),
    ).toEqual([
      'configuration.settings.OTHER',
      'configuration.mounts.LOGS',
      'configuration.output_workspaces.outputs.NOPE',
    ]);
  });

  it('configuration - normalised with the default priority', () => {
    expect(normalizeConfiguration(undefined)).toEqual({ priority: 100, mounts: {}, settings: {} });
    expect(normalizeConfiguration({ priority: 3, settings: { HOST: 'h' } })).toEqual({
      priority: 3,
      mounts: {},
      settings: { HOST: 'h' },
    });
  });

  it('configuration - secret values are masked, null stays null, other objects pass through', () => {
    const secrets = secretSettingNames(manifest);
    expect(maskSecrets({ priority: 1, settings: { HOST: 'h', PASS: 'p' } }, secrets)).toEqual({
      priority: 1,
      settings: { HOST: 'h', PASS: MASK },
    });
    expect(maskSecrets({ settings: { PASS: null } }, secrets)).toEqual({ settings: { PASS: null } });
    expect(maskSecrets(null, secrets)).toBeNull();
    expect(maskSecrets({ tasks: [] }, secrets)).toEqual({ tasks: [] });
  });

  it('configuration - a masked value sent back keeps the stored secret', () => {
    expect(
      keepMaskedSecrets({ settings: { PASS: MASK, HOST: 'new' } }, { settings: { PASS: 'p', HOST: 'old' } }),
    ).toEqual({
      settings: { PASS: 'p', HOST: 'new' },
    });
    expect(keepMaskedSecrets({ settings: { PASS: MASK } }, undefined)).toEqual({ settings: { PASS: null } });
  });
});
