/**
 * /v6/nodes/, /v6/scheduler/ (+ queued-resources) and /v6/status/ against a real database and NATS. Changes go to
 * the scheduler as commands: here stand-in responders on the test's prefix play the scheduler's part.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type UpdateNodeRequest,
  UpdateNodeRequest as UpdateNodeSchema,
  UpdateSchedulerRequest,
} from '@scale/contracts';
import { openOrm } from '@scale/db';
import { createLogger } from '@scale/runtime';
import { buildServer } from '../../src/server.ts';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { failWith, type Responder, respond, silent } from '../fixtures/scheduler-responders.ts';
import {
  insertJob,
  insertJobType,
  insertLiveExe,
  insertNode,
  setLease,
  setSchedulerPaused,
} from '../fixtures/scheduling-rows.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('nodes, scheduler and status', () => {
  let h: Harness;
  let big: number;
  let paused: number;
  let gone: number;
  let typeId: number;
  const stops: (() => unknown)[] = [];

  const nodeRow = async (id: number) =>
    (
      await h.sql<{ is_paused: boolean; pause_reason: string | null; is_active: boolean }>(
        'select is_paused, pause_reason, is_active from node where id = ?',
        [id],
      )
    )[0];

  beforeAll(async () => {
    h = await startHarness('nodes-scheduler', { commandTimeoutMs: 300 });
    big = await insertNode(h, { hostname: 'big.example', resources: { cpus: 8, mem: 16_384, disk: 50_000, gpus: 1 } });
    paused = await insertNode(h, {
      hostname: 'paused.example',
      state: 'PAUSED',
      isPaused: true,
      pauseReason: 'disk swap',
      resources: { cpus: 2, mem: 4096, disk: 1000 },
    });
    gone = await insertNode(h, {
      hostname: 'gone.example',
      state: 'OFFLINE',
      isActive: false,
      lastHeartbeat: '2026-01-10T12:00:00.000Z',
      resources: { cpus: 4, mem: 8192, disk: 1000 },
    });
    typeId = await insertJobType(h, {
      name: 'counter',
      scalar: [
        { name: 'cpus', value: 2 },
        { name: 'mem', value: 1024 },
        { name: 'disk', value: 10, inputMultiplier: 2 },
      ],
    });
    const running = await insertJob(h, { jobTypeId: typeId, status: 'RUNNING', nodeId: big });
    await insertLiveExe(h, {
      jobId: running,
      jobTypeId: typeId,
      nodeId: big,
      resources: { cpus: 2, mem: 1024, disk: 10 },
    });
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });
  afterAll(async () => {
    await h.close();
  });

  describe('GET /v6/nodes/', () => {
    it('GET /v6/nodes/ - a page of nodes with state, problems, resources and running executions', async () => {
      const res = await h.app.inject({ url: '/v6/nodes/' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ count: 3, next: null, previous: null });
      expect(body.results.map((n: { id: number }) => n.id)).toEqual([big, paused, gone]);
      const [first, second, third] = body.results;
      expect(first).toEqual({
        id: big,
        hostname: 'big.example',
        agent_id: 'agent-big.example',
        pause_reason: null,
        is_paused: false,
        is_active: true,
        state: { name: 'READY', title: 'Ready', description: 'Node is ready to run new jobs.' },
        errors: [],
        warnings: [],
        resources: {
          cpus: { total: 8, running: 2, free: 6 },
          mem: { total: 16_384, running: 1024, free: 15_360 },
          disk: { total: 50_000, running: 10, free: 49_990 },
          gpus: { total: 1, running: 0, free: 1 },
        },
        job_exes_running: 1,
        agent_version: '1.2.3',
        last_heartbeat: expect.stringMatching(ISO),
        deprecated: null,
        created: expect.stringMatching(ISO),
        last_modified: expect.stringMatching(ISO),
      });
      expect(second).toMatchObject({ is_paused: true, pause_reason: 'disk swap', state: { name: 'PAUSED' } });
      expect(third).toMatchObject({
        is_active: false,
        state: { name: 'OFFLINE' },
        errors: [{ name: 'node-offline', description: 'no heartbeat since 2026-01-10T12:00:00.000Z' }],
        job_exes_running: 0,
      });
    });

    const filters: [string, string, () => number[]][] = [
      ['is_active=true', '?is_active=true', () => [big, paused]],
      ['is_active=false', '?is_active=false', () => [gone]],
      ['state, repeatable, case-insensitive', '?state=paused&state=OFFLINE', () => [paused, gone]],
      ['order by hostname descending', '?order=-hostname', () => [paused, gone, big]],
      ['a future start matches nothing', '?started=2999-01-01T00:00:00Z', () => []],
      ['page_size and page', '?page_size=2&page=2', () => [gone]],
    ];
    for (const [name, query, expected] of filters) {
      it(`GET /v6/nodes/ - ${name}`, async () => {
        const res = await h.app.inject({ url: `/v6/nodes/${query}` });
        expect(res.statusCode).toBe(200);
        expect(res.json().results.map((n: { id: number }) => n.id)).toEqual(expected());
      });
    }

    const bad: [string, string, string][] = [
      ['a non-boolean is_active', '?is_active=maybe', 'is_active'],
      ['an unknown state', '?state=SLEEPING', 'state'],
      ['an unknown order field', '?order=agent_id', 'order'],
      ['a reversed time range', '?started=2026-01-02T00:00:00Z&ended=2026-01-01T00:00:00Z', 'ended'],
      ['an unreadable time', '?started=yesterday', 'started'],
      ['page_size over 1000', '?page_size=1001', 'page_size'],
    ];
    for (const [name, query, field] of bad) {
      it(`GET /v6/nodes/ - ${name} → 400 naming ${field}`, async () => {
        const res = await h.app.inject({ url: `/v6/nodes/${query}` });
        expect(res.statusCode).toBe(400);
        expect(Object.keys(res.json().errors)).toEqual([field]);
      });
    }
  });

  describe('GET /v6/nodes/{id}/', () => {
    it('GET /v6/nodes/{id}/ - one node, the same body as in the list', async () => {
      const list = (await h.app.inject({ url: '/v6/nodes/' })).json();
      const res = await h.app.inject({ url: `/v6/nodes/${paused}/` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(list.results[1]);
    });

    it('GET /v6/nodes/{id}/ - an unknown id is a 404; a non-integer one matches no route', async () => {
      expect((await h.app.inject({ url: '/v6/nodes/99999/' })).statusCode).toBe(404);
      expect((await h.app.inject({ url: '/v6/nodes/abc/' })).statusCode).toBe(404);
    });
  });

  describe('PATCH /v6/nodes/{id}/', () => {
    const invalid: [string, unknown, Record<string, string[]>][] = [
      [
        'unknown fields, each listed',
        { is_paused: true, hostname: 'x', port: 1 },
        { hostname: ['Unrecognized field.'], port: ['Unrecognized field.'] },
      ],
      [
        'a non-boolean is_paused',
        { is_paused: 'yes' },
        { is_paused: ['Invalid input: expected boolean, received string'] },
      ],
      [
        'a non-boolean is_active',
        { is_active: 1 },
        { is_active: ['Invalid input: expected boolean, received number'] },
      ],
      [
        'a non-string pause_reason',
        { pause_reason: 5 },
        { pause_reason: ['Invalid input: expected string, received number'] },
      ],
      ['an empty body', {}, { non_field_errors: ['No fields specified for update.'] }],
      [
        'a body that is not an object',
        [true],
        { non_field_errors: ['Invalid input: expected object, received array'] },
      ],
    ];
    for (const [name, payload, errors] of invalid) {
      it(`PATCH /v6/nodes/{id}/ - ${name} → 400, nothing sent or written`, async () => {
        const fake = respond(h, 'update-node', UpdateNodeSchema, async (r) => ({ nodeId: r.nodeId }));
        stops.push(fake.stop);
        const before = await nodeRow(big);
        const res = await h.app.inject({ method: 'PATCH', url: `/v6/nodes/${big}/`, payload: payload as object });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors).toEqual(errors);
        expect(typeof res.json().detail).toBe('string');
        expect(fake.requests).toEqual([]);
        expect(await nodeRow(big)).toEqual(before);
      });
    }

    it('PATCH /v6/nodes/{id}/ - an unknown node is a 404 before anything is sent', async () => {
      const res = await h.app.inject({ method: 'PATCH', url: '/v6/nodes/99999/', payload: { is_paused: true } });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: 'node 99999 does not exist' });
    });

    it('PATCH /v6/nodes/{id}/ - no scheduler → 503', async () => {
      const res = await h.app.inject({ method: 'PATCH', url: `/v6/nodes/${big}/`, payload: { is_paused: true } });
      expect(res.statusCode).toBe(503);
      expect(res.json().detail).toMatch(/no answer on .*update-node/);
      expect((await nodeRow(big))?.is_paused).toBe(false);
    });

    it('PATCH /v6/nodes/{id}/ - a silent scheduler → 503 after the command timeout', async () => {
      stops.push(silent(h, 'update-node').stop);
      const res = await h.app.inject({ method: 'PATCH', url: `/v6/nodes/${big}/`, payload: { is_paused: true } });
      expect(res.statusCode).toBe(503);
    });

    it('PATCH /v6/nodes/{id}/ - sends update-node with the given fields and answers with the updated node', async () => {
      const fake: Responder<UpdateNodeRequest> = respond(h, 'update-node', UpdateNodeSchema, async (r) => {
        await h.sql(
          `update node set is_paused = coalesce(?, is_paused), pause_reason = ?,
                  state = case when coalesce(?, is_paused) then 'PAUSED' else 'READY' end where id = ?`,
          [r.isPaused ?? null, r.pauseReason ?? null, r.isPaused ?? null, r.nodeId],
        );
        return { nodeId: r.nodeId };
      });
      stops.push(fake.stop);
      const res = await h.app.inject({
        method: 'PATCH',
        url: `/v6/nodes/${big}/`,
        payload: { is_paused: true, pause_reason: 'kernel upgrade' },
      });
      expect(res.statusCode).toBe(200);
      expect(fake.requests).toEqual([{ nodeId: big, isPaused: true, pauseReason: 'kernel upgrade' }]);
      expect(res.json()).toMatchObject({
        id: big,
        is_paused: true,
        pause_reason: 'kernel upgrade',
        state: { name: 'PAUSED' },
      });
      await h.sql(`update node set is_paused = false, pause_reason = null, state = 'READY' where id = ?`, [big]);
    });

    it('PATCH /v6/nodes/{id}/ - pause_reason null and is_active pass through as given', async () => {
      const fake = respond(h, 'update-node', UpdateNodeSchema, async (r) => ({ nodeId: r.nodeId }));
      stops.push(fake.stop);
      const res = await h.app.inject({
        method: 'PATCH',
        url: `/v6/nodes/${paused}/`,
        payload: { pause_reason: null, is_active: false },
      });
      expect(res.statusCode).toBe(200);
      expect(fake.requests).toEqual([{ nodeId: paused, pauseReason: null, isActive: false }]);
    });

    it("PATCH /v6/nodes/{id}/ - the scheduler's field errors come back under the REST names", async () => {
      stops.push(respond(h, 'update-node', UpdateNodeSchema, failWith('VALIDATION', 'pauseReason', 'too long')).stop);
      const res = await h.app.inject({ method: 'PATCH', url: `/v6/nodes/${big}/`, payload: { pause_reason: 'x' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual({ pause_reason: ['too long'] });
    });

    it('PATCH /v6/nodes/{id}/ - a node the scheduler no longer knows is a 404', async () => {
      stops.push(respond(h, 'update-node', UpdateNodeSchema, failWith('NOT_FOUND', undefined, 'node gone')).stop);
      const res = await h.app.inject({ method: 'PATCH', url: `/v6/nodes/${big}/`, payload: { is_paused: false } });
      expect(res.statusCode).toBe(404);
    });
  });

  describe('/v6/scheduler/', () => {
    it('GET /v6/scheduler/ - the settings row', async () => {
      const res = await h.app.inject({ url: '/v6/scheduler/' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ is_paused: false, queue_mode: 'FIFO', last_modified: expect.stringMatching(ISO) });
    });

    const invalid: [string, unknown, Record<string, string[]>][] = [
      [
        'Scale fields we do not have',
        { num_message_handlers: 2, system_logging_level: 'INFO' },
        { num_message_handlers: ['Unrecognized field.'], system_logging_level: ['Unrecognized field.'] },
      ],
      [
        'an unknown queue mode',
        { queue_mode: 'RANDOM' },
        { queue_mode: ['Not a valid choice; choose from FIFO, LIFO.'] },
      ],
      [
        'a non-boolean is_paused',
        { is_paused: 'true' },
        { is_paused: ['Invalid input: expected boolean, received string'] },
      ],
      ['an empty body', {}, { non_field_errors: ['No fields specified for update.'] }],
    ];
    for (const [name, payload, errors] of invalid) {
      it(`PATCH /v6/scheduler/ - ${name} → 400, nothing sent`, async () => {
        const fake = respond(h, 'update-scheduler', UpdateSchedulerRequest, async () => ({
          isPaused: false,
          queueMode: 'FIFO' as const,
        }));
        stops.push(fake.stop);
        const res = await h.app.inject({ method: 'PATCH', url: '/v6/scheduler/', payload: payload as object });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors).toEqual(errors);
        expect(fake.requests).toEqual([]);
      });
    }

    it('PATCH /v6/scheduler/ - no scheduler → 503', async () => {
      const res = await h.app.inject({ method: 'PATCH', url: '/v6/scheduler/', payload: { is_paused: true } });
      expect(res.statusCode).toBe(503);
      expect(res.json().detail).toMatch(/update-scheduler/);
    });

    it('PATCH /v6/scheduler/ - sends update-scheduler (queue mode upper-cased) → 204; GET shows the change', async () => {
      const fake = respond(h, 'update-scheduler', UpdateSchedulerRequest, async (r) => {
        await h.sql('update scheduler set is_paused = coalesce(?, is_paused), queue_mode = coalesce(?, queue_mode)', [
          r.isPaused ?? null,
          r.queueMode ?? null,
        ]);
        return { isPaused: r.isPaused ?? false, queueMode: r.queueMode ?? 'FIFO' };
      });
      stops.push(fake.stop);
      const res = await h.app.inject({
        method: 'PATCH',
        url: '/v6/scheduler/',
        payload: { is_paused: true, queue_mode: 'lifo' },
      });
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      expect(fake.requests).toEqual([{ isPaused: true, queueMode: 'LIFO' }]);
      expect((await h.app.inject({ url: '/v6/scheduler/' })).json()).toMatchObject({
        is_paused: true,
        queue_mode: 'LIFO',
      });
      await h.sql(`update scheduler set is_paused = false, queue_mode = 'FIFO'`);
    });

    it('GET /v6/scheduler/queued-resources/ - READY capacity, counts, and needs per status', async () => {
      const queuedType = await insertJobType(h, {
        name: 'queued-resources',
        scalar: [
          { name: 'cpus', value: 1 },
          { name: 'mem', value: 128 },
        ],
      });
      await insertJob(h, { jobTypeId: queuedType, status: 'QUEUED' });
      await insertJob(h, { jobTypeId: queuedType, status: 'QUEUED' });
      await insertJob(h, { jobTypeId: queuedType, status: 'QUEUED' });
      // disk: 10 + 2 × 5 MiB of input
      await insertJob(h, { jobTypeId: typeId, status: 'PENDING', inputFileSize: 5 });
      await insertJob(h, { jobTypeId: typeId, status: 'COMPLETED' });
      const res = await h.app.inject({ url: '/v6/scheduler/queued-resources/' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        cluster_resources: { cpus: 8, disk: 50_000, gpus: 1, mem: 16_384 },
        queue_lengths: { PENDING: 1, QUEUED: 3, RUNNING: 1 },
        total_resources: {
          PENDING: { cpus: 2, mem: 1024, disk: 20 },
          QUEUED: { cpus: 3, mem: 384 },
          RUNNING: { cpus: 2, mem: 1024, disk: 10 },
        },
      });
      await h.sql(`delete from job where job_type_id = ? or status in ('PENDING', 'COMPLETED')`, [queuedType]);
    });
  });

  describe('GET /v6/status/', () => {
    it('GET /v6/status/ - a live leader: 200 with the scheduler, dependencies, node counts and nodes', async () => {
      await setLease(h, 'scheduler-a', 4, 60_000);
      const res = await h.app.inject({ url: '/v6/status/' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.timestamp).toMatch(ISO);
      expect(body.detail).toBeUndefined();
      expect(body.scheduler).toMatchObject({
        state: { name: 'READY' },
        is_paused: false,
        queue_mode: 'FIFO',
        leader: { holder: 'scheduler-a', epoch: 4, lease_expires: expect.stringMatching(ISO) },
      });
      expect(body.scheduler.leader.lease_expires_in_seconds).toBeGreaterThan(0);
      expect(body.dependencies.database.OK).toBe(true);
      expect(body.dependencies.msg_queue.OK).toBe(true);
      expect(body.dependencies.nodes).toMatchObject({ OK: true, errors: [] });
      // The inactive node is not counted; it is still listed.
      expect(body.node_counts).toEqual({ READY: 1, PAUSED: 1, DEGRADED: 0, OFFLINE: 0 });
      expect(body.nodes.map((n: { id: number }) => n.id)).toEqual([big, paused, gone]);
      expect(body.resources.cpus).toEqual({ total: 10, running: 2, free: 8 });
    });

    it('GET /v6/status/ - a paused scheduler with a leader is healthy and says PAUSED', async () => {
      await setLease(h, 'scheduler-a', 4, 60_000);
      await setSchedulerPaused(h, true);
      const res = await h.app.inject({ url: '/v6/status/' });
      await setSchedulerPaused(h, false);
      expect(res.statusCode).toBe(200);
      expect(res.json().scheduler.state.name).toBe('PAUSED');
    });

    it('GET /v6/status/ - an expired lease: 503, no leader, the same body with a detail', async () => {
      await setLease(h, 'scheduler-a', 4, -1000);
      const res = await h.app.inject({ url: '/v6/status/' });
      expect(res.statusCode).toBe(503);
      const body = res.json();
      expect(body.detail).toBe('Scheduler status is stale: no scheduler holds a live lease');
      expect(body.scheduler).toMatchObject({ state: { name: 'OFFLINE' }, leader: null });
      expect(body.dependencies.database.OK).toBe(true);
      expect(body.timestamp).toMatch(ISO);
    });

    it('GET /v6/status/ - an unreachable database: 503 naming it, NATS still reported', async () => {
      const orm = await openOrm({ url: 'postgres://scale:scale@127.0.0.1:1/nothing', poolSize: 1 });
      const app = buildServer({
        orm,
        nc: h.nc,
        subjects: h.subjects,
        log: createLogger({ service: 'api', level: 'silent' }),
        version: 'test',
      });
      try {
        const res = await app.inject({ url: '/v6/status/' });
        expect(res.statusCode).toBe(503);
        const body = res.json();
        expect(body.detail).toBe('Scheduler status is stale: the database is unreachable');
        expect(body.dependencies.database).toMatchObject({
          OK: false,
          errors: [{ DATABASE_UNREACHABLE: expect.any(String) }],
        });
        expect(body.dependencies.msg_queue.OK).toBe(true);
        expect(body.scheduler.state.name).toBe('UNKNOWN');
        expect(body.nodes).toEqual([]);
      } finally {
        await app.close();
        await orm.close();
      }
    });
  });
});
