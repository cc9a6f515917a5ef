/** The user every job runs as unless its job type asks for the image's own: nobody, never root. Pure. */

export const JOB_UID = 65534;
export const JOB_GID = 65534;

export interface FileOwnership {
  /** st_mode */
  mode: number;
  uid: number;
  gid: number;
}

/**
 * Whether the job's user may read a file with these permissions. With `imageUser` the job runs as whoever its image
 * says, which the agent cannot know, so the answer is left to the job (true).
 */
export function jobUserCanRead(file: FileOwnership, imageUser: boolean): boolean {
  if (imageUser) return true;
  if (file.uid === JOB_UID) return (file.mode & 0o400) !== 0;
  if (file.gid === JOB_GID) return (file.mode & 0o040) !== 0;
  return (file.mode & 0o004) !== 0;
}
