/**
 * The agent against the real NATS server and Docker engine. One subject prefix, agent id and work dir per file,
 * so files and repeated runs never see each other's streams or containers.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  Heartbeat,
  type KillExecution,
  type LaunchExecution,
  type Subjects,
  subjectsFor,
  TaskUpdate,
} from '@scale/contracts';
import {
  connectNats,
  createLogger,
  type JetStreamClient,
  type JsMsg,
  jetstream,
  type NatsConnection,
  publishDurable,
} from '@scale/runtime';
import Docker from 'dockerode';
import { DockerRuntime } from '../../src/adapters/docker/docker-runtime.ts';

import { type App, build } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { containerName } from '../../src/domain/container-identity.ts';
import { makeLaunch } from '../fixtures/launch.ts';

// testTimeout in a jest project entry is not applied, so the file sets its own.
jest.setTimeout(60_000);

const NATS_URL = process.env.SCALE_NATS_URL ?? 'nats://127.0.0.1:4222';
const prefix = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
const agentId = `agent-${prefix}`;
const subjects: Subjects = subjectsFor(prefix);
const docker = new Docker({ socketPath: '/var/run/docker.sock' });

let nc: NatsConnection;
let js: JetStreamClient;
let workDir: string;
let config: Config;
let app: App | undefined;
const heartbeats: Heartbeat[] = [];
/** Every task update published, duplicates included (core subscription, before JetStream's dedupe). */
const updates: TaskUpdate[] = [];
/** Every log line published (core subscription), by subject. */
const published: { subject: string; line: string }[] = [];

async function startApp(): Promise<App> {
  const appNc = await connectNats(NATS_URL, `test-${agentId}`);
  const log = createLogger({ service: 'node-agent-test', level: 'silent' });
  const started = build({ config, nc: appNc, runtime: new DockerRuntime(docker), log });
  await started.start();
  return started;
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const updatesFor = (jobExeId: number) => updates.filter((u) => u.token.jobExeId === jobExeId);
const endOf = (jobExeId: number) =>
  waitFor(`the end of execution ${jobExeId}`, () => updatesFor(jobExeId).find((u) => u.status !== 'RUNNING'));

async function launch(command: LaunchExecution, msgId = `launch-${command.token.jobExeId}`): Promise<void> {
  await publishDurable(js, subjects.nodeCommand(agentId, 'launch'), command, msgId);
}

async function containerExists(jobExeId: number): Promise<boolean> {
  const found = await docker.listContainers({
    all: true,
    filters: { label: [`scale.job_exe_id=${jobExeId}`, `scale.prefix=${prefix}`] },
  });
  return found.length > 0;
}

/** Everything the stream holds on subjects starting with `subjectStart`, in stream order. */
async function readStream(stream: string, subjectStart: string): Promise<JsMsg[]> {
  const total = (await (await js.jetstreamManager()).streams.info(stream)).state.messages;
  // The server here predates filter_subjects (2.10), so the filter is applied on this side.
  const consumer = await js.consumers.get(stream);
  const messages: JsMsg[] = [];
  for (let seen = 0; seen < total; ) {
    let count = 0;
    for await (const m of await consumer.fetch({ max_messages: total - seen, expires: 2000 })) {
      if (m.subject.startsWith(subjectStart)) messages.push(m);
      count++;
    }
    if (count === 0) break;
    seen += count;
  }
  return messages;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'scale-agent-'));
  config = loadConfig({
    SCALE_NATS_URL: NATS_URL,
    SCALE_SUBJECT_PREFIX: prefix,
    SCALE_AGENT_ID: agentId,
    SCALE_AGENT_CPUS: '2',
    SCALE_AGENT_MEM_MIB: '1024',
    SCALE_AGENT_DISK_MIB: '2000',
    SCALE_AGENT_WORK_DIR: workDir,
    SCALE_HEARTBEAT_MS: '300',
    SCALE_KILL_GRACE_SECONDS: '1',
  });
  nc = await connectNats(NATS_URL, `test-client-${prefix}`);
  js = jetstream(nc);
  nc.subscribe(subjects.heartbeat(), {
    callback: (_, m) => {
      heartbeats.push(Heartbeat.parse(m.json()));
    },
  });
  nc.subscribe(subjects.taskUpdate(), {
    callback: (_, m) => {
      updates.push(TaskUpdate.parse(m.json()));
    },
  });
  nc.subscribe(`${prefix}.v1.logs.>`, {
    callback: (_, m) => {
      published.push({ subject: m.subject, line: (m.json() as { line: string }).line });
    },
  });
  await nc.flush();
  app = await startApp();
});

