import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CancelJobsResult,
  type Heartbeat,
  KillExecution,
  LaunchExecution,
  QueueJobsResult,
  RequeueJobsResult,
  SeedManifest,
  type SeedManifestInput,
  type TaskUpdate,
  UpdateNodeResult,
  UpdateSchedulerResult,
} from '@scale/contracts';
import { type Orm, openOrm } from '@scale/db';
import { createLogger, ensureDurableConsumer, jetstream, type NatsConnection, requestCommand } from '@scale/runtime';
import {
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  type TestDatabase,
  testSubjects,
  until,
} from '@scale/testkit';
import type { z } from 'zod';
import { applyTaskUpdates } from '../../src/adapters/executions.ts';
import { forgetExpiredKeys } from '../../src/adapters/queue-jobs.ts';
import { buildScheduler, type Scheduler } from '../../src/app.ts';

const subjects = testSubjects('sched');
const log = createLogger({ service: 'scheduler-test', level: 'silent' });
const config = {
  scheduleIntervalMs: 100,
  leaseMs: 1500,
  nodeLostMs: 1500,
  queueWindow: 100,
  launchTimeoutMs: 4000,
  timeoutGraceMs: 60_000,
  loadSampleMs: 500,
};

function manifest(overrides: Partial<SeedManifestInput['job']> = {}): SeedManifest {
  return SeedManifest.parse({
    seedVersion: '1.0.0',
    job: {
      name: 'echo',
      jobVersion: '1.0.0',
      packageVersion: '1.0.0',
      timeout: 30,
      resources: {
        scalar: [
          { name: 'cpus', value: 1 },
          { name: 'mem', value: 256 },
        ],
      },
      errors: [{ code: 4, name: 'bad-input', category: 'data' }],
      ...overrides,
    },
  });
}

