/**
 * The scheduler's half of the REST API against the real processes (migrations, scheduler, recipe engine, node agent,
 * API) on real Postgres, NATS and Docker: nodes and their pause, the scheduler's pause, parked jobs and the reasons
 * queued jobs give, cancel (stopping the container) and requeue in v6 and v5, load samples, and /v6/status/ going
 * 503 once no scheduler holds the lease.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { containers, type E2ePlatform, type Json, startE2ePlatform } from './support/harness.ts';
import { seedManifest } from './support/manifests.ts';

/** The agent offers 16 GiB, so a 64 GiB job can never be placed. */
const AGENT_MEM_MIB = 16_384;

describe('scheduler API end to end', () => {
  let e2e: E2ePlatform;
  let platform: E2ePlatform['platform'];
  let agentId: string;
  let nodeId: number;
  let quickType: number;
  let sleeperType: number;
  let hugeType: number;
  const api: E2ePlatform['api'] = (...args) => e2e.api(...args);
  const until: E2ePlatform['until'] = (...args) => e2e.until(...args);

  const job = async (id: number): Promise<Json> => (await api('GET', `/v6/jobs/${id}/`)).json;
  const FINAL = ['COMPLETED', 'FAILED', 'CANCELED'];
  /** Waits for one of `statuses`; a final status that is not among them fails at once, showing the job. */
  const jobIn = async (id: number, statuses: string[]) => {
    const j = await until(
      async () => {
        const current = await job(id);
        return statuses.includes(current?.status) || FINAL.includes(current?.status) ? current : undefined;
      },
      `job ${id} to be ${statuses.join('/')}`,
    );
    if (!statuses.includes(j.status)) throw new Error(`job ${id} is ${j.status}: ${JSON.stringify(j.error)}`);
    return j;
  };

  const registerJobType = (name: string, command: string, mem: number) =>
    e2e.registerJobType(seedManifest(name, { timeout: 120, cpus: 0.1, mem, interface: { command } }));
  const queue = (jobTypeId: number) => e2e.queueJob(jobTypeId);
  const runningContainers = (jobId: number) =>
    containers([`scale.job_id=${jobId}`, `scale.prefix=${e2e.subjects.prefix}`], true);

  beforeAll(async () => {
    e2e = await startE2ePlatform({
      label: 'e2esched',
      agentId: (prefix) => `e2esched-${prefix}`,
      tmpPrefix: 'scale-e2esched-',
      env: {
        SCALE_LOG_LEVEL: 'warn',
        SCALE_HEARTBEAT_MS: '500',
        SCALE_SCHEDULE_INTERVAL_MS: '200',
        SCALE_LOAD_SAMPLE_MS: '500',
        SCALE_AGENT_CPUS: '4',
        SCALE_AGENT_MEM_MIB: String(AGENT_MEM_MIB),
        SCALE_KILL_GRACE_SECONDS: '1',
      },
    });
    platform = e2e.platform;
    agentId = e2e.agentId;
    quickType = await registerJobType('quick', 'sh -c "echo done"', 32);
    sleeperType = await registerJobType('sleeper', 'sh -c "sleep 60"', 32);
    hugeType = await registerJobType('huge', 'sh -c "echo never"', 65_536);
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('e2e - the agent appears as a READY node; status names the leader', async () => {
    const nodes = await until(async () => {
      const res = await api('GET', '/v6/nodes/');
      return res.json?.results?.[0]?.state?.name === 'READY' ? res.json : undefined;
    }, 'the agent to register');
    expect(nodes.count).toBe(1);
    const [node] = nodes.results;
    nodeId = node.id;
    expect(node).toMatchObject({ agent_id: agentId, is_active: true, is_paused: false, errors: [] });
    expect(node.resources.mem.total).toBe(AGENT_MEM_MIB);
    expect((await api('GET', `/v6/nodes/${nodeId}/`)).json).toMatchObject({ id: nodeId, agent_id: agentId });

    const status = await api('GET', '/v6/status/');
    expect(status.status).toBe(200);
    expect(status.json.scheduler).toMatchObject({ state: { name: 'READY' }, leader: { epoch: expect.any(Number) } });
    expect(status.json.node_counts).toMatchObject({ READY: 1 });
    expect(status.json.dependencies).toMatchObject({
      database: { OK: true },
      msg_queue: { OK: true },
      nodes: { OK: true },
    });
    expect((await api('GET', '/v6/scheduler/')).json).toMatchObject({ is_paused: false, queue_mode: 'FIFO' });
  });

  it('e2e - a job no node can fit is parked with its reason and does not block the jobs behind it', async () => {
    const huge = await queue(hugeType);
    const quick = await queue(quickType);
    await jobIn(quick, ['COMPLETED']);
    const parked = await until(async () => {
      const j = await job(huge);
      return j.queue_reason?.startsWith('needs') ? j : undefined;
    }, 'the huge job to be parked');
    expect(parked).toMatchObject({ status: 'QUEUED', queue_reason: 'needs 64 GiB mem; largest node offers 16 GiB' });

    const v6 = await api('GET', '/v6/queue/status/');
    expect(v6.status).toBe(200);
    const entry = v6.json.results.find((r: Json) => r.job_type.id === hugeType);
    expect(entry).toMatchObject({
      count: 1,
      reasons: [{ reason: 'needs 64 GiB mem; largest node offers 16 GiB', count: 1 }],
    });
    const v5 = await api('GET', '/queue/status/');
    expect(v5.json.queue_status).toContainEqual(
      expect.objectContaining({ job_type_name: 'huge', count: 1, is_job_type_paused: false }),
    );
    const resources = await api('GET', '/v6/scheduler/queued-resources/');
    expect(resources.json).toMatchObject({
      cluster_resources: { mem: AGENT_MEM_MIB, cpus: 4 },
      queue_lengths: { QUEUED: 1 },
      total_resources: { QUEUED: { mem: 65_536 } },
    });

    expect((await api('POST', '/v6/jobs/cancel/', { job_ids: [huge] })).status).toBe(202);
    // 202 once the command is stored; the scheduler applies it right after.
    const canceled = await jobIn(huge, ['CANCELED']);
    expect(canceled).toMatchObject({ status: 'CANCELED', queue_reason: null });
  });

  it('e2e - a paused scheduler holds new jobs and says so; resuming runs them', async () => {
    expect((await api('PATCH', '/v6/scheduler/', { is_paused: true })).status).toBe(204);
    expect((await api('GET', '/v6/scheduler/')).json.is_paused).toBe(true);
    expect((await api('GET', '/v6/status/')).json.scheduler.state.name).toBe('PAUSED');
    const held = await queue(quickType);
    expect(await job(held)).toMatchObject({ status: 'QUEUED', queue_reason: 'scheduler is paused' });
    expect((await api('PATCH', '/v6/scheduler/', { is_paused: false })).status).toBe(204);
    await jobIn(held, ['COMPLETED']);
  });

  it('e2e - a paused node takes no new jobs ("no node is online"); resuming it runs them', async () => {
    const paused = await api('PATCH', `/v6/nodes/${nodeId}/`, { is_paused: true, pause_reason: 'maintenance' });
    expect(paused.status).toBe(200);
    expect(paused.json).toMatchObject({ is_paused: true, pause_reason: 'maintenance', state: { name: 'PAUSED' } });
    const held = await queue(quickType);
    expect(await job(held)).toMatchObject({ status: 'QUEUED', queue_reason: 'no node is online' });
    const resumed = await api('PATCH', `/v6/nodes/${nodeId}/`, { is_paused: false });
    expect(resumed.json).toMatchObject({ is_paused: false, state: { name: 'READY' } });
    await jobIn(held, ['COMPLETED']);
  });

  it('e2e - v6 cancel stops the running container; v6 requeue gives fresh tries and a new priority', async () => {
    const id = await queue(sleeperType);
    const running = await jobIn(id, ['RUNNING']);
    await until(async () => runningContainers(id).length > 0, 'the sleeper container to start');

    expect((await api('POST', '/v6/jobs/cancel/', { job_ids: [id], status: 'RUNNING' })).status).toBe(202);
    // 202 once the command is stored in JetStream; the scheduler applies it right after.
    const canceled = await jobIn(id, ['CANCELED']);
    expect(canceled).toMatchObject({ status: 'CANCELED', execution: { status: 'CANCELED' } });
    await until(async () => runningContainers(id).length === 0, 'the canceled container to stop');

    const requeue = await api('POST', '/v6/jobs/requeue/', { job_ids: [id], priority: 42 });
    expect(requeue.status).toBe(202);
    expect(requeue.text).toBe('');
    const again = await until(async () => {
      const current = await job(id);
      return current.num_exes === running.num_exes + 1 ? current : undefined;
    }, 'the requeue to be applied');
    expect(['QUEUED', 'RUNNING']).toContain(again.status);
    expect(again).toMatchObject({ priority: 42, max_tries: running.num_exes + 3, num_exes: running.num_exes + 1 });
    await jobIn(id, ['RUNNING']);
    expect((await api('POST', '/v6/jobs/cancel/', { job_ids: [id] })).status).toBe(202);
    await jobIn(id, ['CANCELED']);
  });

  it('e2e - v5 PATCH /jobs/{id}/ cancels; v5 requeue-jobs answers with the requeued jobs', async () => {
    const id = await queue(sleeperType);
    await jobIn(id, ['RUNNING']);
    const patched = await api('PATCH', `/jobs/${id}/`, { status: 'CANCELED' });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ id, status: 'CANCELED' });
    await until(async () => runningContainers(id).length === 0, 'the canceled container to stop');

    const requeued = await api('POST', '/queue/requeue-jobs/', { job_ids: [id], status: 'CANCELED' });
    expect(requeued.status).toBe(200);
    expect(requeued.json).toMatchObject({ count: 1, next: null, previous: null, results: [{ id }] });
    // Read back after the scheduler's commit; its next pass may already have launched the job.
    expect(['QUEUED', 'RUNNING']).toContain(requeued.json.results[0].status);
    expect((await api('PATCH', `/v5/jobs/${id}/`, { status: 'CANCELED' })).json.status).toBe('CANCELED');
    const nothing = await api('POST', '/queue/requeue-jobs/', { job_ids: [id], status: 'FAILED' });
    expect(nothing.json).toMatchObject({ count: 0, results: [] });
  });

  it('e2e - load samples are served by /v6/load/ and /load/', async () => {
    const load = await until(async () => {
      const res = await api('GET', '/v6/load/?started=PT10M');
      return res.json?.count > 0 ? res.json : undefined;
    }, 'a load sample');
    expect(load.results[0]).toEqual({
      time: expect.any(String),
      pending_count: expect.any(Number),
      queued_count: expect.any(Number),
      running_count: expect.any(Number),
    });
    const v5 = await api('GET', '/load/?started=PT10M');
    expect(v5.status).toBe(200);
    expect(v5.json.count).toBeGreaterThan(0);
  });

  it('e2e - without a scheduler: /v6/status/ answers 503, request/reply commands 503, durable ones 202', async () => {
    const scheduler = platform.processes.get('scheduler')!;
    const exited = once(scheduler, 'exit');
    scheduler.kill('SIGTERM');
    await exited;
    const stale = await until(async () => {
      const res = await api('GET', '/v6/status/');
      return res.status === 503 ? res.json : undefined;
    }, 'the status to go stale');
    expect(stale).toMatchObject({
      detail: expect.stringContaining('no scheduler holds a live lease'),
      scheduler: { state: { name: 'OFFLINE' }, leader: null },
      dependencies: { database: { OK: true } },
    });
    // Stored in JetStream, so accepted: the next scheduler to start applies it.
    expect((await api('POST', '/v6/jobs/cancel/', { job_ids: [1] })).status).toBe(202);
    expect((await api('PATCH', '/v6/scheduler/', { is_paused: true })).status).toBe(503);
  });
});
