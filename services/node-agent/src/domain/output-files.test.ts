import { describe, expect, it } from '@jest/globals';
import { makeLaunch } from '../../test/fixtures/launch.ts';
import { planOutputStores, productPath } from './output-files.ts';

const day = new Date(Date.UTC(2026, 10, 3, 23, 59));
const products = { workspaceId: 2, workspaceName: 'products', broker: { type: 'host' as const, hostPath: '/data/p' } };

const launch = makeLaunch({
  jobExeId: 42,
  jobTypeName: 'tiler',
  interface: {
    outputs: {
      files: [
        { name: 'tiles', pattern: 'tiles/*.png', multiple: true },
        { name: 'report', pattern: 'report.*', mediaType: 'text/markdown' },
        { name: 'debug', pattern: '*.log', required: false },
      ],
    },
  },
  extra: { outputWorkspaces: { tiles: products, report: products } },
});

describe('productPath', () => {
  it('productPath - job type, version, UTC day and execution, then the path in OUTPUT_DIR', () => {
    expect(productPath(launch, day, 'tiles/a.png')).toBe('tiler/1.0.0/2026/11/03/job_exe_42/tiles/a.png');
  });
});

describe('planOutputStores', () => {
  it('planOutputStores - each match goes to its output workspace with a media type', () => {
    const plan = planOutputStores(
      launch,
      { tiles: ['tiles/a.png', 'tiles/b.png'], report: ['report.md'], debug: ['run.log'] },
      day,
    );
    expect(plan).toEqual({
      ok: true,
      stores: [
        {
          outputName: 'tiles',
          source: 'tiles/a.png',
          workspace: products,
          path: 'tiler/1.0.0/2026/11/03/job_exe_42/tiles/a.png',
          fileName: 'a.png',
          mediaType: 'image/png',
        },
        {
          outputName: 'tiles',
          source: 'tiles/b.png',
          workspace: products,
          path: 'tiler/1.0.0/2026/11/03/job_exe_42/tiles/b.png',
          fileName: 'b.png',
          mediaType: 'image/png',
        },
        {
          outputName: 'report',
          source: 'report.md',
          workspace: products,
          path: 'tiler/1.0.0/2026/11/03/job_exe_42/report.md',
          fileName: 'report.md',
          mediaType: 'text/markdown',
        },
      ],
      warnings: ['output "debug" has no output workspace configured: its files are not stored'],
    });
  });

  it('planOutputStores - no matches, nothing to store and nothing to warn about', () => {
    expect(planOutputStores(launch, {}, day)).toEqual({ ok: true, stores: [], warnings: [] });
  });

  it('planOutputStores - a file name a workspace path cannot hold fails output capture', () => {
    expect(planOutputStores(launch, { report: ['report\\x'] }, day)).toEqual({
      ok: false,
      failure: {
        type: 'OUTPUT',
        error: 'output-capture-error',
        message: 'output file "report\\x" cannot be stored: its name is not a valid workspace path',
      },
    });
  });
});
