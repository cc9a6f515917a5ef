/** What the execution lifecycle functions share. Built once in app.ts. */
import type { Subjects } from '@scale/contracts';
import type { JetStreamClient, Logger } from '@scale/runtime';
import type { ContainerRuntime } from '../adapters/docker/container-runtime.ts';
import type { WorkDir } from '../adapters/fs/work-dir.ts';
import type { Reporter } from '../adapters/nats/reporter.ts';
import type { ImageCache } from '../domain/image-cache.ts';
import type { Registry } from './registry.ts';

export interface ExecutionContext {
  runtime: ContainerRuntime;
  workDir: WorkDir;
  js: JetStreamClient;
  subjects: Subjects;
  reporter: Reporter;
  registry: Registry;
  agentId: string;
  killGraceSeconds: number;
  /** Images seen on this host lately (the pull task's check). */
  images: ImageCache;
  now: () => Date;
  log: Logger;
}
