import { describe, expect, it } from '@jest/globals';
import { containerLabels, containerName, ownerLabels, taskClusterId, tokenFromLabels } from './container-identity.ts';

const token = { jobExeId: 12, jobId: 34, exeNum: 2, epoch: 0 };

describe('container identity', () => {
  it.each<[number, string | undefined, string]>([
    [12, undefined, 'scale-exe-12'],
    [12, 'scale', 'scale-exe-12'],
    [12, 'tabc', 'tabc-scale-exe-12'],
    [12, 'test.a1', 'test.a1-scale-exe-12'],
    [12, '_x', 'p_x-scale-exe-12'],
  ])('containerName - execution %d, prefix %s → %s', (id, prefix, name) => {
    expect(containerName(id, prefix)).toBe(name);
  });

  it('taskClusterId - does not depend on the prefix', () => {
    expect(taskClusterId(12)).toBe('scale-exe-12');
  });

  it('containerLabels - carry the token and the owner', () => {
    expect(containerLabels(token, 'node-1', 'tabc')).toEqual({
      'scale.job_exe_id': '12',
      'scale.job_id': '34',
      'scale.exe_num': '2',
      'scale.epoch': '0',
      'scale.agent_id': 'node-1',
      'scale.prefix': 'tabc',
    });
    expect(ownerLabels('node-1', 'tabc')).toEqual({ 'scale.agent_id': 'node-1', 'scale.prefix': 'tabc' });
  });

  it('tokenFromLabels - round-trips', () => {
    expect(tokenFromLabels(containerLabels(token, 'a', 'p'))).toEqual(token);
  });

  it.each([
    ['a missing label', { 'scale.job_exe_id': '1', 'scale.job_id': '2', 'scale.exe_num': '1' }],
    ['a non-number', { 'scale.job_exe_id': 'x', 'scale.job_id': '2', 'scale.exe_num': '1', 'scale.epoch': '0' }],
    ['a zero id', { 'scale.job_exe_id': '0', 'scale.job_id': '2', 'scale.exe_num': '1', 'scale.epoch': '0' }],
    ['a negative number', { 'scale.job_exe_id': '-1', 'scale.job_id': '2', 'scale.exe_num': '1', 'scale.epoch': '0' }],
  ])('tokenFromLabels - undefined for %s', (_, labels) => {
    expect(tokenFromLabels(labels)).toBeUndefined();
  });
});
