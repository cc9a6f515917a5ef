/**
 * A scheduler that starts (or takes over) while node rows are stale — it was down, so it heard no heartbeats — waits
 * a whole node-lost deadline before judging any node: a healthy node that beats again keeps its executions, a node
 * that stays silent is judged lost after that deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Heartbeat, SeedManifest } from '@scale/contracts';
import { type Orm, openOrm } from '@scale/db';
import { createLogger, type NatsConnection } from '@scale/runtime';
import {
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  type TestDatabase,
  testSubjects,
  until,
} from '@scale/testkit';
import { buildScheduler, type Scheduler } from '../../src/app.ts';

const subjects = testSubjects('grace');
const log = createLogger({ service: 'scheduler-test', level: 'silent' });
const nodeLostMs = 1500;

describe('failover grace', () => {
  let db: TestDatabase;
  let orm: Orm;
  let nc: NatsConnection;
  let scheduler: Scheduler | undefined;
  let beatTimer: NodeJS.Timeout | undefined;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    orm.em.fork().execute<T[]>(text, params);

  /** A node last heard an hour ago (the scheduler was down) with one running job on it; returns its execution id. */
  async function staleNodeRunningAJob(agentId: string, jobTypeId: number): Promise<number> {
    const [node] = await sql<{ id: number }>(
      `insert into node (agent_id, hostname, resources, last_heartbeat)
       values (?, ?, '{"cpus": 4, "mem": 4096, "disk": 10000, "gpus": 0}', now() - interval '1 hour') returning id`,
      [agentId, `${agentId}.local`],
    );
    const [job] = await sql<{ id: string }>(
      `insert into job (job_type_id, job_type_rev_id, status, priority, max_tries, num_exes, input, queued, started,
                        node_id)
       select ?, max(r.id), 'RUNNING', 100, 3, 1, '{"files": {}, "json": {}}', now(), now(), ?
         from job_type_revision r returning id`,
      [jobTypeId, node!.id],
    );
    const [exe] = await sql<{ id: string }>(
      `insert into job_exe (job_id, job_type_id, exe_num, cluster_id, node_id, epoch, docker_image, timeout, resources,
                            queued, started)
       values (?, ?, 1, ?, ?, 0, 'local/busybox', 3600, '{"cpus": 1, "mem": 256, "disk": 0, "gpus": 0}', now(), now())
       returning id`,
      [job!.id, jobTypeId, `scale_${job!.id}_1`, node!.id],
    );
    return Number(exe!.id);
  }

  beforeAll(async () => {
    db = await createTestDatabase('grace');
    orm = await openOrm({ url: db.url, poolSize: 4 });
    nc = await connectTestNats();
  });

  afterAll(async () => {
    clearInterval(beatTimer);
    await scheduler?.stop();
    await deleteTestStreams(nc, subjects);
    await nc.close();
    await orm.close();
    await db.drop();
  });

  it('failover grace - a restarted scheduler judges no node before a whole deadline of heartbeats', async () => {
    const manifest = SeedManifest.parse({
      seedVersion: '1.0.0',
      job: { name: 'grace', jobVersion: '1.0.0', packageVersion: '1.0.0', timeout: 3600, interface: {} },
    });
    const [type] = await sql<{ id: number }>(
      `insert into job_type (name, version, docker_image, manifest) values ('grace', '1.0.0', 'local/busybox', ?) returning id`,
      [JSON.stringify(manifest)],
    );
    await sql(
      `insert into job_type_revision (job_type_id, revision_num, docker_image, manifest) values (?, 1, 'local/busybox', ?)`,
      [type!.id, JSON.stringify(manifest)],
    );
    const aliveExe = await staleNodeRunningAJob('agent-alive', type!.id);
    const goneExe = await staleNodeRunningAJob('agent-gone', type!.id);

    const [clock] = await sql<{ now: string }>('select now()::text as now');
    scheduler = buildScheduler({
      orm,
      nc,
      subjects,
      log,
      config: {
        schedulerId: 'restarted',
        scheduleIntervalMs: 100,
        leaseMs: 1500,
        nodeLostMs,
        queueWindow: 100,
        launchTimeoutMs: 60_000,
        timeoutGraceMs: 60_000,
        loadSampleMs: 60_000,
      },
    });
    await scheduler.start();
    // The healthy agent's first beat comes half a deadline after the start: the watchdog runs every 375 ms, so a
    // scheduler judging at once would have failed its execution by then.
    await new Promise((r) => setTimeout(r, nodeLostMs / 2));
    const beat: Heartbeat = {
      agentId: 'agent-alive',
      hostname: 'agent-alive.local',
      resources: { cpus: 4, mem: 4096, disk: 10_000, gpus: 0 },
      running: [],
      at: new Date().toISOString(),
      agentVersion: 'test',
    };
    const send = () => nc.publish(subjects.heartbeat(), JSON.stringify({ ...beat, at: new Date().toISOString() }));
    send();
    beatTimer = setInterval(send, 300);

    const gone = await until(async () => {
      const [row] = await sql<{ state: string; after_start_ms: number }>(
        `select state, extract(epoch from last_modified - ?::timestamptz)::float8 * 1000 as after_start_ms
           from node where agent_id = 'agent-gone'`,
        [clock!.now],
      );
      return row?.state === 'OFFLINE' && row;
    }, 'the silent node judged lost');
    expect(gone.after_start_ms).toBeGreaterThanOrEqual(nodeLostMs);
    const exes = await sql<{ id: string; status: string; error: string | null; ended: Date | null }>(
      `select x.id, x.status, e.name as error, x.ended from job_exe x left join error e on e.id = x.error_id
        where x.id in (?, ?) order by x.id`,
      [aliveExe, goneExe],
    );
    expect(exes.map((x) => [Number(x.id), x.status, x.error, x.ended === null])).toEqual([
      [aliveExe, 'RUNNING', null, true],
      [goneExe, 'FAILED', 'node-lost', false],
    ]);
    const [alive] = await sql<{ state: string }>(`select state from node where agent_id = 'agent-alive'`);
    expect(alive!.state).toBe('READY');
  });
});
