/**
 * Seed mounts (reference/scale.md 7.1): every mount the manifest declares needs a source from the job type
 * configuration (a host folder or a Docker volume), else the execution fails with missing-mount. Host folders
 * that would hand the job the host itself are refused. Pure.
 */
import type { ExecutionFailure, LaunchExecution, MountSource } from '@scale/contracts';
import { INPUT_DIR } from './inputs.ts';
import { OUTPUT_DIR } from './seed-env.ts';

export interface MountPlan {
  name: string;
  source: MountSource;
  /** Absolute path in the container. */
  target: string;
  readOnly: boolean;
}

export type MountsResult = { ok: true; mounts: MountPlan[] } | { ok: false; failure: ExecutionFailure };

/**
 * Host folders no job may see: the Docker socket or engine state (a way out of the container), kernel
 * interfaces, and the agent's own folder (other executions' launch records hold their settings).
 */
const REFUSED_HOST_PREFIXES = [
  '/proc',
  '/sys',
  '/dev',
  '/boot',
  '/run',
  '/var/run',
  '/var/lib/docker',
  '/var/lib/containerd',
];

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/** Why a (resolved, absolute) host path must not be mounted, or undefined when it may. */
export function refusedHostPath(path: string, agentWorkDir: string): string | undefined {
  if (path === '/') return 'the host root';
  if (/(^|\/)docker\.sock$/.test(path)) return 'the Docker engine socket';
  const prefix = REFUSED_HOST_PREFIXES.find((root) => isUnder(path, root));
  if (prefix) return `a system folder (${prefix})`;
  if (isUnder(path, agentWorkDir) || isUnder(agentWorkDir, path)) return "the node agent's work dir";
  return undefined;
}

/** Container paths the platform mounts itself. */
function collidesWithPlatform(target: string): boolean {
  return [OUTPUT_DIR, INPUT_DIR, '/tmp'].some((dir) => isUnder(target, dir) || isUnder(dir, target));
}

export function planMounts(launch: LaunchExecution, agentWorkDir: string): MountsResult {
  const mounts: MountPlan[] = [];
  for (const mount of launch.manifest.job.interface.mounts) {
    const source = launch.mounts?.[mount.name];
    const fail = (message: string): MountsResult => ({
      ok: false,
      failure: { type: 'PRE', error: 'missing-mount', message: `mount "${mount.name}": ${message}` },
    });
    if (!source) return fail('no source is configured for it in the job type configuration');
    if (collidesWithPlatform(mount.path)) return fail(`${mount.path} overlaps a folder the platform mounts`);
    if (source.type === 'host') {
      const refused = refusedHostPath(source.hostPath, agentWorkDir);
      if (refused) return fail(`host path ${source.hostPath} is refused: it is ${refused}`);
    }
    mounts.push({ name: mount.name, source, target: mount.path, readOnly: mount.mode === 'ro' });
  }
  return { ok: true, mounts };
}
