/**
 * Workspaces and the files catalogue through the API on a real database and real host folders: workspace
 * creation (idempotent, validated), edits and validation; file registration (refusing paths that leave the
 * workspace and unknown workspaces), lists and details; jobs queued with input files; a job's input files and
 * executions.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeScheduler } from '../fixtures/fake-scheduler.ts';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { fileInputManifest, manifest } from '../fixtures/manifests.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('workspaces and files', () => {
  let h: Harness;
  let root: string;
  let rawFolder: string;
  let scheduler: ReturnType<typeof startFakeScheduler>;

  const inject = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) => {
    const res = await h.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, json: res.body ? res.json() : undefined, headers: res.headers };
  };
  const hostConfig = (path: string) => ({ broker: { type: 'host', host_path: path } });

  beforeAll(async () => {
    h = await startHarness('workspacesfiles', { commandTimeoutMs: 1000 });
    scheduler = startFakeScheduler(h);
    root = await mkdtemp(join(tmpdir(), 'scale-api-ws-'));
    rawFolder = join(root, 'raw');
    await mkdir(join(rawFolder, 'scenes', 'day1'), { recursive: true });
    await writeFile(join(rawFolder, 'scenes', 'day1', 'a.tif'), 'tiff bytes');
    await writeFile(join(rawFolder, 'notes.txt'), 'hello');
    await writeFile(join(root, 'outside.txt'), 'not in the workspace');
    await symlink(join(root, 'outside.txt'), join(rawFolder, 'escape.txt'));
  });

  afterAll(async () => {
    await scheduler.stop();
    await h.close();
    await rm(root, { recursive: true, force: true });
  });

  describe('workspaces', () => {
    let rawId: number;

    it('POST /v6/workspaces/ - creates a host workspace named after its title, 201 with Location', async () => {
      const res = await inject('POST', '/v6/workspaces/', {
        title: 'Raw Source',
        description: 'Raw Source Workspace',
        base_url: 'http://host.com/rs',
        configuration: hostConfig(rawFolder),
      });
      expect(res.status).toBe(201);
      rawId = res.json.id;
      expect(res.headers.location).toBe(`/v6/workspaces/${rawId}/`);
      expect(res.json).toEqual({
        id: rawId,
        name: 'raw-source',
        title: 'Raw Source',
        description: 'Raw Source Workspace',
        base_url: 'http://host.com/rs',
        is_active: true,
        created: expect.stringMatching(ISO),
        deprecated: null,
        last_modified: expect.stringMatching(ISO),
        configuration: hostConfig(rawFolder),
      });
    });

    it('POST /v6/workspaces/ - a retried create answers with the first workspace; a different one with that name is refused', async () => {
      const body = {
        title: 'Raw Source',
        description: 'Raw Source Workspace',
        base_url: 'http://host.com/rs',
        configuration: hostConfig(rawFolder),
      };
      const again = await inject('POST', '/v6/workspaces/', body);
      expect(again.status).toBe(200);
      expect(again.json.id).toBe(rawId);
      const other = await inject('POST', '/v6/workspaces/', { ...body, description: 'another' });
      expect(other.status).toBe(400);
      expect(other.json.errors).toEqual({ title: ['A workspace named "raw-source" already exists.'] });
      const [count] = await h.sql<{ n: string }>('select count(*) as n from workspace');
      expect(Number(count!.n)).toBe(1);
    });

    const invalid: [string, unknown, Record<string, string[]>][] = [
      [
        'no title and no configuration',
        {},
        { title: ['This field is required.'], configuration: ['This field is required.'] },
      ],
      [
        'an s3 broker',
        { title: 'S3', configuration: { broker: { type: 's3', bucket_name: 'b' } } },
        { 'configuration.broker.type': ['broker type "s3" is not supported yet (supported: host)'] },
      ],
      [
        'a relative host path',
        { title: 'Rel', configuration: hostConfig('data/raw') },
        { 'configuration.broker.host_path': ['must be an absolute path'] },
      ],
      [
        'a host path with ..',
        { title: 'Up', configuration: hostConfig('/data/../etc') },
        { 'configuration.broker.host_path': ['must not contain ".." segments'] },
      ],
      [
        'a system folder',
        { title: 'Etc', configuration: hostConfig('/etc/scale') },
        { 'configuration.broker.host_path': ['must not be inside the system folder /etc'] },
      ],
      [
        'a title without a letter or digit',
        { title: '!!!', configuration: hostConfig('/data/raw') },
        { title: ['Must hold at least one letter or digit (the name comes from it).'] },
      ],
      [
        'an unknown field',
        { title: 'X', configuration: hostConfig('/data/raw'), json_config: {} },
        { json_config: ['Unrecognized field.'] },
      ],
    ];
    for (const [name, body, errors] of invalid) {
      it(`POST /v6/workspaces/ - ${name} → 400 naming the field, nothing written`, async () => {
        const res = await inject('POST', '/v6/workspaces/', body);
        expect(res.status).toBe(400);
        expect(res.json.errors).toEqual(errors);
        const [count] = await h.sql<{ n: string }>('select count(*) as n from workspace');
        expect(Number(count!.n)).toBe(1);
      });
    }

    it('POST /v6/workspaces/validation/ - valid, invalid, and a warning for a folder missing on this host', async () => {
      const ok = await inject('POST', '/v6/workspaces/validation/', {
        title: 'Products',
        configuration: hostConfig(join(root, 'products')),
      });
      expect(ok.status).toBe(200);
      expect(ok.json).toEqual({
        is_valid: true,
        errors: [],
        warnings: [
          {
            name: 'host_path',
            description: `${join(root, 'products')} does not exist on the API host; files cannot be registered until it does.`,
          },
        ],
      });
      const bad = await inject('POST', '/v6/workspaces/validation/', { title: 'Raw Source', configuration: {} });
      expect(bad.json).toEqual({
        is_valid: false,
        errors: [{ name: 'configuration.broker', description: 'This field is required.' }],
        warnings: [],
      });
      const taken = await inject('POST', '/v6/workspaces/validation/', {
        title: 'Raw Source',
        configuration: hostConfig(rawFolder),
      });
      expect(taken.json).toMatchObject({
        is_valid: false,
        errors: [{ name: 'title', description: 'A workspace named "raw-source" already exists.' }],
      });
      const edit = await inject('POST', '/v6/workspaces/validation/', { name: 'raw-source', title: 'Raw' });
      expect(edit.json).toEqual({ is_valid: true, errors: [], warnings: [] });
      const [count] = await h.sql<{ n: string }>('select count(*) as n from workspace');
      expect(Number(count!.n)).toBe(1);
    });

    it('GET /v6/workspaces/ and /{id}/ - list without configuration, details with it, filters and order', async () => {
      await mkdir(join(root, 'products'), { recursive: true });
      const products = await inject('POST', '/v6/workspaces/', {
        title: 'Products',
        configuration: hostConfig(join(root, 'products')),
      });
      expect(products.status).toBe(201);
      const list = await inject('GET', '/v6/workspaces/?order=-name');
      expect(list.json).toMatchObject({ count: 2, next: null, previous: null });
      expect(list.json.results.map((w: { name: string }) => w.name)).toEqual(['raw-source', 'products']);
      expect(list.json.results[0]).not.toHaveProperty('configuration');
      const named = await inject('GET', '/v6/workspaces/?name=products');
      expect(named.json.results.map((w: { id: number }) => w.id)).toEqual([products.json.id]);
      const details = await inject('GET', `/v6/workspaces/${rawId}/`);
      expect(details.json).toMatchObject({ id: rawId, configuration: hostConfig(rawFolder) });
      expect((await inject('GET', '/v6/workspaces/99999/')).status).toBe(404);
      expect((await inject('GET', '/v6/workspaces/?order=size')).status).toBe(400);
    });

    it('PATCH /v6/workspaces/{id}/ - 204; deactivating deprecates, reactivating clears it; bad edits are 400/404', async () => {
      const [ws] = await h.sql<{ id: number }>(
        `insert into workspace (name, title, json_config) values ('spare', 'Spare', ?) returning id`,
        [JSON.stringify(hostConfig(join(root, 'spare')))],
      );
      const off = await h.app.inject({
        method: 'PATCH',
        url: `/v6/workspaces/${ws!.id}/`,
        payload: { is_active: false, title: 'Old' },
      });
      expect(off.statusCode).toBe(204);
      expect(off.body).toBe('');
      const after = await inject('GET', `/v6/workspaces/${ws!.id}/`);
      expect(after.json).toMatchObject({ is_active: false, title: 'Old', deprecated: expect.stringMatching(ISO) });
      await inject('PATCH', `/v6/workspaces/${ws!.id}/`, { is_active: true });
      expect((await inject('GET', `/v6/workspaces/${ws!.id}/`)).json).toMatchObject({
        is_active: true,
        deprecated: null,
      });
      await inject('PATCH', `/v6/workspaces/${ws!.id}/`, { is_active: false });
      expect((await inject('PATCH', '/v6/workspaces/99999/', { title: 'x' })).status).toBe(404);
      const bad = await inject('PATCH', `/v6/workspaces/${ws!.id}/`, { configuration: hostConfig('/proc/x') });
      expect(bad.status).toBe(400);
      expect(bad.json.errors).toEqual({
        'configuration.broker.host_path': ['must not be inside the system folder /proc'],
      });
    });
  });

  describe('files', () => {
    let rawId: number;
    let spareId: number;
    let fileId: number;

    beforeAll(async () => {
      rawId = (await h.sql<{ id: number }>(`select id from workspace where name = 'raw-source'`))[0]!.id;
      spareId = (await h.sql<{ id: number }>(`select id from workspace where name = 'spare'`))[0]!.id;
    });

    it('POST /v6/files/ - registers a file already in the workspace, size from disk, media type from its name', async () => {
      const res = await inject('POST', '/v6/files/', { workspace_id: rawId, file_path: 'scenes/day1/a.tif' });
      expect(res.status).toBe(201);
      fileId = res.json.id;
      expect(res.headers.location).toBe(`/v6/files/${fileId}/`);
      expect(res.json).toMatchObject({
        id: fileId,
        workspace: { id: rawId, name: 'raw-source' },
        file_name: 'a.tif',
        media_type: 'image/tiff',
        file_size: 10,
        is_deleted: false,
        url: 'http://host.com/rs/scenes/day1/a.tif',
        file_path: 'scenes/day1/a.tif',
        job: null,
        job_exe: null,
        job_output: null,
        job_type: null,
        meta_data: null,
        countries: [],
        created: expect.stringMatching(ISO),
      });
      const again = await inject('POST', '/v6/files/', { workspace_id: rawId, file_path: 'scenes/day1/a.tif' });
      expect(again.status).toBe(200);
      expect(again.json.id).toBe(fileId);
    });

    const refused: [string, unknown, Record<string, string[]>][] = [
      [
        'a path with ..',
        { workspace_id: 0, file_path: '../outside.txt' },
        { file_path: ['must not contain ".." segments'] },
      ],
      [
        'an absolute path',
        { workspace_id: 0, file_path: '/etc/passwd' },
        { file_path: ['must be relative to the workspace'] },
      ],
      [
        'a link out of the workspace',
        { workspace_id: 0, file_path: 'escape.txt' },
        { file_path: ['escape.txt leads out of the workspace folder.'] },
      ],
      [
        'a missing file',
        { workspace_id: 0, file_path: 'nope.txt' },
        { file_path: ['No file nope.txt in this workspace.'] },
      ],
      ['a folder', { workspace_id: 0, file_path: 'scenes' }, { file_path: ['scenes is not a regular file.'] }],
      [
        'an unknown workspace',
        { workspace_id: 99999, file_path: 'notes.txt' },
        { workspace_id: ['Workspace 99999 does not exist.'] },
      ],
      [
        'an inactive workspace',
        { workspace_id: -1, file_path: 'notes.txt' },
        { workspace_id: ['Workspace spare is not active.'] },
      ],
    ];
    for (const [name, payload, errors] of refused) {
      it(`POST /v6/files/ - refuses ${name} with a 400 naming the field`, async () => {
        const body = payload as { workspace_id: number };
        if (body.workspace_id === 0) body.workspace_id = rawId;
        if (body.workspace_id === -1) body.workspace_id = spareId;
        const res = await inject('POST', '/v6/files/', body);
        expect(res.status).toBe(400);
        expect(res.json.errors).toEqual(errors);
        const [count] = await h.sql<{ n: string }>('select count(*) as n from scale_file');
        expect(Number(count!.n)).toBe(1);
      });
    }

    it('GET /v6/files/ and /{id}/ - list with filters, details, 404', async () => {
      const notes = await inject('POST', '/v6/files/', {
        workspace_id: rawId,
        file_path: 'notes.txt',
        media_type: 'text/x-notes',
      });
      expect(notes.json).toMatchObject({ media_type: 'text/x-notes', file_size: 5 });
      const all = await inject('GET', '/v6/files/');
      expect(all.json.count).toBe(2);
      const byName = await inject('GET', '/v6/files/?file_name=notes.txt');
      expect(byName.json.results.map((f: { id: number }) => f.id)).toEqual([notes.json.id]);
      const ordered = await inject('GET', '/v6/files/?order=-file_size');
      expect(ordered.json.results.map((f: { file_name: string }) => f.file_name)).toEqual(['a.tif', 'notes.txt']);
      const none = await inject('GET', '/v6/files/?job_id=1');
      expect(none.json.count).toBe(0);
      const future = await inject('GET', '/v6/files/?started=2999-01-01T00:00:00Z');
      expect(future.json.count).toBe(0);
      expect((await inject('GET', '/v6/files/?time_field=geometry')).status).toBe(400);
      expect((await inject('GET', `/v6/files/${fileId}/`)).json).toMatchObject({ id: fileId, file_name: 'a.tif' });
      expect((await inject('GET', '/v6/files/99999/')).status).toBe(404);
    });

    it('POST /v6/files/upload/ - writes a new file into the workspace and catalogues it; never replaces one', async () => {
      const upload = (query: string, payload: string | Buffer, type = 'application/octet-stream') =>
        h.app.inject({ method: 'POST', url: `/v6/files/upload/?${query}`, payload, headers: { 'content-type': type } });
      const res = await upload(`workspace_id=${rawId}&file_path=uploads/day2/b.csv`, 'a,b\n1,2\n');
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        file_name: 'b.csv',
        file_path: 'uploads/day2/b.csv',
        media_type: 'text/csv',
        file_size: 8,
        workspace: { id: rawId, name: 'raw-source' },
      });
      expect(res.headers.location).toBe(`/v6/files/${res.json().id}/`);
      expect(await readFile(join(rawFolder, 'uploads', 'day2', 'b.csv'), 'utf8')).toBe('a,b\n1,2\n');

      const again = await upload(`workspace_id=${rawId}&file_path=uploads/day2/b.csv`, 'other');
      expect(again.statusCode).toBe(400);
      expect(again.json().errors).toEqual({
        file_path: ['A file already exists at uploads/day2/b.csv; register it with POST /v6/files/ instead.'],
      });
      expect(await readFile(join(rawFolder, 'uploads', 'day2', 'b.csv'), 'utf8')).toBe('a,b\n1,2\n');

      await symlink(root, join(rawFolder, 'up'));
      const out = await upload(`workspace_id=${rawId}&file_path=up/made/x.txt`, 'x');
      expect(out.json().errors).toEqual({ file_path: ['up/made/x.txt leads out of the workspace folder.'] });
      await expect(stat(join(root, 'made'))).rejects.toThrow();
      expect((await upload(`workspace_id=${rawId}&file_path=../x.txt`, 'x')).json().errors).toEqual({
        file_path: ['must not contain ".." segments'],
      });
      expect((await upload(`workspace_id=${spareId}&file_path=x.txt`, 'x')).json().errors).toEqual({
        workspace_id: ['Workspace spare is not active.'],
      });
      expect((await upload(`workspace_id=${rawId}&file_path=x.txt`, '{}', 'application/json')).json().errors).toEqual({
        body: ['Send the file as the request body, with content-type application/octet-stream.'],
      });
      const names = (await readdir(rawFolder)).filter((n) => n.endsWith('.upload'));
      expect(names).toEqual([]);
      await h.sql('update scale_file set is_deleted = true where file_path = ?', ['uploads/day2/b.csv']);
    });

    it('POST /v6/jobs/ - accepts registered input files, refuses unknown and deleted ones', async () => {
      const created = await inject('POST', '/v6/job-types/', {
        docker_image: 'reader:1',
        manifest: fileInputManifest('ws-reader'),
      });
      expect(created.status).toBe(201);
      const jobTypeId = created.json.id;
      const queued = await inject('POST', '/v6/jobs/', {
        job_type_id: jobTypeId,
        input: { files: { INPUT_FILE: [fileId] } },
      });
      expect(queued.status).toBe(201);
      expect(scheduler.requests.at(-1)?.jobs[0]?.input).toEqual({ files: { INPUT_FILE: [fileId] }, json: {} });
      const unknown = await inject('POST', '/v6/jobs/', {
        job_type_id: jobTypeId,
        input: { files: { INPUT_FILE: [424242] } },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.json.errors).toEqual({ 'input.files.INPUT_FILE': ['file 424242 does not exist'] });
      const [gone] = await h.sql<{ id: string }>(
        `insert into scale_file (file_name, media_type, file_size, file_path, workspace_id, is_deleted)
         values ('gone.txt', 'text/plain', 1, 'gone.txt', ?, true) returning id`,
        [rawId],
      );
      const deleted = await inject('POST', '/v6/jobs/', {
        job_type_id: jobTypeId,
        input: { files: { INPUT_FILE: [Number(gone!.id)] } },
      });
      expect(deleted.json.errors).toEqual({ 'input.files.INPUT_FILE': [`file ${gone!.id} has been deleted`] });
    });
  });

  describe('a job: input files and executions', () => {
    let jobId: number;
    let nodeId: number;
    let fileIds: number[];

    beforeAll(async () => {
      const created = await inject('POST', '/v6/job-types/', {
        docker_image: 'word-count:1.0.0',
        manifest: manifest({ name: 'exe-list' }),
        configuration: { settings: { DB_HOST: 'db', DB_PASS: 'secret-value' } },
      });
      const jobTypeId = created.json.id;
      const [job] = await h.sql<{ id: string }>(
        `insert into job (job_type_id, job_type_rev_id, status, priority, max_tries, num_exes, input, queued)
         select ?, max(id), 'FAILED', 100, 3, 3, '{"files": {}, "json": {}}', now() from job_type_revision where job_type_id = ?
         returning id`,
        [jobTypeId, jobTypeId],
      );
      jobId = Number(job!.id);
      const [node] = await h.sql<{ id: number }>(
        `insert into node (agent_id, hostname, resources) values ('n1', 'node-1.local', '{}') returning id`,
      );
      nodeId = node!.id;
      const error = async (name: string) =>
        (await h.sql<{ id: number }>('select id from error where name = ?', [name]))[0]!.id;
      const exe = (exeNum: number, status: string, errorName: string | null, taskResults: unknown) =>
        (async () =>
          h.sql(
            `insert into job_exe (job_id, job_type_id, exe_num, cluster_id, node_id, epoch, docker_image, timeout,
                                  resources, configuration, status, error_id, task_results, queued, started, ended)
             values (?, ?, ?, ?, ?, 1, 'word-count:1.0.0', 600, '{"cpus": 1, "mem": 256, "disk": 11, "gpus": 0}', ?, ?, ?, ?,
                     now(), now(), now())`,
            [
              jobId,
              jobTypeId,
              exeNum,
              `scale_${jobId}_${exeNum}`,
              nodeId,
              JSON.stringify({ settings: { DB_HOST: 'db', DB_PASS: 'secret-value' } }),
              status,
              errorName ? await error(errorName) : null,
              JSON.stringify(taskResults),
            ],
          ))();
      await exe(1, 'FAILED', 'node-lost', []);
      await exe(2, 'FAILED', 'docker-task-launch', []);
      await exe(3, 'FAILED', 'bad-text', [
        {
          task_id: 'c_main',
          type: 'main',
          was_launched: true,
          was_started: true,
          was_timed_out: false,
          status: 'FAILED',
          exit_code: 1,
        },
      ]);
      const files = await h.sql<{ id: string }>(`select id from scale_file where not is_deleted order by id`);
      fileIds = files.map((f) => Number(f.id));
      for (const [index, id] of fileIds.entries()) {
        await h.sql('insert into job_input_file (job_id, input_file_id, job_input) values (?, ?, ?)', [
          jobId,
          id,
          index === 0 ? 'IMAGE' : 'NOTES',
        ]);
      }
    });

    it('GET /v6/jobs/{id}/input_files/ - the files of every input, or of one, with file name filters', async () => {
      const all = await inject('GET', `/v6/jobs/${jobId}/input_files/`);
      expect(all.json.results.map((f: { id: number }) => f.id)).toEqual(fileIds);
      const image = await inject('GET', `/v6/jobs/${jobId}/input_files/?job_input=IMAGE`);
      expect(image.json.results.map((f: { id: number }) => f.id)).toEqual([fileIds[0]]);
      const named = await inject('GET', `/v6/jobs/${jobId}/input_files/?file_name=notes.txt`);
      expect(named.json.results.map((f: { file_name: string }) => f.file_name)).toEqual(['notes.txt']);
      expect((await inject('GET', '/v6/jobs/999999/input_files/')).status).toBe(404);
    });

    it('GET /v6/jobs/{id}/executions/ - newest first, summary fields, filters by status, node and error', async () => {
      const list = await inject('GET', `/v6/jobs/${jobId}/executions/`);
      expect(list.json.count).toBe(3);
      expect(list.json.results.map((e: { exe_num: number }) => e.exe_num)).toEqual([3, 2, 1]);
      expect(list.json.results[0]).toMatchObject({
        status: 'FAILED',
        exe_num: 3,
        cluster_id: `scale_${jobId}_3`,
        job: { id: jobId },
        node: { id: nodeId, hostname: 'node-1.local' },
        error: { name: 'bad-text', category: 'DATA' },
        job_type: { name: 'exe-list' },
        timeout: 600,
        input_file_size: 0,
      });
      expect(list.json.results[0]).not.toHaveProperty('task_results');
      const system = await inject('GET', `/v6/jobs/${jobId}/executions/?error_category=system`);
      expect(system.json.results.map((e: { exe_num: number }) => e.exe_num)).toEqual([2, 1]);
      const lost = await inject(
        'GET',
        `/v6/jobs/${jobId}/executions/?error_category=SYSTEM&error_id=${
          (await h.sql<{ id: number }>(`select id from error where name = 'node-lost'`))[0]!.id
        }`,
      );
      expect(lost.json.results.map((e: { exe_num: number }) => e.exe_num)).toEqual([1]);
      expect((await inject('GET', `/v6/jobs/${jobId}/executions/?status=completed`)).json.count).toBe(0);
      expect(
        (await inject('GET', `/v6/jobs/${jobId}/executions/?node_id=${nodeId}&page_size=1&page=2`)).json,
      ).toMatchObject({
        count: 3,
        results: [{ exe_num: 2 }],
      });
      expect((await inject('GET', `/v6/jobs/${jobId}/executions/?status=LOST`)).status).toBe(400);
      expect((await inject('GET', '/v6/jobs/999999/executions/')).status).toBe(404);
    });

    it('GET /v6/jobs/{id}/executions/{exe_num}/ - task results, resources, configuration without secrets, output', async () => {
      const details = await inject('GET', `/v6/jobs/${jobId}/executions/3/`);
      expect(details.status).toBe(200);
      expect(details.json).toMatchObject({
        exe_num: 3,
        task_results: { version: '1.0', tasks: [{ type: 'main', exit_code: 1, status: 'FAILED' }] },
        resources: { resources: { cpus: 1, mem: 256, disk: 11 } },
        configuration: { settings: { DB_HOST: 'db', DB_PASS: '*****' } },
        output: null,
      });
      expect(JSON.stringify(details.json)).not.toContain('secret-value');
      expect((await inject('GET', `/v6/jobs/${jobId}/executions/9/`)).status).toBe(404);
    });
  });

  describe('v5 job details and updates: whole file objects (seed 001)', () => {
    let jobId: number;
    let inputFile: { id: number; file_name: string; workspace_id: number };
    let productId: number;

    beforeAll(async () => {
      const base = fileInputManifest('v5-file-reader');
      const withOutput = {
        ...base,
        job: {
          ...base.job,
          interface: {
            ...base.job.interface,
            outputs: { files: [{ name: 'REPORT', pattern: '*.kml' }], json: [{ name: 'total', type: 'integer' }] },
          },
        },
      };
      const created = await inject('POST', '/v6/job-types/', { docker_image: 'reader:1.0.0', manifest: withOutput });
      expect(created.status).toBe(201);
      const jobTypeId = created.json.id;
      const [notes] = await h.sql<{ id: number; file_name: string; workspace_id: number }>(
        `select id::int as id, file_name, workspace_id from scale_file where file_name = 'notes.txt' and not is_deleted`,
      );
      inputFile = notes!;
      const [job] = await h.sql<{ id: string }>(
        `insert into job (job_type_id, job_type_rev_id, status, priority, max_tries, num_exes, input, queued)
         select ?, max(id), 'COMPLETED', 100, 3, 1, ?, now() from job_type_revision where job_type_id = ?
         returning id`,
        [jobTypeId, JSON.stringify({ files: { INPUT_FILE: [inputFile.id] }, json: {} }), jobTypeId],
      );
      jobId = Number(job!.id);
      await h.sql('insert into job_input_file (job_id, input_file_id, job_input) values (?, ?, ?)', [
        jobId,
        inputFile.id,
        'INPUT_FILE',
      ]);
      const [product] = await h.sql<{ id: string }>(
        `insert into scale_file (file_name, file_type, media_type, file_size, file_path, workspace_id, job_id,
                                 job_type_id, job_output, is_published, published, meta_data)
         values ('map.kml', 'PRODUCT', 'application/vnd.google-earth.kml+xml', 1234, 'out/map.kml', ?, ?, ?, 'REPORT',
                 true, now(), '{"layers": 2}')
         returning id`,
        [inputFile.workspace_id, jobId, jobTypeId],
      );
      productId = Number(product!.id);
      await h.sql('update job set output = ? where id = ?', [
        JSON.stringify({ files: { REPORT: [productId] }, json: { total: 3 } }),
        jobId,
      ]);
    });

    it('GET /jobs/{id}/ - inputs, outputs, input_files and products carry the whole files, products with lineage', async () => {
      const details = await inject('GET', `/jobs/${jobId}/`);
      expect(details.status).toBe(200);
      const sourceFile = {
        id: inputFile.id,
        workspace: { id: inputFile.workspace_id, name: 'raw-source' },
        file_name: 'notes.txt',
        media_type: 'text/x-notes',
        file_size: 5,
        data_type: [],
        is_deleted: false,
        uuid: null,
        url: 'http://host.com/rs/notes.txt',
        created: expect.stringMatching(ISO),
        deleted: null,
        data_started: null,
        data_ended: null,
        geometry: null,
        center_point: null,
        meta_data: {},
        last_modified: expect.stringMatching(ISO),
      };
      const productFile = {
        ...sourceFile,
        id: productId,
        file_name: 'map.kml',
        media_type: 'application/vnd.google-earth.kml+xml',
        file_size: 1234,
        url: 'http://host.com/rs/out/map.kml',
        meta_data: { layers: 2 },
        is_operational: true,
        is_published: true,
        published: expect.stringMatching(ISO),
        unpublished: null,
        job_type: { id: details.json.job_type.id },
        job: { id: jobId },
        job_exe: null,
      };
      expect(details.json.inputs).toEqual([{ name: 'INPUT_FILE', type: 'file', value: sourceFile }]);
      expect(details.json.outputs).toEqual([
        { name: 'REPORT', type: 'file', value: productFile },
        { name: 'total', type: 'property', value: 3 },
      ]);
      expect(details.json.input_files).toEqual([sourceFile]);
      expect(details.json.products).toEqual([productFile]);
      expect((await inject('GET', `/v5/jobs/${jobId}/`)).json.input_files).toEqual([sourceFile]);
    });

    it('GET /jobs/updates/ - each job lists its own input files as v5 prints them', async () => {
      const updates = await inject('GET', `/jobs/updates/?job_type_name=v5-file-reader`);
      expect(updates.status).toBe(200);
      expect(updates.json.results).toHaveLength(1);
      expect(updates.json.results[0].input_files).toEqual([
        expect.objectContaining({ id: inputFile.id, file_name: 'notes.txt', workspace: expect.any(Object) }),
      ]);
      expect(updates.json.results[0].input_files[0]).not.toHaveProperty('job_exe');
    });
  });
});
