import { describe, expect, it } from '@jest/globals';
import { containerLabels, containerName, ownerLabels, tokenFromLabels } from './container-identity.ts';

const token = { jobExeId: 12, jobId: 34, exeNum: 2, epoch: 0 };

describe('container identity', () => {
  it('containerName - is deterministic per execution', () => {
    expect(containerName(12)).toBe('scale-exe-12');
    expect(containerName(12)).toBe(containerName(12));
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
