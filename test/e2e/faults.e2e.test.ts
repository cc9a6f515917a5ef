/**
 * Faults with the real processes (reference/reliability.md): an agent killed with SIGKILL mid-run, the leading
 * scheduler killed mid-pass with a standby taking over, and the NATS server restarted under running jobs. After each:
 * no job lost, none live twice at once, every job in a correct final state, and num_exes agreeing with the rows.
 * Each scenario runs on its own database, subject prefix and private nats-server.
 */

import { once } from 'node:events';
import { afterEach, describe, expect, it } from '@jest/globals';
import { connectSql, type PrivateNatsServer, type SqlClient, startPrivateNatsServer } from '@scale/testkit';
import { containers, type E2ePlatform, startE2ePlatform } from './support/harness.ts';
import { seedManifest } from './support/manifests.ts';

/** The shared harness plus what a fault needs in hand: the database itself and the private nats-server. */
interface Harness extends E2ePlatform {
  sql: SqlClient;
  nats: PrivateNatsServer;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function harness(label: string, env: Record<string, string>): Promise<Harness> {
  const nats = await startPrivateNatsServer();
  cleanups.push(() => nats.stop());
  const e2e = await startE2ePlatform({
    label,
    agentId: (prefix) => `${label}-${prefix}`,
    tmpPrefix: `scale-${label}-`,
    natsUrl: nats.url,
    env: { SCALE_LOG_LEVEL: 'warn', SCALE_HEARTBEAT_MS: '500', SCALE_SCHEDULE_INTERVAL_MS: '200', ...env },
  });
  cleanups.push(() => e2e.stop());
  const sql = await connectSql(e2e.db.url);
  cleanups.push(() => sql.close());
  return Object.assign(e2e, { sql, nats });
}

async function registerSleeper(h: Harness, name: string, seconds: number): Promise<number> {
  return h.registerJobType(
    seedManifest(name, {
      timeout: 120,
      cpus: 0.1,
      mem: 32,
      interface: { command: `sh -c "sleep ${seconds}; echo done"` },
    }),
  );
}

async function queueJobs(h: Harness, jobTypeId: number, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) ids.push(await h.queueJob(jobTypeId));
  return ids;
}

function until<T>(
  h: Harness,
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  return h.until(probe, what, { timeoutMs });
}

/** Waits (up to two minutes) until every one of `jobIds` is COMPLETED in the database. */
function allCompleted(h: Harness, jobIds: number[], what: string): Promise<boolean> {
  return until(
    h,
    async () => {
      const [row] = await h.sql.query<{ n: string }>(
        `select count(*) as n from job where id = any($1) and status = 'COMPLETED'`,
        [jobIds],
      );
      return Number(row!.n) === jobIds.length;
    },
    what,
    120_000,
  );
}

/** The invariants every scenario ends with. */
async function expectConsistent(h: Harness, jobIds: number[]): Promise<void> {
  const jobs = await h.sql.query<{ id: string; status: string; num_exes: number; exes: string; live: string }>(
    `select j.id, j.status, j.num_exes, count(e.id) as exes, count(e.id) filter (where e.ended is null) as live
       from job j left join job_exe e on e.job_id = j.id where j.id = any($1) group by j.id order by j.id`,
    [jobIds],
  );
  expect(jobs).toHaveLength(jobIds.length);
  for (const job of jobs) {
    expect({ id: job.id, status: job.status }).toEqual({ id: job.id, status: 'COMPLETED' });
    expect(Number(job.exes)).toBe(job.num_exes);
    expect(Number(job.live)).toBe(0);
  }
  // The last status events are relayed just after the rows change: the outbox must drain, not be empty at once.
  await until(
    h,
    async () => {
      const [outbox] = await h.sql.query<{ n: string }>('select count(*) as n from outbox');
      return Number(outbox!.n) === 0;
    },
    'the outbox to drain',
    30_000,
  );
}

