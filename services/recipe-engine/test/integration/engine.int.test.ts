/**
 * The recipe engine in process against real Postgres and NATS, the real scheduler process, and a simulated node
 * agent whose jobs compute their outputs from their inputs: step Y = X + 1, join Y = L + R.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateRecipeResult,
  type JobStatusEvent,
  type LaunchExecution,
  ReprocessRecipeResult,
  RequeueJobsResult,
} from '@scale/contracts';
import { type Orm, openOrm } from '@scale/db';
import { AppError, createLogger, jetstream, type NatsConnection, requestCommand } from '@scale/runtime';
import {
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  type TestDatabase,
  testSubjects,
  until,
} from '@scale/testkit';
import { buildRecipeEngine, type RecipeEngine } from '../../src/app.ts';
import { insertJobType, job, saveRecipeType } from '../fixtures/catalogue.ts';
import { type Outcome, type ServiceProcess, SimulatedAgent, startService } from '../fixtures/platform.ts';

const subjects = testSubjects('engine');
/** A recipe runs several jobs through a real scheduler process: give it longer than testkit's default. */
const RECIPE_WAIT_MS = 30_000;
const log = createLogger({ service: 'recipe-engine-test', level: 'silent' });
const engineConfig = (engineId: string) => ({
  engineId,
  leaseMs: 3000,
  sweepMs: 300,
  staleMs: 600,
  concurrency: 8,
  commandTimeoutMs: 5000,
});

/** Jobs of type "flaky" fail while this is set. */
let flakyFails = true;

function behave(launch: LaunchExecution): Outcome {
  const json = launch.input.json as Record<string, number>;
  switch (launch.jobTypeName) {
    case 'step':
      return { status: 'COMPLETED', output: { files: {}, json: { Y: (json.X ?? 0) + 1 } } };
    case 'join':
      return { status: 'COMPLETED', output: { files: {}, json: { Y: (json.L ?? 0) + (json.R ?? 0) } } };
    case 'flaky':
      return flakyFails
        ? { status: 'FAILED', exitCode: 1 }
        : { status: 'COMPLETED', output: { files: {}, json: { Y: (json.X ?? 0) + 100 } } };
    default:
      return { status: 'FAILED', exitCode: 2 };
  }
}

