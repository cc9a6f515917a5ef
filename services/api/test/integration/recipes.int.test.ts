import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recipeV5Body } from '../../src/routes/recipes.ts';
import { startFakeRecipeEngine } from '../fixtures/fake-recipe-engine.ts';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { diamondDefinition, insertJobType, jobNode } from '../fixtures/recipe-catalogue.ts';

describe('recipes', () => {
  let h: Harness;
  let engine: ReturnType<typeof startFakeRecipeEngine>;
  let typeId: number;
  let stepTypeId: number;

  const inject = (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    h.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

  async function insertJob(recipeId: number, node: string, status: string, numExes = 1): Promise<number> {
    const [rev] = await h.sql<{ id: number }>('select id from job_type_revision where job_type_id = ?', [stepTypeId]);
    const [job] = await h.sql<{ id: string }>(
      `insert into job (job_type_id, job_type_rev_id, status, priority, max_tries, num_exes, input, recipe_id, root_recipe_id,
                        recipe_node_name)
       values (?, ?, ?, 100, 3, ?, '{"files": {}, "json": {}}', ?, (select coalesce(root_recipe_id, id) from recipe where id = ?), ?)
       returning id`,
      [stepTypeId, rev!.id, status, numExes, recipeId, recipeId, node],
    );
    await h.sql('insert into recipe_node (recipe_id, node_name, job_id) values (?, ?, ?)', [recipeId, node, job!.id]);
    return Number(job!.id);
  }

  beforeAll(async () => {
    h = await startHarness('recipes');
    engine = startFakeRecipeEngine(h);
    stepTypeId = await insertJobType(h, 'step', { inputs: ['X'], outputs: ['Y'] });
    await insertJobType(h, 'join', { inputs: ['L', 'R'], outputs: ['Y'] });
    const created = await inject('POST', '/v6/recipe-types/', { title: 'Diamond', definition: diamondDefinition() });
    typeId = created.json().id;
  });
  afterAll(async () => {
    await engine.stop();
    await h.close();
  });

  it('recipes - POST asks the recipe engine and answers 201 with the details', async () => {
    const res = await inject(
      'POST',
      '/v6/recipes/',
      { recipe_type_id: typeId, input: { json: { n: 3 } }, configuration: { priority: 7 } },
      { 'Idempotency-Key': 'k-1' },
    );
    expect(res.statusCode).toBe(201);
    expect(engine.creates.at(-1)).toEqual({
      recipeTypeId: typeId,
      input: { files: {}, json: { n: 3 } },
      configuration: { priority: 7 },
      idempotencyKey: 'k-1',
    });
    const body = res.json();
    expect(res.headers.location).toBe(`/v6/recipes/${body.id}/`);
    expect(Object.keys(body)).toEqual([
      'id',
      'recipe_type',
      'recipe_type_rev',
      'event',
      'recipe',
      'batch',
      'is_superseded',
      'superseded_recipe',
      'superseded_by_recipe',
      'input',
      'input_file_size',
      'source_started',
      'source_ended',
      'source_sensor_class',
      'source_sensor',
      'source_collection',
      'source_task',
      'jobs_total',
      'jobs_pending',
      'jobs_blocked',
      'jobs_queued',
      'jobs_running',
      'jobs_failed',
      'jobs_completed',
      'jobs_canceled',
      'sub_recipes_total',
      'sub_recipes_completed',
      'is_completed',
      'created',
      'completed',
      'superseded',
      'last_modified',
      'details',
      'job_types',
      'sub_recipe_types',
    ]);
    expect(body).toMatchObject({
      recipe_type: { id: typeId, name: 'diamond', title: 'Diamond', revision_num: 1 },
      recipe_type_rev: { recipe_type: { id: typeId }, revision_num: 1 },
      event: null,
      recipe: null,
      is_superseded: false,
      input: { files: {}, json: { n: 3 } },
      jobs_total: 0,
      details: { nodes: {} },
    });
    expect(body.job_types.map((j: { name: string }) => j.name)).toEqual(['join', 'step']);
  });

  it('recipes - the engine refusing the input is a 400 on the API field names', async () => {
    const res = await inject('POST', '/v6/recipes/', { recipe_type_id: typeId, input: { json: { bad: 1 } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual({ 'input.json.bad': ['unknown input "bad"'] });
    const missing = await inject('POST', '/v6/recipes/', { recipe_type_id: 999, input: {} });
    expect(missing.json().errors).toEqual({ recipe_type_id: ['recipe type 999 does not exist'] });
  });

  it('recipes - a configuration with output workspaces, mounts and settings goes to the engine; bad ones are 400s', async () => {
    await h.sql(
      `insert into workspace (name, title, json_config) values ('recipe-out', 'Recipe out', '{"broker": {"type": "host", "host_path": "/tmp"}}')`,
    );
    const configuration = {
      output_workspaces: { default: 'recipe-out', outputs: { Y: 'recipe-out' } },
      mounts: { refs: { type: 'host', host_path: '/data/refs' } },
      settings: { MODE: 'careful' },
    };
    const created = await inject('POST', '/v6/recipes/', { recipe_type_id: typeId, input: {}, configuration });
    expect(created.statusCode).toBe(201);
    expect(engine.creates.at(-1)?.configuration).toEqual(configuration);
    const before = engine.creates.length;
    const unknown = await inject('POST', '/v6/recipes/', {
      recipe_type_id: typeId,
      input: {},
      configuration: { output_workspaces: { default: 'nowhere', outputs: { Y: 'recipe-out' } } },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual({
      'configuration.output_workspaces.default': ['workspace "nowhere" does not exist or is not active'],
    });
    const relative = await inject('POST', '/v6/recipes/', {
      recipe_type_id: typeId,
      input: {},
      configuration: { mounts: { refs: { type: 'host', host_path: 'data/refs' } }, settings: { MODE: 3 } },
    });
    expect(relative.statusCode).toBe(400);
    expect(Object.keys(relative.json().errors).sort()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^configuration\.mounts\.refs/), 'configuration.settings.MODE']),
    );
    expect(engine.creates.length).toBe(before);
  });

  it('recipes - details show the instance graph with job, sub-recipe and condition nodes and derived counts', async () => {
    const subType = (
      await inject('POST', '/v6/recipe-types/', {
        title: 'Inner',
        definition: {
          input: { json: [{ name: 'v', type: 'integer' }] },
          nodes: { s: { dependencies: [], input: { X: { type: 'recipe', input: 'v' } }, node_type: jobNode('step') } },
        },
      })
    ).json();
    const outer = (
      await inject('POST', '/v6/recipe-types/', {
        title: 'Outer',
        definition: {
          input: { json: [{ name: 'n', type: 'integer' }] },
          nodes: {
            a: { dependencies: [], input: { X: { type: 'recipe', input: 'n' } }, node_type: jobNode('step') },
            gate: {
              dependencies: [{ name: 'a' }],
              input: { v: { type: 'dependency', node: 'a', output: 'Y' } },
              node_type: {
                node_type: 'condition',
                interface: { json: [{ name: 'v', type: 'integer' }] },
                data_filter: { filters: [{ name: 'v', type: 'integer', condition: '>', values: [0] }] },
              },
            },
            sub: {
              dependencies: [{ name: 'gate' }],
              input: { v: { type: 'dependency', node: 'gate', output: 'v' } },
              node_type: { node_type: 'recipe', recipe_type_name: subType.name, recipe_type_revision: 1 },
            },
            z: {
              dependencies: [{ name: 'sub' }],
              input: { X: { type: 'recipe', input: 'n' } },
              node_type: jobNode('step'),
            },
          },
        },
      })
    ).json();
    const id = (await inject('POST', '/v6/recipes/', { recipe_type_id: outer.id, input: { json: { n: 1 } } })).json()
      .id;
    const a = await insertJob(id, 'a', 'COMPLETED');
    const [condition] = await h.sql<{ id: string }>(
      `insert into recipe_condition (root_recipe_id, recipe_id, data, is_processed, is_accepted, processed)
       values (?, ?, '{"files": {}, "json": {"v": 2}}', true, true, now()) returning id`,
      [id, id],
    );
    await h.sql('insert into recipe_node (recipe_id, node_name, condition_id) values (?, ?, ?)', [
      id,
      'gate',
      condition!.id,
    ]);
    const [rev] = await h.sql<{ id: number }>('select id from recipe_type_revision where recipe_type_id = ?', [
      subType.id,
    ]);
    const [sub] = await h.sql<{ id: string }>(
      `insert into recipe (recipe_type_id, recipe_type_rev_id, recipe_id, root_recipe_id, recipe_node_name, input)
       values (?, ?, ?, ?, 'sub', '{"files": {}, "json": {"v": 2}}') returning id`,
      [subType.id, rev!.id, id, id],
    );
    await h.sql('insert into recipe_node (recipe_id, node_name, sub_recipe_id) values (?, ?, ?)', [id, 'sub', sub!.id]);
    const s = await insertJob(Number(sub!.id), 's', 'FAILED');
    const z = await insertJob(id, 'z', 'BLOCKED', 0);

    const body = (await inject('GET', `/v6/recipes/${id}/`)).json();
    expect(body.details).toEqual({
      nodes: {
        a: {
          dependencies: [],
          node_type: {
            node_type: 'job',
            job_type_name: 'step',
            job_type_version: '1.0.0',
            job_type_revision: 1,
            job_id: a,
            status: 'COMPLETED',
          },
        },
        gate: {
          dependencies: [{ name: 'a' }],
          node_type: {
            node_type: 'condition',
            condition_id: Number(condition!.id),
            is_processed: true,
            is_accepted: true,
          },
        },
        sub: {
          dependencies: [{ name: 'gate' }],
          node_type: {
            node_type: 'recipe',
            recipe_type_name: 'inner',
            recipe_type_revision: 1,
            recipe_id: Number(sub!.id),
            is_completed: false,
            jobs_total: 1,
            jobs_pending: 0,
            jobs_blocked: 0,
            jobs_queued: 0,
            jobs_running: 0,
            jobs_failed: 1,
            jobs_completed: 0,
            jobs_canceled: 0,
            sub_recipes_total: 0,
            sub_recipes_completed: 0,
          },
        },
        z: {
          dependencies: [{ name: 'sub' }],
          node_type: {
            node_type: 'job',
            job_type_name: 'step',
            job_type_version: '1.0.0',
            job_type_revision: 1,
            job_id: z,
            status: 'BLOCKED',
          },
        },
      },
    });
    expect(body).toMatchObject({
      jobs_total: 3,
      jobs_completed: 1,
      jobs_failed: 1,
      jobs_blocked: 1,
      sub_recipes_total: 1,
      sub_recipes_completed: 0,
      sub_recipe_types: [{ id: subType.id, name: 'inner', title: 'Inner', description: null, revision_num: 1 }],
    });
    const child = (await inject('GET', `/v6/recipes/${sub!.id}/`)).json();
    expect(child.recipe).toMatchObject({ id, recipe_type: { name: 'outer' } });
    expect(s).toBeGreaterThan(0);

    const list = (await inject('GET', `/v6/recipes/?root_recipe_id=${id}`)).json();
    expect(list.results.map((r: { id: number }) => r.id)).toEqual([Number(sub!.id)]);
    const byType = (await inject('GET', '/v6/recipes/?recipe_type_name=outer&recipe_type_name=inner&order=id')).json();
    expect(byType.results.map((r: { id: number }) => r.id)).toEqual([id, Number(sub!.id)]);
    expect(byType.results[0]).toMatchObject({ jobs_total: 3, is_completed: false });
    expect(byType.results[0].input).toBeUndefined();
  });

  it('recipes - the list filters on completion and supersession and pages', async () => {
    await h.sql(`update recipe set is_completed = true, completed = now() where recipe_type_id = ?`, [typeId]);
    const done = (await inject('GET', `/v6/recipes/?is_completed=true&recipe_type_id=${typeId}`)).json();
    expect(done.count).toBeGreaterThan(0);
    expect(done.results.every((r: { is_completed: boolean }) => r.is_completed)).toBe(true);
    const all = (await inject('GET', '/v6/recipes/?page_size=1&order=-id')).json();
    expect(all.results).toHaveLength(1);
    expect(all.next).toMatch(/page=2/);
    expect((await inject('GET', '/v6/recipes/?is_superseded=maybe')).statusCode).toBe(400);
    expect((await inject('GET', '/v6/recipes/9999/')).statusCode).toBe(404);
    expect((await inject('GET', '/v6/recipes/abc/')).statusCode).toBe(404);
  });

  it('recipes - v5 queue new recipe answers the v5 details, with v5 field names in errors', async () => {
    for (const url of ['/queue/new-recipe/', '/v5/queue/new-recipe/', '/v6/recipe/']) {
      const res = await inject('POST', url, {
        recipe_type_id: typeId,
        recipe_data: { version: '1.0', input_data: [{ name: 'n', value: 4 }], workspace_id: 2 },
      });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(Object.keys(body)).toEqual([
        'id',
        'recipe_type',
        'event',
        'created',
        'completed',
        'last_modified',
        'data',
        'input_files',
        'jobs',
      ]);
      expect(body.data).toEqual({ version: '1.0', input_data: [{ name: 'n', value: 4 }], workspace_id: 2 });
      expect(body.recipe_type.definition).toEqual({
        version: '1.0',
        input_data: [{ name: 'n', type: 'property', required: true }],
        jobs: [
          {
            name: 'a',
            job_type: { name: 'step', version: '1.0.0' },
            recipe_inputs: [{ job_input: 'X', recipe_input: 'n' }],
            dependencies: [],
          },
          {
            name: 'b',
            job_type: { name: 'step', version: '1.0.0' },
            recipe_inputs: [],
            dependencies: [{ name: 'a', connections: [{ output: 'Y', input: 'X' }] }],
          },
          {
            name: 'c',
            job_type: { name: 'step', version: '1.0.0' },
            recipe_inputs: [],
            dependencies: [{ name: 'a', connections: [{ output: 'Y', input: 'X' }] }],
          },
          {
            name: 'd',
            job_type: { name: 'join', version: '1.0.0' },
            recipe_inputs: [],
            dependencies: [
              { name: 'b', connections: [{ output: 'Y', input: 'L' }] },
              { name: 'c', connections: [{ output: 'Y', input: 'R' }] },
            ],
          },
        ],
      });
    }
    const withJob = (
      await inject('POST', '/queue/new-recipe/', { recipe_type_id: typeId, recipe_data: { input_data: [] } })
    ).json();
    await insertJob(withJob.id, 'a', 'RUNNING');
    const v5 = await recipeV5(withJob.id);
    expect(v5.jobs).toHaveLength(1);
    expect(v5.jobs[0]).toMatchObject({ job_name: 'a', job: { status: 'RUNNING', job_type: { name: 'step' } } });
    const bad = await inject('POST', '/queue/new-recipe/', {
      recipe_type_id: typeId,
      recipe_data: { input_data: [{ name: 'bad', value: 1 }] },
    });
    expect(bad.json().errors).toEqual({ 'recipe_data.input_data.bad': ['unknown input "bad"'] });
  });

  const recipeV5 = (id: number) => recipeV5Body(h.orm.em.fork(), id);

  it('recipes - reprocess answers 202 with the new recipe, or 400 on forced_nodes', async () => {
    const res = await inject('POST', '/v6/recipes/5/reprocess/', {
      forced_nodes: { all: false, nodes: ['b'] },
      revision_num: 1,
    });
    expect(res.statusCode).toBe(202);
    expect(res.headers.location).toBe('/v6/recipes/1005/');
    expect(res.body).toBe('');
    expect(engine.reprocesses.at(-1)).toEqual({
      recipeId: 5,
      forcedNodes: { all: false, nodes: ['b'] },
      revisionNum: 1,
    });
    const nothing = await inject('POST', '/v6/recipes/5/reprocess/', { forced_nodes: { all: false } });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.json().errors).toEqual({ forced_nodes: ['nothing to reprocess'] });
    expect((await inject('POST', '/v6/recipes/5/reprocess/', {})).json().errors).toEqual({
      forced_nodes: ['This field is required.'],
    });
  });

  it('recipes - input files list the catalogue entries of the recipe input', async () => {
    const [workspace] = await h.sql<{ id: number }>(
      `insert into workspace (name, title, json_config) values ('raw', 'Raw', '{"broker": {"type": "host", "host_path": "/tmp"}}') returning id`,
    );
    const [file] = await h.sql<{ id: string }>(
      `insert into scale_file (file_name, media_type, file_size, file_path, workspace_id) values ('a.tif', 'image/tiff', 10, 'a.tif', ?) returning id`,
      [workspace!.id],
    );
    const [recipe] = await h.sql<{ id: string }>('select max(id) as id from recipe');
    await h.sql(`insert into recipe_input_file (recipe_id, input_file_id, recipe_input) values (?, ?, 'image')`, [
      recipe!.id,
      file!.id,
    ]);
    const res = (await inject('GET', `/v6/recipes/${recipe!.id}/input_files/`)).json();
    expect(res.count).toBe(1);
    expect(res.results[0]).toMatchObject({ id: Number(file!.id), file_name: 'a.tif', media_type: 'image/tiff' });
    const none = (await inject('GET', `/v6/recipes/${recipe!.id}/input_files/?recipe_input=other`)).json();
    expect(none.count).toBe(0);
    expect((await inject('GET', '/v6/recipes/99999/input_files/')).statusCode).toBe(404);
  });

  it('recipes - without a recipe engine answering, creating a recipe is a 503', async () => {
    await engine.stop();
    const res = await inject('POST', '/v6/recipes/', { recipe_type_id: typeId, input: { json: { n: 1 } } });
    expect(res.statusCode).toBe(503);
    engine = startFakeRecipeEngine(h);
  });
});
