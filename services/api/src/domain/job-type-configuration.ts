/**
 * The v6 job type configuration (priority, output workspaces, mounts, settings, container) and its rules against
 * the manifest.
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
  /** Relaxations of the hardened container (the scheduler's containerOptions reads them). */
  container?: { network?: boolean; image_user?: boolean; writable_root?: boolean };
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

/** A problem that does not stop a job type from being saved but will bite its jobs (Scale's ValidationWarning). */
export interface ConfigWarning {
  name: 'MISSING_SETTING' | 'MISSING_MOUNT';
  description: string;
}

/**
 * Declared settings and mounts the configuration gives no value: their jobs fail at launch (missing-setting,
 * missing-mount) until one is set, so Scale warns rather than refuses.
 */
export function configurationWarnings(manifest: SeedManifest, config: JobTypeConfig): ConfigWarning[] {
  const iface = manifest.job.interface;
  const warnings: ConfigWarning[] = [];
  for (const { name } of iface.settings) {
    if (config.settings?.[name] == null) {
      warnings.push({ name: 'MISSING_SETTING', description: `Missing configuration for setting '${name}'` });
    }
  }
  for (const { name } of iface.mounts) {
    if (config.mounts?.[name] == null) {
      warnings.push({ name: 'MISSING_MOUNT', description: `Missing configuration for mount '${name}'` });
    }
  }
  return warnings;
}

/**
 * A stored configuration carried over to a new manifest keeps only what that manifest declares: values of settings,
 * mounts or outputs it dropped would never be used.
 */
export function dropUndeclared(config: JobTypeConfig, manifest: SeedManifest): JobTypeConfig {
  const iface = manifest.job.interface;
  const keep = <V>(values: Record<string, V> | undefined, names: { name: string }[]) => {
    if (!values) return values;
    const declared = new Set(names.map((n) => n.name));
    return Object.fromEntries(Object.entries(values).filter(([name]) => declared.has(name)));
  };
  const next: JobTypeConfig = { ...config };
  const settings = keep(config.settings, iface.settings);
  const mounts = keep(config.mounts, iface.mounts);
  const outputs = keep(config.output_workspaces?.outputs, iface.outputs.files);
  if (settings) next.settings = settings;
  if (mounts) next.mounts = mounts;
  if (config.output_workspaces && outputs) next.output_workspaces = { ...config.output_workspaces, outputs };
  return next;
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

export interface NextConfigurationInput {
  stored: JobTypeConfig;
  storedManifest: SeedManifest;
  /** The configuration the client sent, already checked against `manifest`; undefined keeps the stored one. */
  sent?: JobTypeConfig | undefined;
  manifest: SeedManifest;
}

/**
 * The configuration to store after a job type is revised or edited. A stored value of a setting that the new
 * manifest no longer declares secret is forgotten rather than carried over, since it would now be returned in
 * clear; the client sets it again if it is meant to be visible.
 */
export function nextConfiguration({ stored, storedManifest, sent, manifest }: NextConfigurationInput): JobTypeConfig {
  const base = sent ? keepMaskedSecrets(sent, stored) : dropUndeclared(stored, manifest);
  const nowSecret = secretSettingNames(manifest);
  const demoted = [...secretSettingNames(storedManifest)].filter((name) => !nowSecret.has(name));
  const fromStore = (name: string) => !sent?.settings || sent.settings[name] === MASK;
  const settings = { ...base.settings };
  for (const name of demoted) {
    if (fromStore(name) && settings[name] != null) settings[name] = null;
  }
  return normalizeConfiguration({ ...base, settings });
}
