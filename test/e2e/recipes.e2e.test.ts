/**
 * Recipes with the whole platform as real processes and real jobs in local/busybox containers: a diamond whose
 * JSON outputs (seed.outputs.json) feed the next jobs' inputs, a failure that blocks its descendants and a requeue
 * that unblocks them, a condition that skips a branch, a sub-recipe, a reprocess, the v5 create, and the recipe
 * engine killed with SIGKILL in the middle of advancing a recipe and started again.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectSql, type SqlClient } from '@scale/testkit';
import { type E2ePlatform, startE2ePlatform } from './support/harness.ts';
import { seedManifest } from './support/manifests.ts';

/** Writes {"Y": <expression>} as the job's JSON output (shell arithmetic on the inputs). */
function outputs(expression: string): string {
  return `printf '{\\"Y\\": %d}' $((${expression})) > \${OUTPUT_DIR}/seed.outputs.json`;
}

function manifest(name: string, inputs: string[], command: string) {
  return seedManifest(name, {
    title: `E2E ${name}`,
    cpus: 0.1,
    mem: 32,
    interface: {
      command: `sh -c "${command}"`,
      inputs: { json: inputs.map((input) => ({ name: input, type: 'integer' })) },
      outputs: { json: [{ name: 'Y', type: 'integer' }] },
    },
  });
}

const job = (name: string) => ({
  node_type: 'job',
  job_type_name: name,
  job_type_version: '1.0.0',
  job_type_revision: 1,
});
const fromRecipe = (input: string) => ({ type: 'recipe', input });
const fromNode = (node: string, output = 'Y') => ({ type: 'dependency', node, output });

function diamond(first: string) {
  return {
    input: { json: [{ name: 'n', type: 'integer' }] },
    nodes: {
      a: { dependencies: [], input: { X: fromRecipe('n') }, node_type: job(first) },
      b: { dependencies: [{ name: 'a' }], input: { X: fromNode('a') }, node_type: job('e2e-add') },
      c: { dependencies: [{ name: 'a' }], input: { X: fromNode('a') }, node_type: job('e2e-add') },
      d: {
        dependencies: [{ name: 'b' }, { name: 'c' }],
        input: { L: fromNode('b'), R: fromNode('c') },
        node_type: job('e2e-join'),
      },
    },
  };
}

