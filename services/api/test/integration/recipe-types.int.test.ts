import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { diamondDefinition, insertJobType, jobNode } from '../fixtures/recipe-catalogue.ts';

describe('recipe types', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('recipetypes');
    await insertJobType(h, 'step', { inputs: ['X'], outputs: ['Y'] });
    await insertJobType(h, 'join', { inputs: ['L', 'R'], outputs: ['Y'] });
  });
  afterAll(async () => {
    await h.close();
  });

  const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    h.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('recipe types - POST derives the name from the title and answers 201 with the details', async () => {
    const res = await inject('POST', '/v6/recipe-types/', {
      title: 'My Diamond',
      description: 'a to b and c to d',
      definition: diamondDefinition(),
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('/v6/recipe-types/my-diamond/');
    const body = res.json();
    expect(body).toMatchObject({
      name: 'my-diamond',
      title: 'My Diamond',
      description: 'a to b and c to d',
      is_active: true,
      is_system: false,
      revision_num: 1,
      definition: diamondDefinition(),
      sub_recipe_types: [],
      deprecated: null,
    });
    expect(body.job_types.map((jt: { name: string }) => jt.name)).toEqual(['join', 'step']);
    expect(Object.keys(body)).toEqual([
      'id',
      'name',
      'title',
      'description',
      'is_active',
      'is_system',
      'revision_num',
      'definition',
      'job_types',
      'sub_recipe_types',
      'created',
      'deprecated',
      'last_modified',
    ]);
    const links = await h.sql('select job_type_id from recipe_type_job_link where recipe_type_id = ?', [body.id]);
    expect(links).toHaveLength(2);

    const again = await inject('POST', '/v6/recipe-types/', { title: 'My Diamond', definition: diamondDefinition() });
    expect(again.json().name).toBe('my-diamond-2');
  });

  it('recipe types - an invalid definition is a 400 naming each field, and nothing is written', async () => {
    const definition = diamondDefinition() as {
      nodes: Record<string, { dependencies: { name: string }[]; input: Record<string, unknown> }>;
    };
    definition.nodes.b!.dependencies = [{ name: 'ghost' }];
    definition.nodes.d!.input = { L: { type: 'dependency', node: 'b', output: 'Y' } };
    const before = await h.sql<{ n: string }>('select count(*) as n from recipe_type');
    const res = await inject('POST', '/v6/recipe-types/', { title: 'Broken', definition });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.errors['definition.nodes.b.dependencies.0.name']).toEqual([
      'UNKNOWN_NODE: Node b depends on unknown node ghost',
    ]);
    expect(body.errors['definition.nodes.b.input.X.node']).toEqual([
      'MISSING_DEPENDENCY: Node b takes input from a but does not depend on it',
    ]);
    expect(body.errors['definition.nodes.d.input']).toEqual([
      'MISSING_INPUT: Required input R of node d is not connected',
    ]);
    expect(await h.sql<{ n: string }>('select count(*) as n from recipe_type')).toEqual(before);

    const schema = await inject('POST', '/v6/recipe-types/', {
      title: 'Bad',
      definition: { input: {}, nodes: { a: { dependencies: [], input: {}, node_type: { node_type: 'job' } } } },
    });
    expect(schema.statusCode).toBe(400);
    expect(Object.keys(schema.json().errors)).toContain('definition.nodes.a.node_type.job_type_name');
    expect((await inject('POST', '/v6/recipe-types/', { definition: diamondDefinition() })).json().errors).toEqual({
      title: ['This field is required.'],
    });
  });

  it('recipe types - validation answers is_valid, errors, warnings and the diff against the current revision', async () => {
    const next = diamondDefinition();
    next.nodes.d.node_type = jobNode('join', 1, '1.0.0');
    (next.nodes as Record<string, unknown>).e = {
      dependencies: [{ name: 'd' }],
      input: { X: { type: 'dependency', node: 'd', output: 'Y' } },
      node_type: jobNode('step'),
    };
    const res = await inject('POST', '/v6/recipe-types/validation/', { name: 'my-diamond', definition: next });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ is_valid: true, errors: [], warnings: [] });
    expect(body.diff.can_be_reprocessed).toBe(true);
    expect(body.diff.nodes.a).toMatchObject({ status: 'UNCHANGED', reprocess_new_node: false });
    expect(body.diff.nodes.e).toMatchObject({ status: 'NEW', reprocess_new_node: true, dependencies: [{ name: 'd' }] });

    const invalid = await inject('POST', '/v6/recipe-types/validation/', {
      definition: { input: {}, nodes: { a: { dependencies: [{ name: 'a' }], input: {}, node_type: jobNode('step') } } },
    });
    expect(invalid.json()).toMatchObject({ is_valid: false, diff: {} });
    expect(
      invalid
        .json()
        .errors.map((e: { name: string }) => e.name)
        .sort(),
    ).toEqual(['CYCLIC_DEPENDENCY', 'MISSING_INPUT']);
    const unparsable = await inject('POST', '/v6/recipe-types/validation/', { definition: { nodes: 3 } });
    expect(unparsable.json().is_valid).toBe(false);
    expect(unparsable.json().errors[0].name).toBe('INVALID_DEFINITION');

    const breaking = { ...diamondDefinition(), input: { json: [{ name: 'n', type: 'string' }] } };
    const changed = await inject('POST', '/v6/recipe-types/validation/', { name: 'my-diamond', definition: breaking });
    expect(changed.json().diff.can_be_reprocessed).toBe(false);
    expect(changed.json().diff.reasons[0].name).toBe('INPUT_CHANGE');
    expect(changed.json().warnings.map((w: { name: string }) => w.name)).toContain('REPROCESS_WARNING');
  });

  it('recipe types - PATCH revises the definition, revisions are listed and shown', async () => {
    const next = diamondDefinition();
    delete (next.nodes as Record<string, unknown>).c;
    next.nodes.d.dependencies = [{ name: 'b' }];
    next.nodes.d.input = {
      L: { type: 'dependency', node: 'b', output: 'Y' },
      R: { type: 'dependency', node: 'b', output: 'Y' },
    };
    const res = await inject('PATCH', '/v6/recipe-types/my-diamond/', { definition: next, title: 'Diamond 2' });
    expect(res.statusCode).toBe(204);
    const unchanged = await inject('PATCH', '/v6/recipe-types/my-diamond/', { definition: next });
    expect(unchanged.statusCode).toBe(204);
    const details = (await inject('GET', '/v6/recipe-types/my-diamond/')).json();
    expect(details).toMatchObject({ title: 'Diamond 2', revision_num: 2, definition: next });

    const revisions = (await inject('GET', '/v6/recipe-types/my-diamond/revisions/')).json();
    expect(revisions.count).toBe(2);
    expect(revisions.results.map((r: { revision_num: number }) => r.revision_num)).toEqual([2, 1]);
    expect(revisions.results[0].recipe_type).toEqual({
      id: details.id,
      name: 'my-diamond',
      title: 'Diamond 2',
      description: 'a to b and c to d',
      revision_num: 2,
    });
    const first = (await inject('GET', '/v6/recipe-types/my-diamond/revisions/1/')).json();
    expect(first).toMatchObject({
      revision_num: 1,
      definition: diamondDefinition(),
      recipe_type: { name: 'my-diamond' },
    });
    expect((await inject('GET', '/v6/recipe-types/my-diamond/revisions/9/')).statusCode).toBe(404);
    expect((await inject('GET', '/v6/recipe-types/nope/')).statusCode).toBe(404);
    expect((await inject('PATCH', '/v6/recipe-types/nope/', { title: 'x' })).statusCode).toBe(404);

    const deactivated = await inject('PATCH', '/v6/recipe-types/my-diamond/', { is_active: false });
    expect(deactivated.statusCode).toBe(204);
    const after = (await inject('GET', '/v6/recipe-types/my-diamond/')).json();
    expect(after.is_active).toBe(false);
    expect(after.deprecated).not.toBeNull();
  });

  it('recipe types - a sub-recipe type edit moves its parents to the new revision (auto_update)', async () => {
    const child = (
      await inject('POST', '/v6/recipe-types/', {
        title: 'Child',
        definition: {
          input: { json: [{ name: 'v', type: 'integer' }] },
          nodes: { s: { dependencies: [], input: { X: { type: 'recipe', input: 'v' } }, node_type: jobNode('step') } },
        },
      })
    ).json();
    const parentDefinition = {
      input: { json: [{ name: 'n', type: 'integer' }] },
      nodes: {
        sub: {
          dependencies: [],
          input: { v: { type: 'recipe', input: 'n' } },
          node_type: { node_type: 'recipe', recipe_type_name: child.name, recipe_type_revision: 1 },
        },
      },
    };
    const parent = (
      await inject('POST', '/v6/recipe-types/', { title: 'Parent', definition: parentDefinition })
    ).json();
    expect(parent.sub_recipe_types.map((s: { name: string }) => s.name)).toEqual(['child']);

    const childNext = {
      input: { json: [{ name: 'v', type: 'integer' }] },
      nodes: {
        s: { dependencies: [], input: { X: { type: 'recipe', input: 'v' } }, node_type: jobNode('step') },
        t: {
          dependencies: [{ name: 's' }],
          input: { X: { type: 'dependency', node: 's', output: 'Y' } },
          node_type: jobNode('step'),
        },
      },
    };
    expect((await inject('PATCH', '/v6/recipe-types/child/', { definition: childNext })).statusCode).toBe(204);
    const updated = (await inject('GET', '/v6/recipe-types/parent/')).json();
    expect(updated.revision_num).toBe(2);
    expect(updated.definition.nodes.sub.node_type.recipe_type_revision).toBe(2);

    const selfContaining = {
      input: {},
      nodes: {
        p: {
          dependencies: [],
          input: {},
          node_type: { node_type: 'recipe', recipe_type_name: 'parent', recipe_type_revision: 2 },
        },
      },
    };
    const rejected = await inject('PATCH', '/v6/recipe-types/child/', { definition: selfContaining });
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json().errors['definition.nodes.p.node_type'][0]).toMatch(/RECIPE_TYPE_RECURSION/);
  });

  it('recipe types - the list pages, filters and orders', async () => {
    const all = (await inject('GET', '/v6/recipe-types/?order=name')).json();
    expect(all.results.map((r: { name: string }) => r.name)).toEqual(['child', 'my-diamond', 'my-diamond-2', 'parent']);
    expect(Object.keys(all.results[0])).toEqual([
      'id',
      'name',
      'title',
      'description',
      'is_active',
      'is_system',
      'revision_num',
      'created',
      'deprecated',
      'last_modified',
    ]);
    const active = (await inject('GET', '/v6/recipe-types/?is_active=false')).json();
    expect(active.results.map((r: { name: string }) => r.name)).toEqual(['my-diamond']);
    const keyword = (await inject('GET', '/v6/recipe-types/?keyword=CHI&keyword=paren&order=-name')).json();
    expect(keyword.results.map((r: { name: string }) => r.name)).toEqual(['parent', 'child']);
    const paged = (await inject('GET', '/v6/recipe-types/?order=name&page_size=3&page=2')).json();
    expect(paged).toMatchObject({ count: 4, next: null });
    expect(paged.previous).toMatch(/page_size=3/);
    expect((await inject('GET', '/v6/recipe-types/?order=bogus')).statusCode).toBe(400);
  });
});
