import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { jobNode } from '../fixtures/recipe-catalogue.ts';

/** A job type taking the integer X and producing the integer Y and the file REPORT. */
function stepManifest(name: string, description = 'One step') {
  return {
    seedVersion: '1.0.0',
    job: {
      name,
      jobVersion: '1.0.0',
      packageVersion: '1.0.0',
      title: 'Step',
      description,
      timeout: 60,
      maintainer: { name: 'Jane Doe', email: 'jane@example.com' },
      interface: {
        command: 'step ${X} ${OUTPUT_DIR}',
        inputs: { json: [{ name: 'X', type: 'integer' }] },
        outputs: { json: [{ name: 'Y', type: 'integer' }], files: [{ name: 'REPORT', pattern: 'report.txt' }] },
      },
    },
  };
}

/** A one-node recipe type running `jobType` revision `revision` on the recipe input n. */
function oneStep(jobType: string, revision = 1) {
  return {
    input: { json: [{ name: 'n', type: 'integer' }] },
    nodes: {
      only: { dependencies: [], input: { X: { type: 'recipe', input: 'n' } }, node_type: jobNode(jobType, revision) },
    },
  };
}

describe('job types: recipe types that use them, output workspaces, container options', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness('jtrecipes');
    await h.sql(
      `insert into workspace (name, title, json_config, is_active)
       values ('products', 'Products', '{"broker": {"type": "host", "host_path": "/tmp/products"}}', true),
              ('reports', 'Reports', '{"broker": {"type": "host", "host_path": "/tmp/reports"}}', true),
              ('retired', 'Retired', '{"broker": {"type": "host", "host_path": "/tmp/retired"}}', false)`,
    );
  });
  afterAll(async () => {
    await h.close();
  });

  const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    h.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
  const recipeType = async (name: string) => (await inject('GET', `/v6/recipe-types/${name}/`)).json();

  describe('auto_update and recipe_types', () => {
    let recipeTypeId: number;

    beforeAll(async () => {
      expect(
        (await inject('POST', '/v6/job-types/', { docker_image: 'step:1', manifest: stepManifest('stepper') }))
          .statusCode,
      ).toBe(201);
      const created = await inject('POST', '/v6/recipe-types/', {
        title: 'Uses Stepper',
        description: 'runs stepper once',
        definition: oneStep('stepper'),
      });
      expect(created.statusCode).toBe(201);
      recipeTypeId = created.json().id;
    });

    it('GET details - recipe_types lists the recipe types whose definition uses the job type', async () => {
      const body = (await inject('GET', '/v6/job-types/stepper/1.0.0/')).json();
      expect(body.recipe_types).toEqual([
        {
          id: recipeTypeId,
          name: 'uses-stepper',
          title: 'Uses Stepper',
          description: 'runs stepper once',
          is_active: true,
          is_system: false,
          revision_num: 1,
          created: expect.any(String),
          deprecated: null,
          last_modified: expect.any(String),
        },
      ]);
      const unused = await inject('POST', '/v6/job-types/', {
        docker_image: 'step:1',
        manifest: stepManifest('unused'),
      });
      expect(unused.json().recipe_types).toEqual([]);
      expect((await inject('GET', '/v6/job-types/unused/1.0.0/')).json().recipe_types).toEqual([]);
    });

    it('PATCH - a new revision with auto_update (the default) moves the recipe types to it', async () => {
      const res = await inject('PATCH', '/v6/job-types/stepper/1.0.0/', {
        manifest: stepManifest('stepper', 'One step, revised'),
      });
      expect(res.statusCode).toBe(200);
      expect((await inject('GET', '/v6/job-types/stepper/1.0.0/')).json().revision_num).toBe(2);
      const rt = await recipeType('uses-stepper');
      expect(rt.revision_num).toBe(2);
      expect(rt.definition.nodes.only.node_type).toEqual(jobNode('stepper', 2));
      const revisions = await h.sql<{ revision_num: number; rev: number }>(
        `select r.revision_num, (r.definition->'nodes'->'only'->'node_type'->>'job_type_revision')::int as rev
           from recipe_type_revision r where r.recipe_type_id = ? order by r.revision_num`,
        [recipeTypeId],
      );
      expect(revisions).toEqual([
        { revision_num: 1, rev: 1 },
        { revision_num: 2, rev: 2 },
      ]);
      expect((await inject('GET', '/v6/job-types/stepper/1.0.0/')).json().recipe_types[0].revision_num).toBe(2);
    });

    it('PATCH - an edit that makes no revision leaves the recipe types alone', async () => {
      expect((await inject('PATCH', '/v6/job-types/stepper/1.0.0/', { is_published: true })).statusCode).toBe(200);
      expect((await recipeType('uses-stepper')).revision_num).toBe(2);
    });

    it('PATCH - auto_update false revises the job type only', async () => {
      const res = await inject('PATCH', '/v6/job-types/stepper/1.0.0/', {
        manifest: stepManifest('stepper', 'One step, revised again'),
        auto_update: false,
      });
      expect(res.statusCode).toBe(200);
      expect((await inject('GET', '/v6/job-types/stepper/1.0.0/')).json().revision_num).toBe(3);
      const rt = await recipeType('uses-stepper');
      expect(rt.revision_num).toBe(2);
      expect(rt.definition.nodes.only.node_type).toEqual(jobNode('stepper', 2));
    });

    it('PATCH - a revision the recipe type cannot use (its input is gone) keeps the recipe type as it is', async () => {
      const manifest = stepManifest('stepper', 'No X');
      manifest.job.interface.command = 'step ${OUTPUT_DIR}';
      manifest.job.interface.inputs = { json: [] };
      const res = await inject('PATCH', '/v6/job-types/stepper/1.0.0/', { manifest });
      expect(res.statusCode).toBe(200);
      expect((await inject('GET', '/v6/job-types/stepper/1.0.0/')).json().revision_num).toBe(4);
      expect((await recipeType('uses-stepper')).revision_num).toBe(2);
    });
    it('POST of an existing name+version - a new revision follows auto_update too', async () => {
      const res = await inject('POST', '/v6/job-types/', { docker_image: 'step:2', manifest: stepManifest('stepper') });
      expect(res.statusCode).toBe(200);
      expect(res.json().revision_num).toBe(5);
      const rt = await recipeType('uses-stepper');
      expect(rt.revision_num).toBe(3);
      expect(rt.definition.nodes.only.node_type).toEqual(jobNode('stepper', 5));
    });
  });

  describe('configuration.output_workspaces', () => {
    it('POST - output workspaces must be active workspaces: 400 naming each unknown one', async () => {
      const res = await inject('POST', '/v6/job-types/', {
        docker_image: 'step:1',
        manifest: stepManifest('outputs'),
        configuration: { output_workspaces: { default: 'nowhere', outputs: { REPORT: 'retired' } } },
      });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json().errors).sort()).toEqual([
        'configuration.output_workspaces.default',
        'configuration.output_workspaces.outputs.REPORT',
      ]);
      expect(await h.sql(`select id from job_type where name = 'outputs'`)).toEqual([]);
    });

    it('POST and PATCH - active workspaces are accepted and stored; PATCH refuses an unknown one', async () => {
      const configuration = { output_workspaces: { default: 'products', outputs: { REPORT: 'reports' } } };
      const res = await inject('POST', '/v6/job-types/', {
        docker_image: 'step:1',
        manifest: stepManifest('outputs'),
        configuration,
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().configuration).toMatchObject(configuration);
      const bad = await inject('PATCH', '/v6/job-types/outputs/1.0.0/', {
        configuration: { output_workspaces: { default: 'products', outputs: { REPORT: 'gone' } } },
      });
      expect(bad.statusCode).toBe(400);
      expect(Object.keys(bad.json().errors)).toEqual(['configuration.output_workspaces.outputs.REPORT']);
      expect((await inject('GET', '/v6/job-types/outputs/1.0.0/')).json().configuration).toMatchObject(configuration);
    });

    it('validation - unknown output workspaces are errors', async () => {
      const res = await inject('POST', '/v6/job-types/validation/', {
        manifest: stepManifest('outputs'),
        configuration: { output_workspaces: { default: 'nowhere' } },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().is_valid).toBe(false);
      expect(res.json().errors).toEqual([
        expect.objectContaining({ description: expect.stringMatching(/^configuration\.output_workspaces\.default: /) }),
      ]);
    });
  });

  describe('configuration.container', () => {
    it('POST and PATCH - container options are validated, stored and returned', async () => {
      const res = await inject('POST', '/v6/job-types/', {
        docker_image: 'step:1',
        manifest: stepManifest('contained'),
        configuration: { container: { network: true, writable_root: true } },
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().configuration.container).toEqual({ network: true, writable_root: true });
      const [row] = await h.sql<{ container: unknown }>(
        `select configuration->'container' as container from job_type where name = 'contained'`,
      );
      expect(row!.container).toEqual({ network: true, writable_root: true });

      const patched = await inject('PATCH', '/v6/job-types/contained/1.0.0/', {
        configuration: { container: { image_user: true } },
      });
      expect(patched.statusCode).toBe(200);
      expect((await inject('GET', '/v6/job-types/contained/1.0.0/')).json().configuration.container).toEqual({
        image_user: true,
      });

      for (const container of [{ network: 'yes' }, { privileged: true }]) {
        const bad = await inject('PATCH', '/v6/job-types/contained/1.0.0/', { configuration: { container } });
        expect(bad.statusCode).toBe(400);
        expect(Object.keys(bad.json().errors)[0]).toMatch(/^configuration\.container/);
      }
    });
  });
});
