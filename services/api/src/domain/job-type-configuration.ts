/**
 * The v6 job type configuration (priority, output workspaces, mounts, settings) and its rules against the manifest.
 * Secret setting values are stored (the scheduler hands them to the container) but never returned.
 */
import type { SeedManifest } from '@scale/contracts';

/** Scale's default job type priority (lower runs first). */
export const DEFAULT_PRIORITY = 100;
export const MASK = '*****';

export interface JobTypeConfig {
  priority?: number;
  output_workspaces?: { default?: string; outputs?: Record<string, string> };
  mounts?: Record<string, unknown>;
  settings?: Record<string, string | null>;
}

export interface ConfigIssue {
  field: string;
  message: string;
}

/** Settings and mounts must be declared by the manifest. */
export function configurationIssues(manifest: SeedManifest, config: JobTypeConfig): ConfigIssue[] {
  const iface = manifest.job.interface;
  const issues: ConfigIssue[] = [];
  const settings = new Set(iface.settings.map((s) => s.name));
  for (const name of Object.keys(config.settings ?? {})) {
    if (!settings.has(name)) {
      issues.push({
        field: `configuration.settings.${name}`,
        message: `setting "${name}" is not declared in the manifest`,
      });
    }
  }
  const mounts = new Set(iface.mounts.map((m) => m.name));
  for (const name of Object.keys(config.mounts ?? {})) {
    if (!mounts.has(name)) {
      issues.push({
        field: `configuration.mounts.${name}`,
        message: `mount "${name}" is not declared in the manifest`,
      });
    }
  }
  const outputs = new Set(iface.outputs.files.map((o) => o.name));
  for (const name of Object.keys(config.output_workspaces?.outputs ?? {})) {
    if (!outputs.has(name)) {
      issues.push({
        field: `configuration.output_workspaces.outputs.${name}`,
        message: `output "${name}" is not declared in the manifest`,
      });
    }
  }
  return issues;
}

/** The stored form: defaults applied, nothing the client did not send invented beyond them. */
export function normalizeConfiguration(config: JobTypeConfig | undefined): JobTypeConfig {
  return {
    ...config,
    priority: config?.priority ?? DEFAULT_PRIORITY,
    mounts: config?.mounts ?? {},
    settings: config?.settings ?? {},
  };
}

/** A client that read a masked configuration and sends it back keeps the stored secret values. */
export function keepMaskedSecrets(next: JobTypeConfig, previous: JobTypeConfig | undefined): JobTypeConfig {
  if (!next.settings) return next;
  const settings = Object.fromEntries(
    Object.entries(next.settings).map(([name, value]) => [
      name,
      value === MASK ? (previous?.settings?.[name] ?? null) : value,
    ]),
  );
  return { ...next, settings };
}

export function secretSettingNames(...manifests: SeedManifest[]): Set<string> {
  return new Set(manifests.flatMap((m) => m.job.interface.settings.filter((s) => s.secret).map((s) => s.name)));
}

/** A copy of any configuration-like object with the values of secret settings masked. */
export function maskSecrets<T>(config: T, secrets: ReadonlySet<string>): T {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return config;
  const settings = (config as { settings?: unknown }).settings;
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) return config;
  const masked = Object.fromEntries(
    Object.entries(settings).map(([name, value]) => [name, secrets.has(name) && value != null ? MASK : value]),
  );
  return { ...config, settings: masked };
}