describe('faults end to end', () => {
  it('faults - an agent killed mid-run: its execution fails with node-lost, is retried, and the orphan container is stopped', async () => {
    const h = await harness('agentkill', { SCALE_NODE_LOST_MS: '3000' });
    const jobTypeId = await registerSleeper(h, 'sleeper', 4);
    const [jobId] = await queueJobs(h, jobTypeId, 1);
    const first = await until(
      h,
      async () => {
        const [exe] = await h.sql.query<{ id: string }>(
          'select id from job_exe where job_id = $1 and started is not null',
          [jobId],
        );
        return exe;
      },
      'the first execution to start',
    );
    const agent = h.platform.processes.get('node-agent')!;
    const exited = once(agent, 'exit');
    agent.kill('SIGKILL');
    await exited;

    await until(
      h,
      async () => {
        const [exe] = await h.sql.query<{ status: string; error: string }>(
          `select x.status, e.name as error from job_exe x join error e on e.id = x.error_id where x.id = $1`,
          [first.id],
        );
        return exe?.error === 'node-lost';
      },
      'node-lost',
    );
    h.platform.spawn('node-agent', 'node-agent-restarted');
    await until(
      h,
      async () => {
        const [job] = await h.sql.query<{ status: string }>('select status from job where id = $1', [jobId]);
        return job?.status === 'COMPLETED';
      },
      'the retried job to complete',
    );
    await until(
      h,
      async () => {
        return containers([`scale.job_exe_id=${first.id}`, `scale.agent_id=${h.agentId}`], true).length === 0;
      },
      'the orphan container to be stopped',
    );
    await expectConsistent(h, [jobId!]);
    const exes = await h.sql.query<{ exe_num: number; status: string }>(
      'select exe_num, status from job_exe where job_id = $1 order by exe_num',
      [jobId],
    );
    expect(exes).toEqual([
      { exe_num: 1, status: 'FAILED' },
      { exe_num: 2, status: 'COMPLETED' },
    ]);
  });

  it('faults - the leading scheduler killed mid-pass: a standby takes over and every job runs exactly once', async () => {
    const h = await harness('schedkill', { SCALE_LEASE_MS: '3000' });
    h.platform.spawn('scheduler', 'scheduler-standby', { SCALE_SCHEDULER_ID: 'standby' });
    const jobTypeId = await registerSleeper(h, 'quick', 0);
    const jobIds = await queueJobs(h, jobTypeId, 20);
    const leader = h.platform.processes.get('scheduler')!;
    const exited = once(leader, 'exit');
    leader.kill('SIGKILL');
    await exited;
    jobIds.push(...(await queueJobs(h, jobTypeId, 10)));
    await allCompleted(h, jobIds, 'all jobs to complete');
    await expectConsistent(h, jobIds);
    const [lease] = await h.sql.query<{ holder: string; epoch: string }>('select holder, epoch from scheduler_lease');
    expect(lease).toEqual({ holder: 'standby', epoch: '2' });
    const [repeats] = await h.sql.query<{ n: string }>(
      'select count(*) as n from job_exe where job_id = any($1) and exe_num > 1',
      [jobIds],
    );
    expect(Number(repeats!.n)).toBe(0);
  });

  it('faults - nats-server restarted under running jobs: every job still completes, none twice', async () => {
    const h = await harness('natsrestart', {});
    const jobTypeId = await registerSleeper(h, 'napper', 2);
    const jobIds = await queueJobs(h, jobTypeId, 6);
    await until(
      h,
      async () => {
        const [row] = await h.sql.query<{ n: string }>('select count(*) as n from job_exe where started is not null');
        return Number(row!.n) >= 1;
      },
      'a job to start',
    );
    await h.nats.restart({ hard: true, downMs: 1000 });
    await allCompleted(h, jobIds, 'all jobs to complete after the restart');
    await expectConsistent(h, jobIds);
  });
});
