import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type Heartbeat,
  LaunchExecution,
  QueueJobsResult,
  SeedManifest,
  type SeedManifestInput,
  type TaskUpdate,
} from '@scale/contracts';
import { type Orm, openOrm } from '@scale/db';
import { createLogger, ensureDurableConsumer, jetstream, type NatsConnection, requestCommand } from '@scale/runtime';
import {
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  type TestDatabase,
  testSubjects,
} from '@scale/testkit';
import { buildScheduler, type Scheduler } from '../../src/app.ts';

const subjects = testSubjects('sched');
const log = createLogger({ service: 'scheduler-test', level: 'silent' });
const config = { scheduleIntervalMs: 100, leaseMs: 1500, nodeLostMs: 1500, queueWindow: 100 };

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

async function until<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('scheduler', () => {
  let db: TestDatabase;
  let orm: Orm;
  let nc: NatsConnection;
  let scheduler: Scheduler;
  let jobTypeId: number;

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
  /** A simulated agent: reads its launch commands from the work queue stream. */
  async function nextLaunch(agentId: string): Promise<LaunchExecution> {
    await ensureDurableConsumer(
      nc,
      subjects.streams.nodeCommands.name,
      subjects.consumers.agent(agentId),
      subjects.nodeCommands(agentId),
    );
    const consumer = await jetstream(nc).consumers.get(
      subjects.streams.nodeCommands.name,
      subjects.consumers.agent(agentId),
    );
    const msg = await until(() => consumer.next({ expires: 1000 }), `launch for ${agentId}`);
    msg.ack();
    return LaunchExecution.parse(msg.json());
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
  });

  afterAll(async () => {
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
    beat('agent-a');
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

  it('scheduler - an idempotency key returns the first answer', async () => {
    const first = await queue(undefined, 'key-1');
    const second = await queue(undefined, 'key-1');
    expect(second).toEqual(first);
    // Leave no queued job behind for the next test: run it to the end.
    const launch = await nextLaunch('agent-a');
    await report({
      status: 'COMPLETED',
      token: launch.token,
      agentId: 'agent-a',
      at: new Date().toISOString(),
      output: { files: {}, json: {} },
      taskResults: [],
    });
    await until(async () => (await job(first.jobIds[0]!)).status === 'COMPLETED', 'job completed');
  });

  it('scheduler - a job no node can fit stays queued without blocking others', async () => {
    const big = manifest({ name: 'big', resources: { scalar: [{ name: 'mem', value: 1_000_000 }] } });
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
    expect(await job(bigJob.jobIds[0]!)).toMatchObject({ status: 'QUEUED' });
    await report({
      status: 'COMPLETED',
      token: launch.token,
      agentId: 'agent-a',
      at: new Date().toISOString(),
      output: { files: {}, json: {} },
      taskResults: [],
    });
    await until(async () => (await job(small.jobIds[0]!)).status === 'COMPLETED', 'small job completed');
    await sql(`update job set status = 'CANCELED' where id = ?`, [bigJob.jobIds[0]]);
  });

  it('scheduler - a lost node fails its execution with node-lost and the job is retried elsewhere', async () => {
    const { jobIds } = await queue();
    const lostLaunch = await nextLaunch('agent-a');
    // agent-a stops beating; agent-b keeps beating and gets the retry.
    const timer = setInterval(() => beat('agent-b'), 200);
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
      clearInterval(timer);
    }
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
