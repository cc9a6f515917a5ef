import { describe, expect, it } from '@jest/globals';
import { SeedManifest } from '@scale/contracts';
import {
  configurationIssues,
  configurationWarnings,
  dropUndeclared,
  keepMaskedSecrets,
  MASK,
  maskSecrets,
  nextConfiguration,
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

  it.each([
    ['nothing configured', {}, ['MISSING_SETTING:HOST', 'MISSING_SETTING:PASS', 'MISSING_MOUNT:DATA']],
    [
      'a null setting and a null mount',
      { settings: { HOST: 'h', PASS: null }, mounts: { DATA: null } },
      ['MISSING_SETTING:PASS', 'MISSING_MOUNT:DATA'],
    ],
    [
      'everything configured',
      { settings: { HOST: 'h', PASS: 'p' }, mounts: { DATA: { type: 'host', host_path: '/d' } } },
      [],
    ],
  ])('configuration - warnings when %s', (_what, config, expected) => {
    expect(
      configurationWarnings(manifest, config).map((w) => `${w.name}:${w.description.match(/'(.*)'/)?.[1]}`),
    ).toEqual(expected);
  });

  it('configuration - a carried-over configuration drops what the manifest no longer declares', () => {
    expect(
      dropUndeclared(
        {
          priority: 5,
          settings: { HOST: 'h', GONE: 'x' },
          mounts: { DATA: null, OLD: null },
          output_workspaces: { default: 'ws', outputs: { OUT: 'a', GONE: 'b' } },
        },
        manifest,
      ),
    ).toEqual({
      priority: 5,
      settings: { HOST: 'h' },
      mounts: { DATA: null },
      output_workspaces: { default: 'ws', outputs: { OUT: 'a' } },
    });
  });

  it('configuration - container options are kept as sent and carried over to a new manifest', () => {
    const container = { network: true, writable_root: false };
    expect(normalizeConfiguration({ container }).container).toEqual(container);
    expect(dropUndeclared({ container }, manifest).container).toEqual(container);
    expect(nextConfiguration({ stored: { container }, storedManifest: manifest, manifest }).container).toEqual(
      container,
    );
  });

  const notSecret = SeedManifest.parse({
    ...manifest,
    job: { ...manifest.job, interface: { ...manifest.job.interface, settings: [{ name: 'HOST' }, { name: 'PASS' }] } },
  });

  it.each([
    ['kept when nothing is sent and PASS stays secret', manifest, undefined, { HOST: 'h', PASS: 'p' }],
    ['forgotten when nothing is sent and PASS is no longer secret', notSecret, undefined, { HOST: 'h', PASS: null }],
    [
      'forgotten when the mask is sent back and PASS is no longer secret',
      notSecret,
      { settings: { HOST: 'h2', PASS: MASK } },
      { HOST: 'h2', PASS: null },
    ],
    [
      'set when a new value is sent for a no longer secret PASS',
      notSecret,
      { settings: { PASS: 'visible' } },
      { PASS: 'visible' },
    ],
    ['kept when the mask is sent back and PASS stays secret', manifest, { settings: { PASS: MASK } }, { PASS: 'p' }],
  ] as const)('configuration - the next stored secret value is %s', (_what, next, sent, settings) => {
    const result = nextConfiguration({
      stored: { priority: 100, settings: { HOST: 'h', PASS: 'p' }, mounts: {} },
      storedManifest: manifest,
      sent,
      manifest: next,
    });
    expect(result.settings).toEqual(settings);
  });
});
