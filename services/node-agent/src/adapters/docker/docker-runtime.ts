/** ContainerRuntime on the local Docker engine, through dockerode. Foreign errors are translated here. */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { LogStreamName } from '@scale/contracts';
import { UnavailableError } from '@scale/runtime';
import type Docker from 'dockerode';
import { JOB_GID, JOB_UID } from '../../domain/job-user.ts';
import { LineSplitter } from '../../domain/line-splitter.ts';
import { OUTPUT_DIR } from '../../domain/seed-env.ts';
import {
  ContainerExistsError,
  type ContainerMount,
  ContainerRejectedError,
  type ContainerRuntime,
  type ContainerSpec,
  type ContainerStatus,
  ImageMissingError,
  type LogSink,
  type OutputAttachment,
} from './container-runtime.ts';

/** uid:gid of "nobody": jobs never run as root, whatever the image says (unless the job type opts out). */
const JOB_USER = `${JOB_UID}:${JOB_GID}`;

function statusCode(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** No HTTP status means Docker never answered (socket missing, daemon down): worth retrying later. */
function translate(err: unknown, what: string): Error {
  if (statusCode(err) === undefined && !(err instanceof Error && err.name === 'AbortError')) {
    return new UnavailableError(`docker: ${what} failed`, { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}

function dockerDate(text: string | undefined): Date | undefined {
  // Docker reports "0001-01-01T00:00:00Z" for "never".
  if (!text || text.startsWith('0001-')) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export class DockerRuntime implements ContainerRuntime {
  readonly #docker: Docker;

  constructor(docker: Docker) {
    this.#docker = docker;
  }

  async imageExists(image: string): Promise<boolean> {
    try {
      await this.#docker.getImage(image).inspect();
      return true;
    } catch (err) {
      if (statusCode(err) === 404) return false;
      throw translate(err, 'image inspect');
    }
  }

  async create(spec: ContainerSpec): Promise<void> {
    try {
      await this.#docker.createContainer(createOptions(spec));
    } catch (err) {
      const code = statusCode(err);
      if (code === 409) throw new ContainerExistsError(spec.name, { cause: err });
      if (code === 404) throw new ImageMissingError(spec.image, { cause: err });
      if (code !== undefined) throw new ContainerRejectedError(dockerMessage(err), { cause: err });
      throw translate(err, 'create');
    }
  }

  async attach(name: string, sink: LogSink): Promise<OutputAttachment> {
    let stream: Readable;
    try {
      // The attach answer is the HTTP response stream (a Readable), whatever the typings say.
      stream = (await this.#docker
        .getContainer(name)
        .attach({ stream: true, stdout: true, stderr: true, logs: false })) as unknown as Readable;
    } catch (err) {
      throw translate(err, 'attach');
    }
    return this.#follow(stream, sink);
  }

  async logs(name: string, sink: LogSink): Promise<OutputAttachment> {
    let stream: Readable;
    try {
      stream = (await this.#docker
        .getContainer(name)
        .logs({ follow: true, stdout: true, stderr: true })) as unknown as Readable;
    } catch (err) {
      throw translate(err, 'logs');
    }
    return this.#follow(stream, sink);
  }

  #follow(stream: Readable, sink: LogSink): OutputAttachment {
    const stdout = lineWriter('stdout', sink);
    const stderr = lineWriter('stderr', sink);
    this.#docker.modem.demuxStream(stream, stdout.writable, stderr.writable);
    let done = false;
    const ended = new Promise<void>((resolve) => {
      const finish = () => {
        if (done) return;
        done = true;
        stdout.flush();
        stderr.flush();
        resolve();
      };
      stream.on('end', finish);
      stream.on('close', finish);
      stream.on('error', finish);
    });
    return {
      pause: () => stream.pause(),
      resume: () => stream.resume(),
      detach: () => {
        // A line cut by the detach is not a line: the next reader (after a restart) sees it whole.
        done = true;
        stream.destroy();
      },
      ended,
    };
  }

  async start(name: string): Promise<void> {
    try {
      await this.#docker.getContainer(name).start();
    } catch (err) {
      const code = statusCode(err);
      if (code === 304) return; // already started
      if (code !== undefined) throw new ContainerRejectedError(dockerMessage(err), { cause: err });
      throw translate(err, 'start');
    }
  }

  async wait(name: string, signal: AbortSignal): Promise<number> {
    try {
      const result = (await this.#docker.getContainer(name).wait({ abortSignal: signal })) as { StatusCode: number };
      return result.StatusCode;
    } catch (err) {
      throw translate(err, 'wait');
    }
  }

  async kill(name: string): Promise<void> {
    try {
      await this.#docker.getContainer(name).kill();
    } catch (err) {
      // 404 gone, 409 not running: either way it is not running any more.
      if (statusCode(err) === 404 || statusCode(err) === 409) return;
      throw translate(err, 'kill');
    }
  }

  async stop(name: string, graceSeconds: number): Promise<void> {
    try {
      await this.#docker.getContainer(name).stop({ t: graceSeconds });
    } catch (err) {
      if (statusCode(err) === 304 || statusCode(err) === 404) return;
      throw translate(err, 'stop');
    }
  }

  async inspect(name: string): Promise<ContainerStatus | undefined> {
    try {
      const info = await this.#docker.getContainer(name).inspect();
      return {
        name: info.Name.replace(/^\//, ''),
        labels: info.Config.Labels ?? {},
        state: info.State.Status,
        exitCode: info.State.ExitCode,
        startedAt: dockerDate(info.State.StartedAt),
        finishedAt: dockerDate(info.State.FinishedAt),
      };
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw translate(err, 'inspect');
    }
  }

  async list(labels: Record<string, string>): Promise<ContainerStatus[]> {
    let summaries: Docker.ContainerInfo[];
    try {
      summaries = await this.#docker.listContainers({
        all: true,
        filters: { label: Object.entries(labels).map(([key, value]) => `${key}=${value}`) },
      });
    } catch (err) {
      throw translate(err, 'list');
    }
    const statuses = await Promise.all(summaries.map((s) => this.inspect(s.Id)));
    return statuses.filter((s): s is ContainerStatus => s !== undefined);
  }

  async remove(name: string): Promise<void> {
    try {
      await this.#docker.getContainer(name).remove({ force: true, v: true });
    } catch (err) {
      // 409: removal already in progress.
      if (statusCode(err) === 404 || statusCode(err) === 409) return;
      throw translate(err, 'remove');
    }
  }
}

/** The create request for a spec (exported for the unit tests: GPUs cannot be tried on every host). */
export function createOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  return {
    name: spec.name,
    Image: spec.image,
    ...(spec.cmd ? { Cmd: spec.cmd } : {}),
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    Labels: spec.labels,
    ...(spec.options.imageUser ? {} : { User: JOB_USER }),
    Tty: false,
    OpenStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: {
      Memory: spec.memoryBytes,
      NanoCpus: spec.nanoCpus,
      PidsLimit: 1024,
      ReadonlyRootfs: !spec.options.writableRoot,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      NetworkMode: spec.options.network ? 'bridge' : 'none',
      Privileged: false,
      Binds: [`${spec.outputDir}:${OUTPUT_DIR}:rw`],
      // The Mounts API (not Binds) so that paths holding ':' or ',' stay intact.
      Mounts: spec.mounts.map(dockerMount),
      Tmpfs: { '/tmp': 'rw,size=64m' },
      ...(spec.shmSizeBytes === undefined ? {} : { ShmSize: spec.shmSizeBytes }),
      // NVIDIA's container toolkit hands out this many GPUs (Docker picks which).
      ...(spec.gpus > 0 ? { DeviceRequests: [{ Driver: 'nvidia', Count: spec.gpus, Capabilities: [['gpu']] }] } : {}),
    },
  };
}

function dockerMount(mount: ContainerMount): Docker.MountSettings {
  if (mount.type === 'bind') {
    return { Type: 'bind', Source: mount.source, Target: mount.target, ReadOnly: mount.readOnly };
  }
  // No Source: an anonymous volume, which `remove({ v: true })` deletes with the container.
  return {
    Type: 'volume',
    Source: '',
    Target: mount.target,
    ReadOnly: mount.readOnly,
    ...(mount.driver
      ? {
          VolumeOptions: {
            NoCopy: false,
            Labels: {},
            DriverConfig: { Name: mount.driver, Options: mount.driverOpts },
          },
        }
      : {}),
  };
}

function dockerMessage(err: unknown): string {
  const json = (err as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === 'string') return json.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * demuxStream only calls write(), synchronously per frame, so a plain object keeps each line in frame order
 * (a stream.Writable could defer writes and reorder stdout against stderr).
 */
function lineWriter(stream: LogStreamName, sink: LogSink): { writable: NodeJS.WritableStream; flush(): void } {
  const decoder = new StringDecoder('utf8');
  const splitter = new LineSplitter();
  const emit = (lines: string[]) => {
    for (const line of lines) sink.line(stream, line);
  };
  const writable = {
    write(chunk: Buffer | string) {
      emit(splitter.push(typeof chunk === 'string' ? chunk : decoder.write(chunk)));
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return {
    writable,
    flush: () => emit(splitter.push(decoder.end()).concat(splitter.end())),
  };
}