describe('recipe engine', () => {
  let db: TestDatabase;
  let orm: Orm;
  let nc: NatsConnection;
  let scheduler: ServiceProcess;
  let engine: RecipeEngine;
  let agent: SimulatedAgent;
  const types: Record<string, number> = {};

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    orm.em.fork().execute<T[]>(text, params);
  const create = (recipeTypeId: number, json: Record<string, unknown>, idempotencyKey?: string) =>
    requestCommand(
      nc,
      subjects.command('recipes', 'create'),
      { recipeTypeId, input: { files: {}, json }, ...(idempotencyKey ? { idempotencyKey } : {}) },
      CreateRecipeResult,
    ).then((r) => r.recipeId);
  const completed = (recipeId: number) =>
    until(
      async () => {
        const [row] = await sql<{ is_completed: boolean }>('select is_completed from recipe where id = ?', [recipeId]);
        return row?.is_completed;
      },
      `recipe ${recipeId} to complete`,
      RECIPE_WAIT_MS,
    );
  const nodes = async (recipeId: number) => {
    const rows = await sql<{
      node_name: string;
      job_id: string;
      status: string;
      input: unknown;
      output: unknown;
      is_original: boolean;
    }>(
      `select n.node_name, n.job_id, j.status, j.input, j.output, n.is_original
         from recipe_node n join job j on j.id = n.job_id where n.recipe_id = ? order by n.node_name`,
      [recipeId],
    );
    return Object.fromEntries(rows.map((r) => [r.node_name, { ...r, job_id: Number(r.job_id) }]));
  };
  const statuses = async (recipeId: number) =>
    Object.fromEntries(Object.entries(await nodes(recipeId)).map(([name, n]) => [name, n.status]));

  beforeAll(async () => {
    db = await createTestDatabase('engine');
    orm = await openOrm({ url: db.url, poolSize: 10 });
    nc = await connectTestNats();
    const em = orm.em.fork();
    types.step = await insertJobType(em, 'step', { inputs: ['X'], outputs: ['Y'] });
    types.join = await insertJobType(em, 'join', { inputs: ['L', 'R'], outputs: ['Y'] });
    types.flaky = await insertJobType(em, 'flaky', { inputs: ['X'], outputs: ['Y'] });
    scheduler = await startService('scheduler', {
      SCALE_DATABASE_URL: db.url,
      SCALE_SUBJECT_PREFIX: subjects.prefix,
      SCALE_SCHEDULER_ID: `sched-${subjects.prefix}`,
      SCALE_SCHEDULE_INTERVAL_MS: '100',
      SCALE_LEASE_MS: '2000',
    });
    engine = buildRecipeEngine({ orm, nc, subjects, log, config: engineConfig('engine-a') });
    await engine.start();
    agent = new SimulatedAgent(subjects, `agent-${subjects.prefix}`, behave);
    await agent.start();
  });

  afterAll(async () => {
    await agent?.stop();
    await engine?.stop();
    await scheduler?.stop();
    await deleteTestStreams(nc, subjects);
    await nc?.close();
    await orm?.close();
    await db?.drop();
  });

  const diamond = (a = 'step') => ({
    input: { json: [{ name: 'n', type: 'integer' as const }] },
    nodes: {
      a: { dependencies: [], input: { X: { type: 'recipe' as const, input: 'n' } }, node_type: job(a) },
      b: {
        dependencies: [{ name: 'a' }],
        input: { X: { type: 'dependency' as const, node: 'a', output: 'Y' } },
        node_type: job('step'),
      },
      c: {
        dependencies: [{ name: 'a' }],
        input: { X: { type: 'dependency' as const, node: 'a', output: 'Y' } },
        node_type: job('step'),
      },
      d: {
        dependencies: [{ name: 'b' }, { name: 'c' }],
        input: {
          L: { type: 'dependency' as const, node: 'b', output: 'Y' },
          R: { type: 'dependency' as const, node: 'c', output: 'Y' },
        },
        node_type: job('join'),
      },
    },
  });

  it('recipe engine - runs a diamond, wiring each output into the next inputs, one job per node', async () => {
    const typeId = await saveRecipeType(orm.em.fork(), 'diamond', diamond());
    const recipeId = await create(typeId, { n: 1 });
    await completed(recipeId);
    const result = await nodes(recipeId);
    expect(Object.keys(result)).toEqual(['a', 'b', 'c', 'd']);
    expect(result.a).toMatchObject({ status: 'COMPLETED', input: { json: { X: 1 } }, output: { json: { Y: 2 } } });
    expect(result.b).toMatchObject({ input: { json: { X: 2 } }, output: { json: { Y: 3 } } });
    expect(result.c).toMatchObject({ input: { json: { X: 2 } }, output: { json: { Y: 3 } } });
    expect(result.d).toMatchObject({ input: { json: { L: 3, R: 3 } }, output: { json: { Y: 6 } } });
    const jobs = await sql<{ n: string }>('select count(*) as n from job where root_recipe_id = ?', [recipeId]);
    expect(Number(jobs[0]!.n)).toBe(4);
    const launches = agent.launches.filter((l) => Object.values(result).some((n) => n.job_id === l.token.jobId));
    expect(launches).toHaveLength(4);
  });

  it('recipe engine - create is idempotent with a key, and bad input is refused with field errors', async () => {
    const [type] = await sql<{ id: number }>(`select id from recipe_type where name = 'diamond'`);
    const first = await create(type!.id, { n: 5 }, 'key-1');
    expect(await create(type!.id, { n: 5 }, 'key-1')).toBe(first);
    await completed(first);
    // The key names that request: another input, or a reprocess, under it is refused rather than answered with it.
    const reused = await create(type!.id, { n: 6 }, 'key-1').catch((err: unknown) => err);
    expect((reused as AppError).details).toEqual([
      { field: 'Idempotency-Key', message: expect.stringContaining('different request') },
    ]);
    const crossed = await requestCommand(
      nc,
      subjects.command('recipes', 'reprocess'),
      { recipeId: first, forcedNodes: { all: true }, idempotencyKey: 'key-1' },
      ReprocessRecipeResult,
    ).catch((err: unknown) => err);
    expect((crossed as AppError).details?.map((d) => d.field)).toEqual(['Idempotency-Key']);
    expect(await sql('select id from recipe where superseded_recipe_id = ?', [first])).toEqual([]);
    const error = await create(type!.id, { n: 'five', extra: 1 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details).toEqual([
      { field: 'input.json.n', message: 'must be of type integer, got string' },
      { field: 'input.json.extra', message: 'unknown input "extra"' },
    ]);
    const missing = await create(9_999, { n: 1 }).catch((err: unknown) => err);
    expect((missing as AppError).details).toEqual([
      { field: 'recipeTypeId', message: 'recipe type 9999 does not exist' },
    ]);
  });

  it('recipe engine - a failure blocks the descendants; requeueing it unblocks them and the recipe completes', async () => {
    flakyFails = true;
    const typeId = await saveRecipeType(orm.em.fork(), 'flaky-diamond', diamond('flaky'));
    const recipeId = await create(typeId, { n: 1 });
    await until(
      async () => {
        const s = await statuses(recipeId);
        return s.a === 'FAILED' && s.b === 'BLOCKED' && s.c === 'BLOCKED' && s.d === 'BLOCKED';
      },
      'a failed and b, c, d blocked',
      RECIPE_WAIT_MS,
    );

    flakyFails = false;
    const { a } = await nodes(recipeId);
    const requeued = await requestCommand(
      nc,
      subjects.command('scheduler', 'requeue-jobs'),
      { filter: { jobIds: [a!.job_id] } },
      RequeueJobsResult,
    );
    expect(requeued.requeued).toBe(1);
    await completed(recipeId);
    const after = await nodes(recipeId);
    expect(after.d).toMatchObject({ status: 'COMPLETED', input: { json: { L: 102, R: 102 } } });
  });

  it('recipe engine - a condition runs the branch its acceptance names and skips the other', async () => {
    const gated = (threshold: number) => ({
      input: { json: [{ name: 'n', type: 'integer' as const }] },
      nodes: {
        a: { dependencies: [], input: { X: { type: 'recipe' as const, input: 'n' } }, node_type: job('step') },
        gate: {
          dependencies: [{ name: 'a' }],
          input: { v: { type: 'dependency' as const, node: 'a', output: 'Y' } },
          node_type: {
            node_type: 'condition' as const,
            interface: { json: [{ name: 'v', type: 'integer' as const }] },
            data_filter: {
              filters: [{ name: 'v', type: 'integer' as const, condition: '>' as const, values: [threshold] }],
            },
          },
        },
        high: {
          dependencies: [{ name: 'gate' }],
          input: { X: { type: 'dependency' as const, node: 'gate', output: 'v' } },
          node_type: job('step'),
        },
        low: {
          dependencies: [{ name: 'gate', acceptance: false }],
          input: { X: { type: 'recipe' as const, input: 'n' } },
          node_type: job('step'),
        },
      },
    });
    const typeId = await saveRecipeType(orm.em.fork(), 'gated', gated(10));
    const small = await create(typeId, { n: 1 });
    const big = await create(typeId, { n: 50 });
    await completed(small);
    await completed(big);
    expect(Object.keys(await nodes(small))).toEqual(['a', 'low']);
    expect(Object.keys(await nodes(big))).toEqual(['a', 'high']);
    expect((await nodes(big)).high).toMatchObject({ input: { json: { X: 51 } } });
    const conditions = await sql<{ recipe_id: string; is_accepted: boolean; data: unknown }>(
      'select recipe_id, is_accepted, data from recipe_condition where recipe_id in (?, ?) order by recipe_id',
      [small, big],
    );
    expect(conditions.map((c) => [Number(c.recipe_id), c.is_accepted, c.data])).toEqual([
      [small, false, { files: {}, json: { v: 2 } }],
      [big, true, { files: {}, json: { v: 51 } }],
    ]);
  });

  it('recipe engine - a sub-recipe runs as a node with its own recipe and jobs, then its dependents run', async () => {
    const em = orm.em.fork();
    await saveRecipeType(em, 'inner', {
      input: { json: [{ name: 'v', type: 'integer' }] },
      nodes: {
        s1: { dependencies: [], input: { X: { type: 'recipe', input: 'v' } }, node_type: job('step') },
        s2: {
          dependencies: [{ name: 's1' }],
          input: { X: { type: 'dependency', node: 's1', output: 'Y' } },
          node_type: job('step'),
        },
      },
    });
    const typeId = await saveRecipeType(em, 'outer', {
      input: { json: [{ name: 'n', type: 'integer' }] },
      nodes: {
        a: { dependencies: [], input: { X: { type: 'recipe', input: 'n' } }, node_type: job('step') },
        sub: {
          dependencies: [{ name: 'a' }],
          input: { v: { type: 'dependency', node: 'a', output: 'Y' } },
          node_type: { node_type: 'recipe', recipe_type_name: 'inner', recipe_type_revision: 1 },
        },
        z: { dependencies: [{ name: 'sub' }], input: { X: { type: 'recipe', input: 'n' } }, node_type: job('step') },
      },
    });
    const recipeId = await create(typeId, { n: 10 });
    await completed(recipeId);
    const [sub] = await sql<{
      id: string;
      recipe_id: string;
      root_recipe_id: string;
      is_completed: boolean;
      input: unknown;
    }>('select id, recipe_id, root_recipe_id, is_completed, input from recipe where recipe_id = ?', [recipeId]);
    expect(sub).toMatchObject({ is_completed: true, input: { files: {}, json: { v: 11 } } });
    expect(Number(sub!.root_recipe_id)).toBe(recipeId);
    const inner = await nodes(Number(sub!.id));
    expect(inner.s2).toMatchObject({ input: { json: { X: 12 } }, output: { json: { Y: 13 } } });
    const roots = await sql<{ root_recipe_id: string }>('select distinct root_recipe_id from job where recipe_id = ?', [
      sub!.id,
    ]);
    expect(roots.map((r) => Number(r.root_recipe_id))).toEqual([recipeId]);
    expect(Object.keys(await nodes(recipeId))).toEqual(['a', 'z']);
  });

  it('recipe engine - the recipe configuration (settings, mounts, workspaces) reaches every job, sub-recipes included', async () => {
    const [outer] = await sql<{ id: number }>(`select id from recipe_type where name = 'outer'`);
    const configuration = { priority: 42, settings: { MODE: 'careful' }, mounts: { refs: null } };
    const { recipeId } = await requestCommand(
      nc,
      subjects.command('recipes', 'create'),
      { recipeTypeId: outer!.id, input: { files: {}, json: { n: 1 } }, configuration },
      CreateRecipeResult,
    );
    await completed(recipeId);
    const jobs = await sql<{ id: string; priority: number; configuration: unknown }>(
      'select id, priority, configuration from job where root_recipe_id = ? order by id',
      [recipeId],
    );
    // a, the sub-recipe's s1 and s2, then z.
    expect(jobs).toHaveLength(4);
    for (const job of jobs) {
      expect(job).toMatchObject({
        priority: 42,
        configuration: { settings: { MODE: 'careful' }, mounts: { refs: null } },
      });
      const launch = agent.launches.find((l) => l.token.jobId === Number(job.id));
      expect(launch?.settings).toMatchObject({ MODE: 'careful' });
    }
  });

  it('recipe engine - reprocessing a forced node reuses what came before it and supersedes what it replaces', async () => {
    const [type] = await sql<{ id: number }>(`select id from recipe_type where name = 'diamond'`);
    const oldId = await create(type!.id, { n: 1 });
    await completed(oldId);
    const before = await nodes(oldId);
    const { recipeId } = await requestCommand(
      nc,
      subjects.command('recipes', 'reprocess'),
      { recipeId: oldId, forcedNodes: { all: false, nodes: ['c'] } },
      ReprocessRecipeResult,
    );
    await completed(recipeId);
    const after = await nodes(recipeId);
    expect(after.a).toMatchObject({ job_id: before.a!.job_id, is_original: false });
    expect(after.b).toMatchObject({ job_id: before.b!.job_id, is_original: false });
    expect(after.c!.job_id).not.toBe(before.c!.job_id);
    expect(after.d!.job_id).not.toBe(before.d!.job_id);
    expect(after.d).toMatchObject({ is_original: true, status: 'COMPLETED', input: { json: { L: 3, R: 3 } } });
    const old = await sql<{ id: string; is_superseded: boolean; is_superseded_job: boolean }>(
      `select j.id, r.is_superseded, j.is_superseded as is_superseded_job
         from job j join recipe r on r.id = j.recipe_id where r.id = ? order by j.id`,
      [oldId],
    );
    const superseded = old.filter((j) => j.is_superseded_job).map((j) => Number(j.id));
    expect(superseded.sort()).toEqual([before.c!.job_id, before.d!.job_id].sort());
    expect(old.every((j) => j.is_superseded)).toBe(true);
    const chain = await sql<{ superseded_job_id: string }>('select superseded_job_id from job where id = ?', [
      after.c!.job_id,
    ]);
    expect(Number(chain[0]!.superseded_job_id)).toBe(before.c!.job_id);

    const again = await requestCommand(
      nc,
      subjects.command('recipes', 'reprocess'),
      { recipeId: oldId, forcedNodes: { all: true } },
      ReprocessRecipeResult,
    ).catch((err: unknown) => err);
    expect((again as AppError).details).toEqual([
      { field: 'recipeId', message: 'Cannot reprocess a superseded recipe' },
    ]);
    const nothing = await requestCommand(
      nc,
      subjects.command('recipes', 'reprocess'),
      { recipeId, forcedNodes: { all: false } },
      ReprocessRecipeResult,
    ).catch((err: unknown) => err);
    expect((nothing as AppError).message).toMatch(/nothing to reprocess/);
  });

  it('recipe engine - duplicate and replayed events create nothing twice', async () => {
    const [type] = await sql<{ id: number }>(`select id from recipe_type where name = 'diamond'`);
    const recipeId = await create(type!.id, { n: 2 });
    await completed(recipeId);
    const js = jetstream(nc);
    for (const n of Object.values(await nodes(recipeId))) {
      for (const status of ['QUEUED', 'COMPLETED', 'RUNNING'] as const) {
        const event: JobStatusEvent = {
          jobId: n.job_id,
          status,
          exeNum: 1,
          errorCategory: null,
          at: new Date().toISOString(),
        };
        await js.publish(subjects.jobStatusEvent(), JSON.stringify(event));
      }
    }
    await engine.sweep();
    const jobs = await sql<{ n: string }>('select count(*) as n from job where root_recipe_id = ?', [recipeId]);
    expect(Number(jobs[0]!.n)).toBe(4);
  });

  it('recipe engine - the sweep finishes a recipe whose first advance never happened', async () => {
    const [type] = await sql<{ id: number; rev: number }>(
      `select t.id, r.id as rev from recipe_type t join recipe_type_revision r on r.recipe_type_id = t.id
        where t.name = 'diamond' and r.revision_num = t.revision_num`,
    );
    const [row] = await sql<{ id: string }>(
      `insert into recipe (recipe_type_id, recipe_type_rev_id, input) values (?, ?, '{"files": {}, "json": {"n": 7}}') returning id`,
      [type!.id, type!.rev],
    );
    await completed(Number(row!.id));
    expect((await nodes(Number(row!.id))).d).toMatchObject({ input: { json: { L: 9, R: 9 } } });
  });

  it('recipe engine - two replicas advancing the same wide recipe create one job per node', async () => {
    const wide = {
      input: { json: [{ name: 'n', type: 'integer' as const }] },
      nodes: Object.fromEntries([
        ['root', { dependencies: [], input: { X: { type: 'recipe' as const, input: 'n' } }, node_type: job('step') }],
        ...Array.from({ length: 30 }, (_, i) => [
          `leaf${i}`,
          {
            dependencies: [{ name: 'root' }],
            input: { X: { type: 'dependency' as const, node: 'root', output: 'Y' } },
            node_type: job('step'),
          },
        ]),
      ]),
    };
    const typeId = await saveRecipeType(orm.em.fork(), 'wide', wide);
    const second = buildRecipeEngine({ orm, nc, subjects, log, config: engineConfig('engine-b') });
    await second.start();
    try {
      const ids = await Promise.all([create(typeId, { n: 1 }), create(typeId, { n: 2 }), create(typeId, { n: 3 })]);
      await Promise.all([...ids.map((id) => second.sweep().then(() => id)), engine.sweep()]);
      for (const id of ids) await completed(id);
      const counts = await sql<{ recipe_id: string; n: string; nodes: string }>(
        `select j.recipe_id, count(*) as n, count(distinct j.recipe_node_name) as nodes
           from job j where j.recipe_id in (?) group by j.recipe_id`,
        [ids],
      );
      expect(counts.map((c) => [Number(c.n), Number(c.nodes)])).toEqual([
        [31, 31],
        [31, 31],
        [31, 31],
      ]);
      const launched = agent.launches.filter((l) => counts.length && l.jobTypeName === 'step');
      const perJob = new Map<number, number>();
      for (const l of launched) perJob.set(l.token.jobId, (perJob.get(l.token.jobId) ?? 0) + 1);
      expect([...perJob.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await second.stop();
    }
  });
});