describe('recipes end to end', () => {
  let e2e: E2ePlatform;
  let sql: SqlClient;
  let platform: E2ePlatform['platform'];
  const types: Record<string, number> = {};
  const api: E2ePlatform['api'] = (...args) => e2e.api(...args);
  const until = <T>(probe: () => Promise<T | undefined | null | false>, what: string) =>
    e2e.until(probe, what, { timeoutMs: 120_000, intervalMs: 250 });

  const recipe = async (id: number) => (await api('GET', `/v6/recipes/${id}/`)).json;
  const completed = (id: number) =>
    until(async () => ((await recipe(id))?.is_completed ? recipe(id) : null), `recipe ${id} to complete`);
  const statuses = (details: { details: { nodes: Record<string, { node_type: { status?: string } }> } }) =>
    Object.fromEntries(Object.entries(details.details.nodes).map(([name, n]) => [name, n.node_type.status]));
  const jobOutput = async (id: number) => (await api('GET', `/v6/jobs/${id}/`)).json.output.json;

  async function createRecipeType(title: string, definition: unknown): Promise<{ id: number; name: string }> {
    const res = await api('POST', '/v6/recipe-types/', { title, definition });
    expect(res.status).toBe(201);
    return res.json;
  }

  async function createRecipe(recipeTypeId: number, json: Record<string, unknown>): Promise<number> {
    const res = await api('POST', '/v6/recipes/', { recipe_type_id: recipeTypeId, input: { files: {}, json } });
    expect(res.status).toBe(201);
    return res.json.id;
  }

  beforeAll(async () => {
    e2e = await startE2ePlatform({
      label: 'e2erec',
      database: 'e2erecipes',
      tmpPrefix: 'scale-e2e-recipes-',
      env: {
        SCALE_LOG_LEVEL: 'warn',
        SCALE_HEARTBEAT_MS: '1000',
        SCALE_SCHEDULE_INTERVAL_MS: '250',
        SCALE_RECIPE_LEASE_MS: '3000',
        SCALE_RECIPE_SWEEP_MS: '1000',
        SCALE_RECIPE_STALE_MS: '2000',
      },
    });
    platform = e2e.platform;
    sql = await connectSql(e2e.db.url);
    const register = async (name: string, inputs: string[], command: string) => {
      types[name] = await e2e.registerJobType(manifest(name, inputs, command));
    };
    await register('e2e-add', ['X'], outputs('${X} + 1'));
    await register('e2e-join', ['L', 'R'], outputs('${L} + ${R}'));
    // Fails its first execution, succeeds once requeued.
    await register('e2e-flaky', ['X'], `test \${SCALE_EXE_NUM} -gt 1 || exit 3; ${outputs('${X} + 100')}`);
  });

  afterAll(async () => {
    await sql?.close();
    await e2e?.stop();
  });

  let diamondType: { id: number; name: string };
  let diamondRecipe: number;

  it('e2e - a diamond recipe runs real jobs, each output wired into the next inputs', async () => {
    diamondType = await createRecipeType('E2E Diamond', diamond('e2e-add'));
    diamondRecipe = await createRecipe(diamondType.id, { n: 1 });
    const done = await completed(diamondRecipe);
    expect(statuses(done)).toEqual({ a: 'COMPLETED', b: 'COMPLETED', c: 'COMPLETED', d: 'COMPLETED' });
    expect(done).toMatchObject({ jobs_total: 4, jobs_completed: 4, completed: expect.any(String) });
    const d = done.details.nodes.d.node_type.job_id;
    expect(await jobOutput(d)).toEqual({ Y: 6 });
    expect((await api('GET', `/v6/jobs/${d}/`)).json.input.json).toEqual({ L: 3, R: 3 });
  });

  it('e2e - a failed job blocks its descendants, and requeueing it unblocks them', async () => {
    const type = await createRecipeType('E2E Flaky Diamond', diamond('e2e-flaky'));
    const id = await createRecipe(type.id, { n: 1 });
    const blocked = await until(async () => {
      const details = await recipe(id);
      const s = statuses(details);
      return s.a === 'FAILED' && s.b === 'BLOCKED' && s.c === 'BLOCKED' && s.d === 'BLOCKED' ? details : null;
    }, 'a to fail and b, c, d to be blocked');
    expect(blocked).toMatchObject({ jobs_failed: 1, jobs_blocked: 3, is_completed: false });
    const requeued = await api('POST', '/v6/jobs/requeue/', { job_ids: [blocked.details.nodes.a.node_type.job_id] });
    expect(requeued.status).toBe(202);
    const done = await completed(id);
    expect(await jobOutput(done.details.nodes.d.node_type.job_id)).toEqual({ Y: 204 });
  });

  it('e2e - a condition skips the branch its filter rejects', async () => {
    const type = await createRecipeType('E2E Gate', {
      input: { json: [{ name: 'n', type: 'integer' }] },
      nodes: {
        a: { dependencies: [], input: { X: fromRecipe('n') }, node_type: job('e2e-add') },
        gate: {
          dependencies: [{ name: 'a' }],
          input: { v: fromNode('a') },
          node_type: {
            node_type: 'condition',
            interface: { json: [{ name: 'v', type: 'integer' }] },
            data_filter: { filters: [{ name: 'v', type: 'integer', condition: '>', values: [10] }] },
          },
        },
        big: { dependencies: [{ name: 'gate' }], input: { X: fromNode('gate', 'v') }, node_type: job('e2e-add') },
        small: {
          dependencies: [{ name: 'gate', acceptance: false }],
          input: { X: fromRecipe('n') },
          node_type: job('e2e-add'),
        },
      },
    });
    const done = await completed(await createRecipe(type.id, { n: 2 }));
    expect(Object.keys(done.details.nodes).sort()).toEqual(['a', 'gate', 'small']);
    expect(done.details.nodes.gate.node_type).toMatchObject({
      node_type: 'condition',
      is_processed: true,
      is_accepted: false,
    });
    expect(done.jobs_total).toBe(2);
  });

  it('e2e - a sub-recipe runs as a node with its own counts', async () => {
    const inner = await createRecipeType('E2E Inner', {
      input: { json: [{ name: 'v', type: 'integer' }] },
      nodes: {
        s1: { dependencies: [], input: { X: fromRecipe('v') }, node_type: job('e2e-add') },
        s2: { dependencies: [{ name: 's1' }], input: { X: fromNode('s1') }, node_type: job('e2e-add') },
      },
    });
    const outer = await createRecipeType('E2E Outer', {
      input: { json: [{ name: 'n', type: 'integer' }] },
      nodes: {
        a: { dependencies: [], input: { X: fromRecipe('n') }, node_type: job('e2e-add') },
        sub: {
          dependencies: [{ name: 'a' }],
          input: { v: fromNode('a') },
          node_type: { node_type: 'recipe', recipe_type_name: inner.name, recipe_type_revision: 1 },
        },
        z: { dependencies: [{ name: 'sub' }], input: { X: fromRecipe('n') }, node_type: job('e2e-add') },
      },
    });
    const done = await completed(await createRecipe(outer.id, { n: 10 }));
    expect(done.details.nodes.sub.node_type).toMatchObject({
      node_type: 'recipe',
      recipe_type_name: inner.name,
      is_completed: true,
      jobs_total: 2,
      jobs_completed: 2,
    });
    expect(done).toMatchObject({ jobs_total: 4, jobs_completed: 4, sub_recipes_total: 1, sub_recipes_completed: 1 });
    const sub = await recipe(done.details.nodes.sub.node_type.recipe_id);
    expect(await jobOutput(sub.details.nodes.s2.node_type.job_id)).toEqual({ Y: 13 });
  });

  it('e2e - reprocessing a forced node supersedes the old recipe and reuses unchanged results', async () => {
    const before = await recipe(diamondRecipe);
    const res = await api('POST', `/v6/recipes/${diamondRecipe}/reprocess/`, {
      forced_nodes: { all: false, nodes: ['c'] },
    });
    expect(res.status).toBe(202);
    const newId = Number(/\/v6\/recipes\/(\d+)\/$/.exec(res.headers.get('location') ?? '')?.[1]);
    const done = await completed(newId);
    const jobId = (details: typeof before, node: string) => details.details.nodes[node].node_type.job_id;
    expect(jobId(done, 'a')).toBe(jobId(before, 'a'));
    expect(jobId(done, 'b')).toBe(jobId(before, 'b'));
    expect(jobId(done, 'c')).not.toBe(jobId(before, 'c'));
    expect(jobId(done, 'd')).not.toBe(jobId(before, 'd'));
    expect(done.superseded_recipe).toMatchObject({ id: diamondRecipe });
    const old = await recipe(diamondRecipe);
    expect(old).toMatchObject({ is_superseded: true, superseded_by_recipe: { id: newId } });
    const oldC = (await api('GET', `/v6/jobs/${jobId(before, 'c')}/`)).json;
    expect(oldC.is_superseded).toBe(true);
  });

  it('e2e - the v5 queue new recipe creates a recipe that runs', async () => {
    const res = await api('POST', '/queue/new-recipe/', {
      recipe_type_id: diamondType.id,
      recipe_data: { version: '1.0', input_data: [{ name: 'n', value: 5 }] },
    });
    expect(res.status).toBe(201);
    expect(res.json.data.input_data).toEqual([{ name: 'n', value: 5 }]);
    const done = await completed(res.json.id);
    expect(await jobOutput(done.details.nodes.d.node_type.job_id)).toEqual({ Y: 14 });
  });

  it('e2e - the recipe engine killed with SIGKILL mid-advance: the recipe still finishes, one job per node', async () => {
    const leaves = Array.from({ length: 12 }, (_, i) => `leaf${i}`);
    const type = await createRecipeType('E2E Fan', {
      input: { json: [{ name: 'n', type: 'integer' }] },
      nodes: {
        root: { dependencies: [], input: { X: fromRecipe('n') }, node_type: job('e2e-add') },
        ...Object.fromEntries(
          leaves.map((leaf) => [
            leaf,
            { dependencies: [{ name: 'root' }], input: { X: fromNode('root') }, node_type: job('e2e-add') },
          ]),
        ),
        last: {
          dependencies: [{ name: 'leaf0' }, { name: 'leaf11' }],
          input: { L: fromNode('leaf0'), R: fromNode('leaf11') },
          node_type: job('e2e-join'),
        },
      },
    });
    // The engine is replaced by one with a failpoint: it kills itself (SIGKILL) right after the scheduler created
    // the fan's leaf jobs (its second job creation) and before it records them: the worst moment to die.
    const engine = platform.processes.get('recipe-engine')!;
    const stopped = once(engine, 'exit');
    engine.kill('SIGKILL');
    await stopped;
    const faulty = platform.spawn('recipe-engine', 'recipe-engine-failpoint', {
      SCALE_RECIPE_CRASH_AFTER_CREATES: '2',
    });
    const crashed = once(faulty, 'exit');
    // Answered 503 until the new engine listens; the key makes a retry after an ambiguous answer harmless.
    const created = await until(async () => {
      const res = await api(
        'POST',
        '/v6/recipes/',
        { recipe_type_id: type.id, input: { json: { n: 1 } } },
        { 'Idempotency-Key': 'fan-1' },
      );
      return res.status === 201 ? res.json : null;
    }, 'the failpoint engine to accept the recipe');
    await crashed;
    expect(faulty.signalCode).toBe('SIGKILL');
    const count = async (table: 'job' | 'recipe_node') =>
      Number(
        (await sql.query<{ n: string }>(`select count(*) as n from ${table} where recipe_id = $1`, [created.id]))[0]!.n,
      );
    // The scheduler made 13 jobs (root and leaves); the engine recorded only the root's before it died.
    expect({ jobs: await count('job'), nodes: await count('recipe_node') }).toEqual({ jobs: 13, nodes: 1 });

    platform.spawn('recipe-engine', 'recipe-engine-restarted');
    const done = await completed(created.id);
    expect(done).toMatchObject({ jobs_total: 14, jobs_completed: 14 });
    expect(await jobOutput(done.details.nodes.last.node_type.job_id)).toEqual({ Y: 6 });
    const duplicates = await sql.query(
      'select recipe_node_name, count(*) from job where recipe_id = $1 group by recipe_node_name having count(*) > 1',
      [created.id],
    );
    expect(duplicates).toEqual([]);
    expect({ jobs: await count('job'), nodes: await count('recipe_node') }).toEqual({ jobs: 14, nodes: 14 });
    const [exes] = await sql.query<{ n: string }>(
      'select count(*) as n from job_exe e join job j on j.id = e.job_id where j.recipe_id = $1',
      [created.id],
    );
    expect(Number(exes!.n)).toBe(14);
  });
});