describe('scheduler', () => {
  let db: TestDatabase;
  let orm: Orm;
  let nc: NatsConnection;
  let scheduler: Scheduler;
  let jobTypeId: number;
  /** Agents that keep beating (every 300 ms) and their resources. */
  const beating = new Map<string, { cpus: number; mem: number }>();
  let beatTimer: NodeJS.Timeout | undefined;

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    orm.em.fork().execute<T[]>(text, params);
  const beat = (agentId: string, cpus = 4, mem = 4096): void => {
    const payload: Heartbeat = {
      agentId,
      hostname: `${agentId}.local`,
      resources: { cpus, mem, disk: 10_000, gpus: 0 },
      running: [],
      at: new Date().toISOString(),
      agentVersion: 'test',
    };
    nc.publish(subjects.heartbeat(), JSON.stringify(payload));
  };
  const queue = (input: unknown = { files: {}, json: {} }, idempotencyKey?: string) =>
    requestCommand(
      nc,
      subjects.command('scheduler', 'queue-jobs'),
      { jobs: [{ jobTypeId, input }], ...(idempotencyKey ? { idempotencyKey } : {}) },
      QueueJobsResult,
    );
  /** Kill commands each simulated agent received, by job_exe id. */
  const kills = new Map<string, Set<number>>();
  /** A simulated agent's durable consumer of its commands on the work queue stream. */
  async function agentCommands(agentId: string) {
    await ensureDurableConsumer(
      nc,
      subjects.streams.nodeCommands.name,
      subjects.consumers.agent(agentId),
      subjects.nodeCommands(agentId),
    );
    return jetstream(nc).consumers.get(subjects.streams.nodeCommands.name, subjects.consumers.agent(agentId));
  }
  /** Acks a command; a kill is recorded (true), anything else is left to the caller (false). */
  function recordedKill(agentId: string, msg: { subject: string; ack(): void; json<T>(): T }): boolean {
    msg.ack();
    if (!msg.subject.endsWith('.kill')) return false;
    const kill = KillExecution.parse(msg.json());
    kills.set(agentId, (kills.get(agentId) ?? new Set()).add(kill.token.jobExeId));
    return true;
  }
  /** A simulated agent: reads its commands from the work queue stream; kills are recorded, launches returned. */
  async function nextLaunch(agentId: string): Promise<LaunchExecution> {
    const consumer = await agentCommands(agentId);
    for (;;) {
      const msg = await until(() => consumer.next({ expires: 1000 }), `launch for ${agentId}`);
      if (!recordedKill(agentId, msg)) return LaunchExecution.parse(msg.json());
    }
  }
  /** Drains an agent's pending commands (recording kills) until the kill of this execution arrived. */
  async function untilKilled(agentId: string, jobExeId: number): Promise<void> {
    const consumer = await agentCommands(agentId);
    await until(async () => {
      if (kills.get(agentId)?.has(jobExeId)) return true;
      const msg = await consumer.next({ expires: 1000 });
      if (msg) recordedKill(agentId, msg);
      return kills.get(agentId)?.has(jobExeId) ?? false;
    }, `kill of execution ${jobExeId} on ${agentId}`);
  }
  const report = async (update: TaskUpdate) => {
    await jetstream(nc).publish(subjects.taskUpdate(), JSON.stringify(update));
  };
  const job = async (id: number) =>
    (
      await sql<{ status: string; num_exes: number; error: string | null; category: string | null; output: unknown }>(
        `select j.status, j.num_exes, j.output, e.name as error, e.category
         from job j left join error e on e.id = j.error_id where j.id = ?`,
        [id],
      )
    )[0]!;

  beforeAll(async () => {
    db = await createTestDatabase('scheduler');
    orm = await openOrm({ url: db.url, poolSize: 5 });
    nc = await connectTestNats();
    const m = manifest();
    const [jt] = await sql<{ id: number }>(
      `insert into job_type (name, version, docker_image, manifest, max_tries) values ('echo', '1.0.0', 'local/busybox', ?, 3) returning id`,
      [JSON.stringify(m)],
    );
    jobTypeId = jt!.id;
    await sql(
      `insert into job_type_revision (job_type_id, revision_num, docker_image, manifest) values (?, 1, 'local/busybox', ?)`,
      [jobTypeId, JSON.stringify(m)],
    );
    await sql(
      `insert into error (name, job_type_name, title, category, is_builtin, should_be_retried) values ('bad-input', 'echo', 'Bad input', 'DATA', false, false)`,
    );
    scheduler = buildScheduler({ orm, nc, subjects, log, config: { ...config, schedulerId: 'primary' } });
    await scheduler.start();
    beatTimer = setInterval(() => {
      for (const [agentId, r] of beating) beat(agentId, r.cpus, r.mem);
    }, 300);
  });

  afterAll(async () => {
    clearInterval(beatTimer);
    await scheduler.stop();
    await deleteTestStreams(nc, subjects);
    await nc.close();
    await orm.close();
    await db.drop();
  });

  it('scheduler - takes the lease when it is free', () => {
    expect(scheduler.epoch()).toBe(1);
  });

  it('scheduler - queues a job, places it on a fitting node and completes it from the agent report', async () => {
    const { jobIds } = await queue({ files: {}, json: { x: 1 } });
    expect(await job(jobIds[0]!)).toMatchObject({ status: 'QUEUED', num_exes: 1 });
    beating.set('agent-a', { cpus: 4, mem: 4096 });
    const launch = await nextLaunch('agent-a');
    expect(launch).toMatchObject({
      token: { jobId: jobIds[0], exeNum: 1, epoch: 1 },
      dockerImage: 'local/busybox',
      resources: { cpus: 1, mem: 256, disk: 0, gpus: 0 },
      timeoutSeconds: 30,
      input: { json: { x: 1 } },
    });
    expect(await job(jobIds[0]!)).toMatchObject({ status: 'RUNNING' });
    const at = new Date().toISOString();
    await report({ status: 'RUNNING', token: launch.token, agentId: 'agent-a', at });
    await report({
      status: 'COMPLETED',
      token: launch.token,
      agentId: 'agent-a',
      at,
      output: { files: {}, json: { answer: 42 } },
      taskResults: [],
    });
    const done = await until(async () => {
      const row = await job(jobIds[0]!);
      return row.status === 'COMPLETED' && row;
    }, 'job completed');
    expect(done.output).toEqual({ files: {}, json: { answer: 42 } });
    const [exe] = await sql<{ status: string; started: string | null; ended: string | null }>(
      'select status, started::text, ended::text from job_exe where job_id = ?',
      [jobIds[0]],
    );
    expect(exe).toMatchObject({ status: 'COMPLETED' });
    expect(new Date(exe!.started!).toISOString()).toBe(at);
    expect(Date.parse(exe!.ended!)).toBeGreaterThanOrEqual(Date.parse(at));
  });

  it('scheduler - a mapped exit code fails the job with its error and category, without retry', async () => {
    const { jobIds } = await queue();
    const launch = await nextLaunch('agent-a');
    await report({
      status: 'FAILED',
      token: launch.token,
      agentId: 'agent-a',
      at: new Date().toISOString(),
      failure: { type: 'EXIT_CODE', exitCode: 4 },
      taskResults: [],
    });
    const failed = await until(async () => {
      const row = await job(jobIds[0]!);
      return row.status === 'FAILED' && row;
    }, 'job failed');
    expect(failed).toMatchObject({ error: 'bad-input', category: 'DATA', num_exes: 1 });
  });

  it('scheduler - an unmapped exit code is algorithm-unknown; a duplicate or late report is rejected', async () => {
    const { jobIds } = await queue();
    const launch = await nextLaunch('agent-a');
    const failedReport: TaskUpdate = {
      status: 'FAILED',
      token: launch.token,
      agentId: 'agent-a',
      at: new Date().toISOString(),
      failure: { type: 'EXIT_CODE', exitCode: 99 },
      taskResults: [],
    };
    await report(failedReport);
    await until(async () => (await job(jobIds[0]!)).status === 'FAILED', 'job failed');
    await report({ ...failedReport, status: 'COMPLETED', output: { files: {}, json: {} } } as TaskUpdate);
    await report(failedReport);
    await new Promise((r) => setTimeout(r, 500));
    expect(await job(jobIds[0]!)).toMatchObject({
      status: 'FAILED',
      error: 'algorithm-unknown',
      category: 'ALGORITHM',
    });
    const [count] = await sql<{ n: string }>('select count(*) as n from job_exe where job_id = ?', [jobIds[0]]);
    expect(Number(count!.n)).toBe(1);
  });

  it('scheduler - an idempotency key returns the first answer, refuses another request, expires after 24 h', async () => {
    const first = await queue(undefined, 'key-1');
    const second = await queue(undefined, 'key-1');
    expect(second).toEqual(first);
    const other = { files: {}, json: { TEXT: 'another request' } };
    await expect(queue(other, 'key-1')).rejects.toMatchObject({
      code: 'VALIDATION',
      details: [{ field: 'Idempotency-Key', message: expect.stringContaining('different request') }],
    });
    // A day later the key is forgotten: it names a new request.
    await sql(`update idempotency_key set created = now() - interval '25 hours' where key = 'key-1'`);
    const third = await queue(other, 'key-1');
    expect(third.jobIds[0]).not.toBe(first.jobIds[0]);
    expect(await queue(other, 'key-1')).toEqual(third);
    await sql(`update idempotency_key set created = now() - interval '25 hours' where key = 'key-1'`);
    expect(await forgetExpiredKeys(orm.em.fork())).toBe(1);
    expect(await sql(`select key from idempotency_key where key = 'key-1'`)).toEqual([]);
    // Leave no queued job behind for the next test: run both to the end.
    for (const jobId of [first.jobIds[0]!, third.jobIds[0]!]) {
      const launch = await nextLaunch('agent-a');
      await report({
        status: 'COMPLETED',
        token: launch.token,
        agentId: 'agent-a',
        at: new Date().toISOString(),
        output: { files: {}, json: {} },
        taskResults: [],
      });
      await until(async () => (await job(launch.token.jobId)).status === 'COMPLETED', `job ${jobId} completed`);
    }
  });

  it('scheduler - parks a job no node can fit, with its reason, and runs it when a large enough node joins', async () => {
    const big = manifest({ name: 'big', resources: { scalar: [{ name: 'mem', value: 65_536 }] } });
    const [jt] = await sql<{ id: number }>(
      `insert into job_type (name, version, docker_image, manifest) values ('big', '1.0.0', 'img', ?) returning id`,
      [JSON.stringify(big)],
    );
    await sql(
      `insert into job_type_revision (job_type_id, revision_num, docker_image, manifest) values (?, 1, 'img', ?)`,
      [jt!.id, JSON.stringify(big)],
    );
    const bigJob = await requestCommand(
      nc,
      subjects.command('scheduler', 'queue-jobs'),
      { jobs: [{ jobTypeId: jt!.id, input: { files: {}, json: {} }, priority: 1 }] },
      QueueJobsResult,
    );
    const small = await queue();
    const launch = await nextLaunch('agent-a');
    expect(launch.token.jobId).toBe(small.jobIds[0]);
    const parked = await until(async () => {
      const [row] = await sql<{ status: string; unplaceable: boolean; queue_reason: string | null }>(
        'select status, unplaceable, queue_reason from job where id = ?',
        [bigJob.jobIds[0]],
      );
      return row?.unplaceable && row;
    }, 'big job parked');
    expect(parked).toEqual({
      status: 'QUEUED',
      unplaceable: true,
      queue_reason: 'needs 64 GiB mem; largest node offers 4 GiB',
    });
    await report({
      status: 'COMPLETED',
      token: launch.token,
      agentId: 'agent-a',
      at: new Date().toISOString(),
      output: { files: {}, json: {} },
      taskResults: [],
    });
    await until(async () => (await job(small.jobIds[0]!)).status === 'COMPLETED', 'small job completed');

    beating.set('agent-big', { cpus: 8, mem: 131_072 });
    const bigLaunch = await nextLaunch('agent-big');
    expect(bigLaunch.token.jobId).toBe(bigJob.jobIds[0]);
    await report({
      status: 'COMPLETED',
      token: bigLaunch.token,
      agentId: 'agent-big',
      at: new Date().toISOString(),
      output: { files: {}, json: {} },
      taskResults: [],
    });
    await until(async () => (await job(bigJob.jobIds[0]!)).status === 'COMPLETED', 'big job completed');
    beating.delete('agent-big');
    await sql(`update node set is_active = false where agent_id = 'agent-big'`);
  });

  it('scheduler - a lost node fails its execution with node-lost and the job is retried elsewhere', async () => {
    const { jobIds } = await queue();
    const lostLaunch = await nextLaunch('agent-a');
    // agent-a stops beating; agent-b keeps beating and gets the retry.
    beating.delete('agent-a');
    beating.set('agent-b', { cpus: 4, mem: 4096 });
    try {
      const retry = await nextLaunch('agent-b');
      expect(retry.token).toMatchObject({ jobId: jobIds[0], exeNum: 2 });
      const [first] = await sql<{ status: string; error: string }>(
        `select x.status, e.name as error from job_exe x join error e on e.id = x.error_id where x.id = ?`,
        [lostLaunch.token.jobExeId],
      );
      expect(first).toEqual({ status: 'FAILED', error: 'node-lost' });
      // The lost node's late result is fenced off: exe 1 has ended.
      await report({
        status: 'COMPLETED',
        token: lostLaunch.token,
        agentId: 'agent-a',
        at: new Date().toISOString(),
        output: { files: {}, json: {} },
        taskResults: [],
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(await job(jobIds[0]!)).toMatchObject({ status: 'RUNNING', num_exes: 2 });
      await report({
        status: 'COMPLETED',
        token: retry.token,
        agentId: 'agent-b',
        at: new Date().toISOString(),
        output: { files: {}, json: {} },
        taskResults: [],
      });
      await until(async () => (await job(jobIds[0]!)).status === 'COMPLETED', 'retried job completed');
    } finally {
      beating.delete('agent-b');
      beating.set('agent-a', { cpus: 4, mem: 4096 });
    }
  });

  const command = <T extends z.ZodType>(verb: string, payload: unknown, schema: T) =>
    requestCommand(nc, subjects.command('scheduler', verb), payload, schema);
  const completed = (launch: LaunchExecution, agentId = 'agent-a'): TaskUpdate => ({
    status: 'COMPLETED',
    token: launch.token,
    agentId,
    at: new Date().toISOString(),
    output: { files: {}, json: {} },
    taskResults: [],
  });

  it('scheduler - cancels queued and running jobs by filter, stops the running container, leaves final jobs alone', async () => {
    const running = await queue();
    const launch = await nextLaunch('agent-a');
    expect(launch.token.jobId).toBe(running.jobIds[0]);
    await command('update-scheduler', { isPaused: true }, UpdateSchedulerResult);
    const waiting = await queue();
    const result = await command(
      'cancel-jobs',
      { filter: { jobIds: [running.jobIds[0]!, waiting.jobIds[0]!, 1], statuses: ['QUEUED', 'RUNNING', 'COMPLETED'] } },
      CancelJobsResult,
    );
    expect(result).toEqual({ canceled: 2, killed: 1 });
    expect(await job(running.jobIds[0]!)).toMatchObject({ status: 'CANCELED' });
    expect(await job(waiting.jobIds[0]!)).toMatchObject({ status: 'CANCELED' });
    expect(await job(1)).toMatchObject({ status: 'COMPLETED' });
    const [exe] = await sql<{ status: string }>('select status from job_exe where id = ?', [launch.token.jobExeId]);
    expect(exe).toEqual({ status: 'CANCELED' });
    await untilKilled('agent-a', launch.token.jobExeId);
    // The agent's late report of the killed container is fenced off.
    await report(completed(launch));
    await new Promise((r) => setTimeout(r, 300));
    expect(await job(running.jobIds[0]!)).toMatchObject({ status: 'CANCELED' });
    await command('update-scheduler', { isPaused: false }, UpdateSchedulerResult);
  });

  it('scheduler - requeues failed and canceled jobs with fresh tries and a new priority', async () => {
    const [before] = await sql<{ id: string; num_exes: number; max_tries: number }>(
      `select id, num_exes, max_tries from job where status = 'CANCELED' and num_exes = 1 order by id limit 1`,
    );
    const result = await command(
      'requeue-jobs',
      { filter: { jobIds: [Number(before!.id)] }, priority: 5 },
      RequeueJobsResult,
    );
    expect(result).toEqual({ requeued: 1, jobIds: [Number(before!.id)] });
    const [after] = await sql<{ status: string; num_exes: number; max_tries: number; priority: number }>(
      'select status, num_exes, max_tries, priority from job where id = ?',
      [before!.id],
    );
    expect(after).toEqual({ status: 'QUEUED', num_exes: 2, max_tries: 1 + 3, priority: 5 });
    const launch = await nextLaunch('agent-a');
    expect(launch.token).toMatchObject({ jobId: Number(before!.id), exeNum: 2 });
    await report(completed(launch));
    await until(async () => (await job(Number(before!.id))).status === 'COMPLETED', 'requeued job completed');
    // Completed jobs are not requeued.
    expect(await command('requeue-jobs', { filter: { jobIds: [Number(before!.id)] } }, RequeueJobsResult)).toEqual({
      requeued: 0,
      jobIds: [],
    });
  });

  it('scheduler - a paused node gets no work; an unknown node is a NOT_FOUND error', async () => {
    const [node] = await sql<{ id: number }>(`select id from node where agent_id = 'agent-a'`);
    await command('update-node', { nodeId: node!.id, isPaused: true, pauseReason: 'maintenance' }, UpdateNodeResult);
    const { jobIds } = await queue();
    await new Promise((r) => setTimeout(r, 500));
    expect(await job(jobIds[0]!)).toMatchObject({ status: 'QUEUED' });
    const [paused] = await sql<{ state: string; pause_reason: string }>(
      'select state, pause_reason from node where id = ?',
      [node!.id],
    );
    expect(paused).toEqual({ state: 'PAUSED', pause_reason: 'maintenance' });
    await command('update-node', { nodeId: node!.id, isPaused: false }, UpdateNodeResult);
    const launch = await nextLaunch('agent-a');
    expect(launch.token.jobId).toBe(jobIds[0]);
    await report(completed(launch));
    await until(async () => (await job(jobIds[0]!)).status === 'COMPLETED', 'job completed');
    await expect(command('update-node', { nodeId: 999_999, isPaused: true }, UpdateNodeResult)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(command('update-node', { nodeId: 'x' }, UpdateNodeResult)).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('scheduler - an execution that never starts fails with launch-timeout, is retried, and its agent is told to stop', async () => {
    const { jobIds } = await queue();
    const silent = await nextLaunch('agent-a');
    const retry = await nextLaunch('agent-a');
    expect(retry.token).toMatchObject({ jobId: jobIds[0], exeNum: 2 });
    const [first] = await sql<{ status: string; error: string }>(
      `select x.status, e.name as error from job_exe x join error e on e.id = x.error_id where x.id = ?`,
      [silent.token.jobExeId],
    );
    expect(first).toEqual({ status: 'FAILED', error: 'launch-timeout' });
    await untilKilled('agent-a', silent.token.jobExeId);
    await report({ status: 'RUNNING', token: retry.token, agentId: 'agent-a', at: new Date().toISOString() });
    await report(completed(retry));
    await until(async () => (await job(jobIds[0]!)).status === 'COMPLETED', 'retried job completed');
  });

  it('scheduler - tells an agent to stop an execution it still runs after the scheduler ended it', async () => {
    const [ended] = await sql<{ id: string }>(`select id from job_exe where ended is not null order by id limit 1`);
    beat('agent-a');
    const payload: Heartbeat = {
      agentId: 'agent-a',
      hostname: 'agent-a.local',
      resources: { cpus: 4, mem: 4096, disk: 10_000, gpus: 0 },
      running: [Number(ended!.id)],
      at: new Date().toISOString(),
      agentVersion: 'test',
    };
    kills.get('agent-a')?.delete(Number(ended!.id));
    nc.publish(subjects.heartbeat(), JSON.stringify(payload));
    await untilKilled('agent-a', Number(ended!.id));
  });

  it('scheduler - out-of-order reports: a RUNNING that arrives after COMPLETED changes nothing', async () => {
    const { jobIds } = await queue();
    const launch = await nextLaunch('agent-a');
    await report(completed(launch));
    await until(async () => (await job(jobIds[0]!)).status === 'COMPLETED', 'job completed');
    await report({ status: 'RUNNING', token: launch.token, agentId: 'agent-a', at: new Date().toISOString() });
    await report(completed(launch));
    await new Promise((r) => setTimeout(r, 300));
    const [exe] = await sql<{ status: string; started: string | null }>(
      'select status, started from job_exe where id = ?',
      [launch.token.jobExeId],
    );
    expect(exe).toEqual({ status: 'COMPLETED', started: null });
    expect(await job(jobIds[0]!)).toMatchObject({ status: 'COMPLETED', num_exes: 1 });
  });

  it('scheduler - a batch of task updates: starts set-based, duplicates stale, ends applied once', async () => {
    const a = await queue();
    const b = await queue();
    const launches = [await nextLaunch('agent-a'), await nextLaunch('agent-a')];
    const launchA = launches.find((l) => l.token.jobId === a.jobIds[0])!;
    const launchB = launches.find((l) => l.token.jobId === b.jobIds[0])!;
    const at = new Date().toISOString();
    const running = (l: LaunchExecution): TaskUpdate => ({ status: 'RUNNING', token: l.token, agentId: 'agent-a', at });
    const failedB: TaskUpdate = {
      status: 'FAILED',
      token: launchB.token,
      agentId: 'agent-a',
      at,
      failure: { type: 'EXIT_CODE', exitCode: 4 },
      taskResults: [],
    };
    const batch = [
      running(launchA),
      running(launchA),
      completed(launchA),
      completed(launchA),
      running(launchB),
      failedB,
    ];
    const outcomes = await orm.em.fork().transactional((em) => applyTaskUpdates(em, subjects, batch));
    expect(outcomes).toEqual(['applied', 'stale', 'applied', 'stale', 'applied', 'applied']);
    expect(await job(a.jobIds[0]!)).toMatchObject({ status: 'COMPLETED', num_exes: 1 });
    expect(await job(b.jobIds[0]!)).toMatchObject({ status: 'FAILED', error: 'bad-input' });
    const exes = await sql<{ id: string; status: string; started: string | null }>(
      'select id, status, started::text from job_exe where id in (?) order by id',
      [[launchA.token.jobExeId, launchB.token.jobExeId]],
    );
    expect(exes.map((e) => [Number(e.id), e.status, e.started !== null])).toEqual(
      [
        [launchA.token.jobExeId, 'COMPLETED', true],
        [launchB.token.jobExeId, 'FAILED', true],
      ].sort((x, y) => Number(x[0]) - Number(y[0])),
    );
    // The whole batch again (a redelivery): every update is stale, nothing changes.
    const again = await orm.em.fork().transactional((em) => applyTaskUpdates(em, subjects, batch));
    expect(again).toEqual(batch.map(() => 'stale'));
    expect(await job(a.jobIds[0]!)).toMatchObject({ status: 'COMPLETED', num_exes: 1 });
  });

  it('scheduler - updates published together go through the batch consumer', async () => {
    const ids = [(await queue()).jobIds[0]!, (await queue()).jobIds[0]!, (await queue()).jobIds[0]!];
    const launches = [await nextLaunch('agent-a'), await nextLaunch('agent-a'), await nextLaunch('agent-a')];
    const at = new Date().toISOString();
    await Promise.all(
      launches.flatMap((l) => [
        report({ status: 'RUNNING', token: l.token, agentId: 'agent-a', at }),
        report(completed(l)),
        report(completed(l)),
      ]),
    );
    for (const id of ids) await until(async () => (await job(id)).status === 'COMPLETED', `job ${id} completed`);
  });

  it('scheduler - applies durable (queued) commands in order; a malformed one is terminated', async () => {
    await command('update-scheduler', { isPaused: true }, UpdateSchedulerResult);
    const { jobIds } = await queue();
    const js = jetstream(nc);
    const cancelSubject = subjects.queuedCommand('scheduler', 'cancel-jobs');
    await js.publish(cancelSubject, JSON.stringify({ filter: { jobIds: 'x' } }), { msgID: 'bad-1' });
    await js.publish(subjects.queuedCommand('scheduler', 'no-such-verb'), JSON.stringify({}), { msgID: 'bad-2' });
    await js.publish(cancelSubject, JSON.stringify({ filter: { jobIds } }), { msgID: 'cancel-1' });
    const duplicate = await js.publish(cancelSubject, JSON.stringify({ filter: { jobIds } }), { msgID: 'cancel-1' });
    expect(duplicate.duplicate).toBe(true);
    await js.publish(
      subjects.queuedCommand('scheduler', 'requeue-jobs'),
      JSON.stringify({ filter: { jobIds }, priority: 9 }),
      { msgID: 'requeue-1' },
    );
    const requeued = await until(async () => {
      const [row] = await sql<{ status: string; num_exes: number; priority: number }>(
        'select status, num_exes, priority from job where id = ?',
        [jobIds[0]],
      );
      return row?.status === 'QUEUED' && row.priority === 9 && row;
    }, 'the queued cancel, then the queued requeue, applied');
    expect(requeued).toMatchObject({ status: 'QUEUED', priority: 9 });
    // Work queue: applied (and terminated) commands leave the stream.
    const jsm = await js.jetstreamManager();
    await until(
      async () => (await jsm.streams.info(subjects.streams.commands.name)).state.messages === 0,
      'the command stream to empty',
    );
    await command('cancel-jobs', { filter: { jobIds } }, CancelJobsResult);
    await command('update-scheduler', { isPaused: false }, UpdateSchedulerResult);
  });

  it('scheduler - samples the job load per job type', async () => {
    await command('update-scheduler', { isPaused: true }, UpdateSchedulerResult);
    const { jobIds } = await queue();
    const sample = await until(async () => {
      const [row] = await sql<{ queued_count: number; total_count: number }>(
        `select queued_count, total_count from job_load where job_type_id = ? and queued_count > 0 order by id desc limit 1`,
        [jobTypeId],
      );
      return row;
    }, 'a load sample');
    expect(sample.queued_count).toBeGreaterThanOrEqual(1);
    await command('cancel-jobs', { filter: { jobIds } }, CancelJobsResult);
    expect(await command('update-scheduler', { isPaused: false, queueMode: 'LIFO' }, UpdateSchedulerResult)).toEqual({
      isPaused: false,
      queueMode: 'LIFO',
    });
    await command('update-scheduler', { queueMode: 'FIFO' }, UpdateSchedulerResult);
  });

  it('scheduler - a standby takes over with a higher epoch when the leader stops', async () => {
    const standby = buildScheduler({ orm, nc, subjects, log, config: { ...config, schedulerId: 'standby' } });
    await standby.start();
    try {
      expect(standby.epoch()).toBeNull();
      await scheduler.stop();
      const epoch = await until(async () => standby.epoch(), 'standby to lead');
      expect(epoch).toBe(2);
    } finally {
      await standby.stop();
      scheduler = buildScheduler({ orm, nc, subjects, log, config: { ...config, schedulerId: 'primary' } });
      await scheduler.start();
    }
  });
});