afterAll(async () => {
  await app?.stop();
  const leftovers = await docker.listContainers({ all: true, filters: { label: [`scale.prefix=${prefix}`] } });
  await Promise.all(leftovers.map((c) => docker.getContainer(c.Id).remove({ force: true })));
  const jsm = await js.jetstreamManager();
  for (const stream of Object.values(subjects.streams)) await jsm.streams.delete(stream.name).catch(() => false);
  await nc.close();
  await rm(workDir, { recursive: true, force: true });
});

describe('node agent', () => {
  it('heartbeat - announces the host resources right after start', async () => {
    const beat = await waitFor('a heartbeat', () => heartbeats[0]);
    expect(beat).toMatchObject({
      agentId,
      resources: { cpus: 2, mem: 1024, disk: 2000, gpus: 0 },
      running: [],
      agentVersion: '0.1.0',
    });
    await waitFor('a second heartbeat', () => heartbeats[1]);
  });

  it('launch - runs the job, streams its logs and captures its json output', async () => {
    const command = makeLaunch({
      jobExeId: 1,
      command: `sh -c "echo hello; echo oops >&2; echo '{\\"answer\\": 42}' > $OUTPUT_DIR/seed.outputs.json"`,
      interface: { outputs: { json: [{ name: 'answer', type: 'integer' }], files: [] } },
    });
    await launch(command);
    const end = await endOf(1);

    const statuses = updatesFor(1).map((u) => u.status);
    expect(statuses).toEqual(['RUNNING', 'COMPLETED']);
    expect(end).toMatchObject({
      status: 'COMPLETED',
      agentId,
      token: command.token,
      output: { files: {}, json: { answer: 42 } },
    });
    const results = end.taskResults;
    expect(results.map((r) => [r.type, r.status])).toEqual([
      ['pull', 'COMPLETED'],
      ['pre', 'COMPLETED'],
      ['main', 'COMPLETED'],
      ['post', 'COMPLETED'],
    ]);
    const main = results.find((r) => r.type === 'main');
    expect(main).toMatchObject({ task_id: 'scale-exe-1_main', exit_code: 0, was_started: true, was_timed_out: false });
    expect(Date.parse(main?.ended ?? '')).toBeGreaterThanOrEqual(Date.parse(main?.started ?? ''));

    // The lines are in the LOGS stream before the end is reported.
    const stored = await readStream(subjects.streams.logs.name, `${prefix}.v1.logs.1.`);
    const records = stored.map((m) => ({
      subject: m.subject,
      msgId: m.headers?.get('Nats-Msg-Id'),
      ...(m.json() as { line: string; stream: string; ts: string; n: number }),
    }));
    expect(records).toHaveLength(2);
    expect(records.map((r) => r.n).sort()).toEqual([1, 2]);
    for (const r of records) {
      expect(r.msgId).toBe(`1:${r.n}`);
      expect(r.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(records.find((r) => r.stream === 'stdout')).toMatchObject({
      subject: `${prefix}.v1.logs.1.stdout`,
      line: 'hello',
    });
    expect(records.find((r) => r.stream === 'stderr')).toMatchObject({
      subject: `${prefix}.v1.logs.1.stderr`,
      line: 'oops',
    });

    // The result is durable, and the container and its folder are gone once it is.
    const stream = await readStream(subjects.streams.agent.name, subjects.taskUpdate());
    const ids = stream.map((m) => m.headers?.get('Nats-Msg-Id') ?? '').filter((id) => id.startsWith('1:'));
    expect(ids).toEqual(['1:RUNNING', '1:END']);
    await waitFor('container removal', async () => ((await containerExists(1)) ? undefined : true));
    await waitFor('folder removal', async () => ((await readdir(workDir)).includes('exe-1') ? undefined : true));
  });

  it('logs - many lines and a last line without newline arrive complete and in order', async () => {
    await launch(makeLaunch({ jobExeId: 10, command: 'sh -c "seq 1 3000; printf \\"tail \\$0\\""' }));
    expect(await endOf(10)).toMatchObject({ status: 'COMPLETED' });
    const stored = await readStream(subjects.streams.logs.name, `${prefix}.v1.logs.10.`);
    const records = stored.map((m) => m.json() as { line: string; n: number });
    expect(records).toHaveLength(3001);
    records.slice(0, 3000).forEach((r, index) => {
      expect(r).toMatchObject({ n: index + 1, line: String(index + 1) });
    });
    expect(records[3000]).toMatchObject({ n: 3001, line: 'tail sh' });
  });

  it('launch - a non-zero exit code fails the execution with EXIT_CODE', async () => {
    await launch(makeLaunch({ jobExeId: 2, command: 'sh -c "echo failing; exit 3"' }));
    const end = await endOf(2);
    expect(end).toMatchObject({ status: 'FAILED', failure: { type: 'EXIT_CODE', exitCode: 3 } });
    expect(end.taskResults.find((r) => r.type === 'main')).toMatchObject({ status: 'FAILED', exit_code: 3 });
    expect(end.taskResults.some((r) => r.type === 'post')).toBe(false);
  });

  it('launch - the timeout kills the container and fails with TIMEOUT', async () => {
    const started = Date.now();
    await launch(makeLaunch({ jobExeId: 3, command: 'sleep 30', timeoutSeconds: 1 }));
    const end = await endOf(3);
    expect(end).toMatchObject({ status: 'FAILED', failure: { type: 'TIMEOUT' } });
    expect(end.taskResults.find((r) => r.type === 'main')).toMatchObject({ was_timed_out: true, status: 'FAILED' });
    expect(Date.now() - started).toBeLessThan(15_000);
    await waitFor('container removal', async () => ((await containerExists(3)) ? undefined : true));
  });

  it('launch - a missing image fails with IMAGE_MISSING and nothing is created', async () => {
    await launch(makeLaunch({ jobExeId: 4, image: `local/not-here-${prefix}:none`, command: 'true' }));
    const end = await endOf(4);
    expect(end).toMatchObject({ status: 'FAILED', failure: { type: 'IMAGE_MISSING' } });
    expect(end.taskResults.map((r) => [r.type, r.status])).toEqual([['pull', 'FAILED']]);
    expect(updatesFor(4).map((u) => u.status)).toEqual(['FAILED']);
    expect(await containerExists(4)).toBe(false);
  });

  it('launch - a command Docker cannot start fails with LAUNCH and leaves nothing behind', async () => {
    await launch(makeLaunch({ jobExeId: 11, command: '/no/such/program' }));
    const end = await endOf(11);
    expect(end).toMatchObject({ status: 'FAILED', failure: { type: 'LAUNCH' } });
    expect(updatesFor(11).map((u) => u.status)).toEqual(['FAILED']);
    await waitFor('container removal', async () => ((await containerExists(11)) ? undefined : true));
    // The folder goes right after the container, once the failure is stored.
    await waitFor('folder removal', async () => ((await readdir(workDir)).includes('exe-11') ? undefined : true));
  });

  it('launch - a missing required json output fails with OUTPUT invalid-results-manifest', async () => {
    await launch(
      makeLaunch({
        jobExeId: 5,
        command: 'true',
        interface: { outputs: { json: [{ name: 'answer', type: 'integer' }], files: [] } },
      }),
    );
    const end = await endOf(5);
    expect(end).toMatchObject({
      status: 'FAILED',
      failure: { type: 'OUTPUT', error: 'invalid-results-manifest' },
    });
    expect(end.taskResults.find((r) => r.type === 'post')).toMatchObject({ status: 'FAILED' });
  });

  it('launch - a duplicate launch message runs the container once', async () => {
    const command = makeLaunch({ jobExeId: 6, command: 'sh -c "echo once; sleep 1"' });
    // Different message ids, so both copies reach the agent (as a redelivery would).
    await launch(command, 'dup-a');
    await launch(command, 'dup-b');
    const end = await endOf(6);
    expect(end.status).toBe('COMPLETED');
    await sleep(500);
    expect(updatesFor(6).map((u) => u.status)).toEqual(['RUNNING', 'COMPLETED']);
    expect(published.filter((p) => p.subject === subjects.log(6, 'stdout')).map((p) => p.line)).toEqual(['once']);
    const jsm = await js.jetstreamManager();
    const info = await jsm.consumers.info(subjects.streams.nodeCommands.name, subjects.consumers.agent(agentId));
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });

  it('kill - stops the container and fails with KILLED', async () => {
    await launch(makeLaunch({ jobExeId: 7, command: 'sleep 30' }));
    await waitFor('RUNNING', () => updatesFor(7).find((u) => u.status === 'RUNNING'));
    expect(app?.running()).toContain(7);
    // The container runs locked down, with the allocation as its limits.
    const info = await docker.getContainer(containerName(7, prefix)).inspect();
    expect(info.Config.User).toBe('65534:65534');
    expect(info.Config.Cmd).toEqual(['sleep', '30']);
    expect(info.Config.Labels).toMatchObject({
      'scale.job_exe_id': '7',
      'scale.job_id': '1007',
      'scale.exe_num': '1',
      'scale.epoch': '1',
      'scale.agent_id': agentId,
      'scale.prefix': prefix,
    });
    expect(info.Config.Env).toEqual(
      expect.arrayContaining(['OUTPUT_DIR=/scale/output_data', 'ALLOCATED_MEM=64', 'SCALE_JOB_ID=1007']),
    );
    expect(info.HostConfig).toMatchObject({
      Memory: 64 * 1024 * 1024,
      NanoCpus: 500_000_000,
      PidsLimit: 1024,
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      NetworkMode: 'none',
      Privileged: false,
      Binds: [`${join(workDir, 'exe-7', 'output')}:/scale/output_data:rw`],
      Tmpfs: { '/tmp': 'rw,size=64m' },
    });
    await waitFor('a heartbeat listing it', () => heartbeats.find((h) => h.running.includes(7)));
    const kill: KillExecution = { token: makeLaunch({ jobExeId: 7 }).token, reason: 'canceled by test' };
    await publishDurable(js, subjects.nodeCommand(agentId, 'kill'), kill, 'kill-7');
    const end = await endOf(7);
    expect(end).toMatchObject({ status: 'FAILED', failure: { type: 'KILLED', reason: 'canceled by test' } });
    expect(end.taskResults.find((r) => r.type === 'main')).toMatchObject({ status: 'CANCELED' });
  });

  it('reconcile - a restarted agent reports containers that ended or kept running while it was away', async () => {
    const quick = makeLaunch({
      jobExeId: 8,
      command: `sh -c "sleep 2; echo '{\\"answer\\": 7}' > $OUTPUT_DIR/seed.outputs.json"`,
      interface: { outputs: { json: [{ name: 'answer', type: 'integer' }], files: [] } },
    });
    const slow = makeLaunch({ jobExeId: 9, command: 'sh -c "sleep 6; exit 5"' });
    await launch(quick);
    await launch(slow);
    await waitFor('both RUNNING', () => (updatesFor(8).length > 0 && updatesFor(9).length > 0 ? true : undefined));
    await app?.stop();
    app = undefined;
    // While no agent runs, the quick job ends; the slow one is still running at the restart.
    await waitFor('the quick container to exit', async () => {
      const info = await docker.getContainer(containerName(8, prefix)).inspect();
      return info.State.Running ? undefined : true;
    });
    expect(updatesFor(8).map((u) => u.status)).toEqual(['RUNNING']);
    app = await startApp();

    const quickEnd = await endOf(8);
    expect(quickEnd).toMatchObject({ status: 'COMPLETED', output: { json: { answer: 7 } } });
    const slowEnd = await endOf(9);
    expect(slowEnd).toMatchObject({ status: 'FAILED', failure: { type: 'EXIT_CODE', exitCode: 5 } });
    await waitFor('container removal', async () =>
      (await containerExists(8)) || (await containerExists(9)) ? undefined : true,
    );
    await waitFor('nothing tracked', () => (app?.running().length === 0 ? true : undefined));
  });
  it('reconcile - output written while the agent was away and after adoption is published once, n contiguous', async () => {
    const count = 40;
    await launch(
      makeLaunch({
        jobExeId: 13,
        command: `sh -c 'i=0; while [ $i -lt ${count} ]; do i=$((i+1)); echo line $i; sleep 0.2; done'`,
      }),
    );
    const seen = (from: number) => () =>
      published.filter((p) => p.subject.startsWith(`${prefix}.v1.logs.13.`)).length >= from ? true : undefined;
    // Two restarts: the second adoption goes on from what the first one recorded.
    for (const lines of [5, 15]) {
      await waitFor(`${lines} lines`, seen(lines));
      await app?.stop();
      app = undefined;
      await sleep(1500);
      app = await startApp();
    }
    expect(await endOf(13)).toMatchObject({ status: 'COMPLETED' });

    const stored = await readStream(subjects.streams.logs.name, `${prefix}.v1.logs.13.`);
    const records = stored.map((m) => ({
      msgId: m.headers?.get('Nats-Msg-Id'),
      ...(m.json() as { line: string; n: number }),
    }));
    expect(records.map((r) => r.n)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(records.map((r) => r.line)).toEqual(Array.from({ length: count }, (_, i) => `line ${i + 1}`));
    for (const r of records) expect(r.msgId).toBe(`13:${r.n}`);
  });

  it('disk - an output folder larger than the allocated disk fails the execution', async () => {
    const base = makeLaunch({ jobExeId: 14, command: 'sh -c "dd if=/dev/zero of=$OUTPUT_DIR/big bs=1024 count=2048"' });
    await launch({ ...base, resources: { ...base.resources, disk: 1 } });
    const end = await endOf(14);
    expect(end).toMatchObject({
      status: 'FAILED',
      failure: { type: 'OUTPUT', error: 'output-too-large', message: expect.stringContaining('1 MiB') },
    });
    expect(end.taskResults.find((r) => r.type === 'post')).toMatchObject({ status: 'FAILED' });
  });
});
