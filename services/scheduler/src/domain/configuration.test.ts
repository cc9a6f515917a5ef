import { describe, expect, it } from '@jest/globals';
import { effectiveConfiguration } from './configuration.ts';

describe('effectiveConfiguration', () => {
  const type = {
    priority: 50,
    settings: { DB_HOST: 'db', MODE: 'fast' },
    mounts: { scratch: { type: 'host', host_path: '/scratch' } },
    output_workspaces: { default: 'products', outputs: { REPORT: 'reports' } },
  };

  it('is the job type configuration when the job carries none', () => {
    expect(effectiveConfiguration(type, null)).toBe(type);
    expect(effectiveConfiguration(null, null)).toBeNull();
  });

  it('lays the job entries over the type entries, keeping the rest', () => {
    expect(
      effectiveConfiguration(type, {
        settings: { MODE: 'careful' },
        mounts: { refs: { type: 'host', host_path: '/refs' } },
        output_workspaces: { outputs: { LOG: 'logs' } },
      }),
    ).toEqual({
      priority: 50,
      settings: { DB_HOST: 'db', MODE: 'careful' },
      mounts: { scratch: { type: 'host', host_path: '/scratch' }, refs: { type: 'host', host_path: '/refs' } },
      output_workspaces: { default: 'products', outputs: { REPORT: 'reports', LOG: 'logs' } },
    });
  });

  it('a job default workspace replaces the type one; a type without configuration takes the job one', () => {
    expect(effectiveConfiguration(type, { output_workspaces: { default: 'recipe-out' } })?.output_workspaces).toEqual({
      default: 'recipe-out',
      outputs: { REPORT: 'reports' },
    });
    expect(effectiveConfiguration(null, { settings: { A: '1' } })).toEqual({ settings: { A: '1' } });
  });
});
