import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type CapturedLog, captureLogger } from '../fixtures/capture-logger.ts';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { manifest } from '../fixtures/manifests.ts';

const SECRET = 'hunter2-do-not-print';
const V6_VALIDATION = ['errors', 'is_valid', 'warnings'];

describe('job types: edit, validation, secrets', () => {
  let h: Harness;
  let log: CapturedLog;

  beforeAll(async () => {
    log = captureLogger();
    h = await startHarness('jtedit', { log: log.logger });
    const res = await post({
      docker_image: 'word-count:1',
      manifest: manifest(),
      configuration: { settings: { DB_HOST: 'db.local', DB_PASS: SECRET } },
    });
    expect(res.statusCode).toBe(201);
  });
  afterAll(async () => {
    await h.close();
  });

  const post = (payload: unknown, url = '/v6/job-types/') =>
    h.app.inject({ method: 'POST', url, payload: payload as object });
  const patch = (payload: unknown, url = '/v6/job-types/word-count/1.0.0/') =>
    h.app.inject({ method: 'PATCH', url, payload: payload as object });
  const details = async () => (await h.app.inject({ method: 'GET', url: '/v6/job-types/word-count/1.0.0/' })).json();
  const stored = async () =>
    (
      await h.sql<{ revision_num: number; configuration: { settings: Record<string, string | null> } }>(
        `select revision_num, configuration from job_type where name = 'word-count'`,
      )
    )[0];

  describe('PATCH /v6/job-types/{name}/{version}/', () => {
    it('PATCH - flags and fields answer the validation body; timestamps follow the flags', async () => {
      const res = await patch({ is_paused: true, is_published: true, max_scheduled: 4, icon_code: 'f00a' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(V6_VALIDATION);
      expect(body.is_valid).toBe(true);
      expect(body.errors).toEqual([]);
      // The DATA mount has no configuration: its jobs would fail with missing-mount.
      expect(body.warnings).toContainEqual({
        name: 'MISSING_MOUNT',
        description: "Missing configuration for mount 'DATA'",
      });
      const after = await details();
      expect(after).toMatchObject({ is_paused: true, is_published: true, max_scheduled: 4, icon_code: 'f00a' });
      expect(Date.parse(after.paused)).not.toBeNaN();
      expect(after.revision_num).toBe(1);

      await patch({ is_paused: false, is_active: false });
      const archived = await details();
      expect(archived).toMatchObject({ is_paused: false, paused: null, is_active: false });
      expect(Date.parse(archived.deprecated)).not.toBeNaN();
      await patch({ is_active: true, max_scheduled: null });
      expect(await details()).toMatchObject({ is_active: true, deprecated: null, max_scheduled: null });
    });

    it('PATCH - an inactive job type accepts no new jobs (v6 and v5), naming job_type_id', async () => {
      const { id } = await details();
      await patch({ is_active: false });
      const v6 = await post({ job_type_id: id, input: { json: { TEXT: 'x' } } }, '/v6/jobs/');
      expect(v6.statusCode).toBe(400);
      expect(v6.json().errors).toEqual({ job_type_id: [`job type ${id} is not active`] });
      const v5 = await post(
        { job_type_id: id, job_data: { version: '1.0', input_data: [{ name: 'TEXT', value: 'x' }] } },
        '/queue/new-job/',
      );
      expect(v5.statusCode).toBe(400);
      expect(v5.json().errors).toEqual({ job_type_id: [`job type ${id} is not active`] });
      expect(await h.sql('select id from job')).toEqual([]);
      await patch({ is_active: true });
    });

    it('PATCH - a new manifest or image is a new revision; title and description follow the manifest', async () => {
      const res = await patch({
        manifest: manifest({ job: { title: 'Word Count II', description: 'Counts better', timeout: 900 } }),
      });
      expect(res.statusCode).toBe(200);
      expect(await details()).toMatchObject({ revision_num: 2, title: 'Word Count II', description: 'Counts better' });
      await patch({ docker_image: 'word-count:2' });
      expect(await details()).toMatchObject({ revision_num: 3, docker_image: 'word-count:2' });
      // The same manifest again changes nothing.
      await patch({ manifest: (await details()).manifest, docker_image: 'word-count:2' });
      expect((await details()).revision_num).toBe(3);
      const revisions = await h.sql<{ revision_num: number; docker_image: string }>(
        `select revision_num, docker_image from job_type_revision order by revision_num`,
      );
      expect(revisions).toEqual([
        { revision_num: 1, docker_image: 'word-count:1' },
        { revision_num: 2, docker_image: 'word-count:1' },
        { revision_num: 3, docker_image: 'word-count:2' },
      ]);
    });

    it('PATCH - configuration: a masked secret sent back keeps its value; undeclared settings are refused', async () => {
      const current = await details();
      expect(current.configuration.settings).toEqual({ DB_HOST: 'db.local', DB_PASS: '*****' });
      await patch({ configuration: { ...current.configuration, settings: { DB_HOST: 'db2', DB_PASS: '*****' } } });
      expect((await stored())?.configuration.settings).toEqual({ DB_HOST: 'db2', DB_PASS: SECRET });

      const bad = await patch({ configuration: { settings: { NOPE: 'x' } }, is_paused: true });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors).toEqual({
        'configuration.settings.NOPE': ['setting "NOPE" is not declared in the manifest'],
      });
      // Nothing of a refused edit is kept, not even the flag sent with it.
      expect((await details()).is_paused).toBe(false);
    });

    it('PATCH - a manifest that no longer declares DB_PASS secret forgets its stored value', async () => {
      const m = manifest({ job: { title: 'Word Count II', description: 'Counts better', timeout: 900 } });
      const plain = {
        ...m,
        job: {
          ...m.job,
          interface: {
            ...m.job.interface,
            settings: [
              { name: 'DB_HOST', secret: false },
              { name: 'DB_PASS', secret: false },
            ],
          },
        },
      };
      const res = await patch({ manifest: plain });
      expect(res.json().warnings).toContainEqual({
        name: 'MISSING_SETTING',
        description: "Missing configuration for setting 'DB_PASS'",
      });
      expect((await stored())?.configuration.settings).toEqual({ DB_HOST: 'db2', DB_PASS: null });
      // Secret again, with a new value.
      await patch({ manifest: manifest(), configuration: { settings: { DB_HOST: 'db2', DB_PASS: SECRET } } });
      expect((await details()).configuration.settings).toEqual({ DB_HOST: 'db2', DB_PASS: '*****' });
    });

    it.each<[string, unknown, Record<string, string[]>]>([
      [
        'a manifest of another job type',
        { manifest: manifest({ name: 'other' }) },
        { 'manifest.job.name': ['must be "word-count": a manifest cannot rename a job type'] },
      ],
      [
        'a manifest of another version',
        { manifest: manifest({ jobVersion: '2.0.0' }) },
        { 'manifest.job.jobVersion': ['must be "1.0.0": another version is another job type (POST it)'] },
      ],
      ['an unknown field', { is_paused: true, colour: 'red' }, { colour: ['Unrecognized field.'] }],
      [
        'wrong types',
        { is_active: 'no', max_scheduled: 0 },
        {
          is_active: ['Invalid input: expected boolean, received string'],
          max_scheduled: ['Too small: expected number to be >0'],
        },
      ],
      [
        'an invalid manifest',
        { manifest: manifest({ job: { interface: { command: 'run ${NOPE}' } } }) },
        {
          'manifest.job.interface.command': [
            '${NOPE} is not an input, a setting or a platform variable, so it would expand to nothing',
          ],
        },
      ],
    ])('PATCH - %s → 400 naming the field, nothing saved', async (_what, payload, errors) => {
      const before = await h.sql('select * from job_type');
      const res = await patch(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual(errors);
      expect(await h.sql('select * from job_type')).toEqual(before);
    });

    it('PATCH - unknown job types and malformed JSON', async () => {
      const missing = await patch({ is_paused: true }, '/v6/job-types/word-count/9.9.9/');
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ detail: 'job type word-count 9.9.9 does not exist' });
      const malformed = await h.app.inject({
        method: 'PATCH',
        url: '/v6/job-types/word-count/1.0.0/',
        headers: { 'content-type': 'application/json' },
        payload: '{"is_paused": ',
      });
      expect(malformed.statusCode).toBe(400);
    });
  });

  describe('POST /v6/job-types/validation/', () => {
    const count = async () => Number((await h.sql<{ n: string }>('select count(*) as n from job_type'))[0]?.n);

    it('validation - a valid new job type: is_valid with the warnings, nothing saved', async () => {
      const before = await count();
      const res = await post(
        { manifest: manifest({ name: 'fresh', job: { maintainer: undefined } }), configuration: { settings: {} } },
        '/v6/job-types/validation/',
      );
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        is_valid: true,
        errors: [],
        warnings: [
          { name: 'MISSING_SEED_FIELD', description: 'The Seed standard requires job.maintainer' },
          { name: 'MISSING_SETTING', description: "Missing configuration for setting 'DB_HOST'" },
          { name: 'MISSING_SETTING', description: "Missing configuration for setting 'DB_PASS'" },
          { name: 'MISSING_MOUNT', description: "Missing configuration for mount 'DATA'" },
        ],
      });
      expect(await count()).toBe(before);
    });

    it('validation - an existing job type: says whether saving makes a new revision', async () => {
      const current = await details();
      const same = await post(
        { manifest: current.manifest, docker_image: current.docker_image },
        '/v6/job-types/validation/',
      );
      expect(same.json().warnings[0]).toEqual({
        name: 'NO_CHANGE',
        description: `Job type word-count 1.0.0 exists with this manifest and image (revision ${current.revision_num})`,
      });
      const changed = await post({ manifest: current.manifest, docker_image: 'new:1' }, '/v6/job-types/validation/');
      expect(changed.json().warnings[0]).toEqual({
        name: 'NEW_REVISION',
        description: `Job type word-count 1.0.0 exists; saving makes revision ${current.revision_num + 1}`,
      });
    });

    it('validation - invalid manifest and configuration: is_valid false, every problem named', async () => {
      const res = await post(
        {
          manifest: manifest({
            name: 'Bad Name',
            job: { resources: { scalar: [{ name: 'gpus', value: 0.5 }] } },
          }),
          configuration: { priority: 0 },
          extra: true,
        },
        '/v6/job-types/validation/',
      );
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        is_valid: false,
        errors: [
          { name: 'INVALID_MANIFEST', description: 'manifest.job.name: must hold only letters, digits and -' },
          {
            name: 'INVALID_MANIFEST',
            description: 'manifest.job.resources.scalar.0.value: gpus must be a whole number',
          },
          {
            name: 'INVALID_CONFIGURATION',
            description: 'configuration.priority: Too small: expected number to be >=1',
          },
          { name: 'INVALID_FIELD', description: 'extra: Unrecognized field.' },
        ],
        warnings: [],
      });
      const rules = await post(
        { manifest: manifest({ job: { resources: { scalar: [{ name: 'gpus', value: 0.5 }] } } }) },
        '/v6/job-types/validation/',
      );
      expect(rules.json().errors).toEqual([
        { name: 'INVALID_MANIFEST', description: 'manifest.job.resources.scalar.0.value: gpus must be a whole number' },
      ]);
      const undeclared = await post(
        { manifest: manifest({ name: 'fresh' }), configuration: { mounts: { NOPE: null } } },
        '/v6/job-types/validation/',
      );
      expect(undeclared.json()).toMatchObject({
        is_valid: false,
        errors: [
          {
            name: 'INVALID_CONFIGURATION',
            description: 'configuration.mounts.NOPE: mount "NOPE" is not declared in the manifest',
          },
        ],
      });
    });

    it('validation - a body that is not an object is invalid; malformed JSON is a 400', async () => {
      const list = await post([1, 2], '/v6/job-types/validation/');
      expect(list.statusCode).toBe(200);
      expect(list.json().is_valid).toBe(false);
      const missing = await post({}, '/v6/job-types/validation/');
      expect(missing.json().errors).toEqual([
        { name: 'INVALID_MANIFEST', description: 'manifest: This field is required.' },
      ]);
      const malformed = await h.app.inject({
        method: 'POST',
        url: '/v6/job-types/validation/',
        headers: { 'content-type': 'application/json' },
        payload: '{',
      });
      expect(malformed.statusCode).toBe(400);
    });
  });

  describe('secret settings', () => {
    it('secrets - never in a response body of any job type endpoint', async () => {
      const urls = [
        '/v6/job-types/',
        '/v6/job-types/word-count/',
        '/v6/job-types/word-count/1.0.0/',
        '/v6/job-types/word-count/1.0.0/revisions/',
        '/v6/job-types/word-count/1.0.0/revisions/1/',
        '/v6/job-type-names/',
        '/v6/job-types/status/',
        '/job-types/',
        `/job-types/${(await details()).id}/`,
      ];
      for (const url of urls) {
        const res = await h.app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(200);
        expect(res.body).not.toContain(SECRET);
      }
      const posted = await post({ docker_image: 'word-count:2', manifest: manifest() });
      expect(posted.body).not.toContain(SECRET);
      const validated = await post(
        { manifest: manifest(), configuration: { settings: { DB_PASS: SECRET } } },
        '/v6/job-types/validation/',
      );
      expect(validated.body).not.toContain(SECRET);
    });

    it('secrets - never handed to the logger, even when the database refuses the write', async () => {
      // A constraint that fails the job_type insert: the driver's error quotes the row, configuration included
      // (each value cut at 64 characters, so the secret here is short enough to fall inside the quote).
      const short = 'S3cr3t!';
      await h.sql(`alter table job_type add constraint refuse_boom check (docker_image <> 'boom:1')`);
      try {
        const res = await post({
          docker_image: 'boom:1',
          manifest: manifest({ name: 'boom' }),
          configuration: { settings: { DB_PASS: short } },
        });
        expect(res.statusCode).toBe(500);
        expect(res.json()).toEqual({ detail: 'Internal server error' });
        expect(log.text()).toContain('saving the job type failed');
        expect(log.text()).toContain('refuse_boom');
      } finally {
        await h.sql('alter table job_type drop constraint refuse_boom');
      }
      expect(await h.sql(`select id from job_type where name = 'boom'`)).toEqual([]);
      expect(log.text()).not.toContain(short);
      expect(log.text()).not.toContain(SECRET);
    });
  });
});
