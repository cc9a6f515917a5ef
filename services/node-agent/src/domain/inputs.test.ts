import { describe, expect, it } from '@jest/globals';
import type { StagedFile } from '@scale/contracts';
import { makeLaunch } from '../../test/fixtures/launch.ts';
import { type InputPlan, planInputFiles } from './inputs.ts';

const staged = (fileId: number, fileName: string, extra: Partial<StagedFile> = {}) => ({
  fileId,
  workspaceId: 1,
  broker: { type: 'host' as const, hostPath: '/data/raw' },
  path: `in/${fileName}`,
  fileName,
  size: 100,
  mediaType: 'image/tiff',
  ...extra,
});

const iface = {
  inputs: {
    files: [
      { name: 'image', multiple: false },
      { name: 'bands', multiple: true },
      { name: 'mask', required: false },
    ],
  },
};

describe('planInputFiles', () => {
  it('planInputFiles - a single input names its file, a multiple one its folder, an absent optional one stays unset', () => {
    const plan = planInputFiles(
      makeLaunch({
        interface: iface,
        files: { image: [1], bands: [2, 3] },
        extra: {
          inputFiles: {
            image: [staged(1, 'scene.tif')],
            bands: [staged(2, 'b1.tif'), staged(3, 'b2.tif', { broker: { type: 'host', hostPath: '/data/other' } })],
          },
        },
      }),
    );
    expect(plan).toEqual({
      ok: true,
      env: { IMAGE: '/scale/input_data/image/scene.tif', BANDS: '/scale/input_data/bands' },
      files: [
        {
          inputName: 'image',
          fileId: 1,
          hostRoot: '/data/raw',
          path: 'in/scene.tif',
          target: '/scale/input_data/image/scene.tif',
          size: 100,
        },
        {
          inputName: 'bands',
          fileId: 2,
          hostRoot: '/data/raw',
          path: 'in/b1.tif',
          target: '/scale/input_data/bands/b1.tif',
          size: 100,
        },
        {
          inputName: 'bands',
          fileId: 3,
          hostRoot: '/data/other',
          path: 'in/b2.tif',
          target: '/scale/input_data/bands/b2.tif',
          size: 100,
        },
      ],
    });
  });

  it('planInputFiles - two files with one name both appear, the second prefixed with its id', () => {
    const plan = planInputFiles(
      makeLaunch({
        interface: iface,
        files: { image: [1], bands: [2, 3] },
        extra: {
          inputFiles: {
            image: [staged(1, 'scene.tif')],
            bands: [staged(2, 'b.tif'), staged(3, 'b.tif', { path: 'other/b.tif' })],
          },
        },
      }),
    );
    expect(plan.ok && plan.files.map((f) => f.target)).toEqual([
      '/scale/input_data/image/scene.tif',
      '/scale/input_data/bands/b.tif',
      '/scale/input_data/bands/3-b.tif',
    ]);
  });

  it('planInputFiles - a catalogue name that is not a plain file name falls back to the id', () => {
    const plan = planInputFiles(
      makeLaunch({
        interface: { inputs: { files: [{ name: 'image' }] } },
        files: { image: [4] },
        extra: { inputFiles: { image: [staged(4, '..', { path: 'in/odd' })] } },
      }),
    );
    expect(plan.ok && plan.env).toEqual({ IMAGE: '/scale/input_data/image/file-4' });
  });

  it.each<[string, Parameters<typeof makeLaunch>[0], InputPlan]>([
    [
      'a required input without files',
      { interface: iface, files: { bands: [2] }, extra: { inputFiles: { bands: [staged(2, 'b.tif')] } } },
      {
        ok: false,
        failure: { type: 'PRE', error: 'missing-file', message: 'required file input "image" has no file' },
      },
    ],
    [
      'a file the scheduler could not resolve',
      { interface: iface, files: { image: [1], bands: [2] }, extra: { inputFiles: { image: [staged(1, 'a')] } } },
      {
        ok: false,
        failure: { type: 'PRE', error: 'missing-file', message: 'file 2 of input "bands" is not in the catalogue' },
      },
    ],
    [
      'a launch without resolved files (an older scheduler)',
      { interface: iface, files: { image: [1], bands: [2] } },
      {
        ok: false,
        failure: { type: 'PRE', error: 'missing-file', message: 'file 1 of input "image" is not in the catalogue' },
      },
    ],
    [
      'a deleted file',
      {
        interface: iface,
        files: { image: [1], bands: [2] },
        extra: { inputFiles: { image: [staged(1, 'a', { deleted: true })], bands: [staged(2, 'b')] } },
      },
      {
        ok: false,
        failure: { type: 'PRE', error: 'deleted-file', message: 'file 1 of input "image" has been deleted' },
      },
    ],
    [
      'several files for a single input',
      {
        interface: iface,
        files: { image: [1, 5], bands: [2] },
        extra: { inputFiles: { image: [staged(1, 'a'), staged(5, 'e')], bands: [staged(2, 'b')] } },
      },
      { ok: false, failure: { type: 'LAUNCH', message: 'file input "image" takes one file, got 2' } },
    ],
  ])('planInputFiles - fails for %s', (_, options, expected) => {
    expect(planInputFiles(makeLaunch(options))).toEqual(expected);
  });
});
