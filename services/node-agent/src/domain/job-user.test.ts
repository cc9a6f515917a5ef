import { describe, expect, it } from '@jest/globals';
import { JOB_GID, JOB_UID, jobUserCanRead } from './job-user.ts';

describe('jobUserCanRead', () => {
  it.each<[string, { mode: number; uid: number; gid: number }, boolean, boolean]>([
    ['world-readable', { mode: 0o100644, uid: 0, gid: 0 }, false, true],
    ['owner only, someone else', { mode: 0o100600, uid: 1000, gid: 1000 }, false, false],
    ['owner only, nobody', { mode: 0o100600, uid: JOB_UID, gid: 0 }, false, true],
    ['owner write-only, nobody', { mode: 0o100204, uid: JOB_UID, gid: 0 }, false, false],
    ['group readable, nogroup', { mode: 0o100640, uid: 0, gid: JOB_GID }, false, true],
    ['group readable, other group', { mode: 0o100640, uid: 0, gid: 10 }, false, false],
    ['unreadable, but the image user decides', { mode: 0o100600, uid: 1000, gid: 1000 }, true, true],
  ])('jobUserCanRead - %s', (_, file, imageUser, expected) => {
    expect(jobUserCanRead(file, imageUser)).toBe(expected);
  });
});
