/**
 * The I/O half of the pre task: finds each input file in its workspace and each host mount on this node, and
 * turns them into container mounts. Input files are mounted read-only where they are, without a copy.
 */
import { realpath } from 'node:fs/promises';
import type { ExecutionFailure } from '@scale/contracts';
import type { ContainerMount } from '../adapters/docker/container-runtime.ts';
import { MissingFileError, resolveWorkspaceFile } from '../adapters/fs/host-broker.ts';
import type { InputPlacement } from '../domain/inputs.ts';
import { jobUserCanRead } from '../domain/job-user.ts';
import { type MountPlan, refusedHostPath } from '../domain/mounts.ts';
import type { ExecutionContext } from './context.ts';

export type StageResult = { ok: true; mounts: ContainerMount[] } | { ok: false; failure: ExecutionFailure };

type PreError = Extract<ExecutionFailure, { type: 'PRE' }>['error'];
const fail = (error: PreError, message: string): StageResult => ({
  ok: false,
  failure: { type: 'PRE', error, message },
});

/** `imageUser`: the job runs as its image's user, whose ids the agent does not know, so reading is left to the job. */
export async function stageInputs(
  ctx: ExecutionContext,
  jobExeId: number,
  files: readonly InputPlacement[],
  seedMounts: readonly MountPlan[],
  imageUser: boolean,
): Promise<StageResult> {
  const mounts: ContainerMount[] = [];
  for (const file of files) {
    const what = `file ${file.fileId} of input "${file.inputName}"`;
    try {
      const found = await resolveWorkspaceFile(file.hostRoot, file.path);
      // The job sees what its user may read, nothing more: the agent never copies a file to make it readable.
      if (!jobUserCanRead(found, imageUser)) {
        const mode = (found.mode & 0o777).toString(8).padStart(3, '0');
        return fail('missing-file', `${what}: ${file.path} (mode ${mode}) is not readable by the job's user`);
      }
      mounts.push({ type: 'bind', source: found.path, target: file.target, readOnly: true });
    } catch (err) {
      if (err instanceof MissingFileError) return fail('missing-file', `${what}: ${err.message}`);
      ctx.log.warn({ err, jobExeId }, 'staging an input file failed');
      return fail('filesystem-io', `${what} could not be staged: ${(err as Error).message}`);
    }
  }
  for (const mount of seedMounts) {
    if (mount.source.type === 'volume') {
      const { driver, driverOpts } = mount.source;
      mounts.push({ type: 'volume', target: mount.target, readOnly: mount.readOnly, driver, driverOpts });
      continue;
    }
    const what = `mount "${mount.name}"`;
    let real: string;
    try {
      // Docker follows links in a bind source, so the check applies to where the path really leads.
      real = await realpath(mount.source.hostPath);
    } catch {
      return fail('missing-mount', `${what}: host path ${mount.source.hostPath} does not exist on this node`);
    }
    const refused = refusedHostPath(real, ctx.workDir.root);
    if (refused)
      return fail('missing-mount', `${what}: host path ${mount.source.hostPath} is refused: it is ${refused}`);
    mounts.push({ type: 'bind', source: real, target: mount.target, readOnly: mount.readOnly });
  }
  return { ok: true, mounts };
}
