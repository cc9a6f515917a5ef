/** Workspace rules that need no I/O: names derived from titles, host folders that may not be workspaces. */

/** Scale's `name` column length. */
export const MAX_WORKSPACE_NAME = 50;

/**
 * Scale derives a workspace's name from its title: lower case, runs of anything but letters and digits become one
 * '-', no '-' at either end ("Raw Source" → "raw-source"). Empty when the title holds no letter or digit.
 */
export function workspaceNameFromTitle(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_WORKSPACE_NAME)
    .replace(/-+$/, '');
}

/**
 * Host folders of the system itself. A workspace there would let anyone who registers files hand jobs the host's
 * own files (or the Docker socket), so it is refused.
 */
const SYSTEM_FOLDERS = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib64',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/sys',
  '/usr',
  '/var/lib/containerd',
  '/var/lib/docker',
  '/var/run',
];

const isUnder = (path: string, root: string): boolean => path === root || path.startsWith(`${root}/`);

/** Why this (absolute, normalised) host folder cannot be a workspace, or undefined when it can. */
export function refusedWorkspaceFolder(hostPath: string): string | undefined {
  const system = SYSTEM_FOLDERS.find((root) => isUnder(hostPath, root));
  return system ? `must not be inside the system folder ${system}` : undefined;
}
