/**
 * The container operations the agent needs, owned by the agent so the rest of it never sees dockerode.
 * Containers are addressed by name (names are deterministic per execution, see domain/container-identity.ts).
 */
import type { ContainerOptions, LogStreamName } from '@scale/contracts';

export interface ContainerSpec {
  name: string;
  image: string;
  /** undefined runs the image's default command. */
  cmd: string[] | undefined;
  env: Record<string, string>;
  labels: Record<string, string>;
  memoryBytes: number;
  nanoCpus: number;
  /** Whole GPUs to hand to the container (NVIDIA device request); 0 for none. */
  gpus: number;
  /** Host folder mounted read-write at the Seed OUTPUT_DIR. */
  outputDir: string;
  /** Input files and Seed mounts. */
  mounts: ContainerMount[];
  /** Size of /dev/shm (Seed's sharedMem); Docker's default when undefined. */
  shmSizeBytes?: number | undefined;
  /** Relaxations of the hardened defaults that the job type asked for. */
  options: ContainerOptions;
}

export type ContainerMount =
  | { type: 'bind'; source: string; target: string; readOnly: boolean }
  /** A volume that lives as long as the container (removed with it). */
  | {
      type: 'volume';
      target: string;
      readOnly: boolean;
      driver?: string | undefined;
      driverOpts: Record<string, string>;
    };

export interface ContainerStatus {
  name: string;
  labels: Record<string, string>;
  /** Docker's state: created, running, paused, restarting, removing, exited or dead. */
  state: string;
  exitCode: number;
  startedAt: Date | undefined;
  finishedAt: Date | undefined;
}

export interface LogSink {
  /** One complete line (without its newline), in the order the container wrote them. */
  line(stream: LogStreamName, text: string): void;
}

export interface OutputAttachment {
  /** Stop reading the container's output (backpressure: Docker buffers, the container blocks when full). */
  pause(): void;
  resume(): void;
  /** Stop following the output; the container keeps running. */
  detach(): void;
  /** Resolves once the output ended and the last line, even one without a newline, reached the sink. */
  readonly ended: Promise<void>;
}

/** The container already exists: someone else (a redelivered launch) created it. */
export class ContainerExistsError extends Error {
  constructor(name: string, options?: ErrorOptions) {
    super(`container ${name} already exists`, options);
    this.name = 'ContainerExistsError';
  }
}

/** The image is not on this host (Docker answered 404 to a create). Images are never pulled. */
export class ImageMissingError extends Error {
  constructor(image: string, options?: ErrorOptions) {
    super(`image ${image} is not present`, options);
    this.name = 'ImageMissingError';
  }
}

/** Docker answered and refused (bad spec, bad image reference): retrying the same launch would fail again. */
export class ContainerRejectedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContainerRejectedError';
  }
}

export interface ContainerRuntime {
  /** Whether the image is present locally. Images are never pulled. */
  imageExists(image: string): Promise<boolean>;
  /**
   * Throws ContainerExistsError when the name is taken, ImageMissingError when the image is not on the host,
   * ContainerRejectedError when Docker refuses the spec.
   */
  create(spec: ContainerSpec): Promise<void>;
  /** Attach before start so no early output is lost. */
  attach(name: string, sink: LogSink): Promise<OutputAttachment>;
  /**
   * The container's output from its start as Docker's log holds it (so also what was written while nobody was
   * attached), followed until the container stops. For adopted containers.
   */
  logs(name: string, sink: LogSink): Promise<OutputAttachment>;
  start(name: string): Promise<void>;
  /** Resolves with the exit code once the container stopped; rejects with an AbortError when the signal fires. */
  wait(name: string, signal: AbortSignal): Promise<number>;
  /** SIGKILL now. Does nothing if the container is not running. */
  kill(name: string): Promise<void>;
  /** SIGTERM, then SIGKILL after graceSeconds. Does nothing if the container is not running. */
  stop(name: string, graceSeconds: number): Promise<void>;
  /** undefined when there is no such container. */
  inspect(name: string): Promise<ContainerStatus | undefined>;
  /** Containers (running or not) carrying all these labels. */
  list(labels: Record<string, string>): Promise<ContainerStatus[]>;
  /** Force-removes the container and its volumes; does nothing if it is already gone. */
  remove(name: string): Promise<void>;
}
