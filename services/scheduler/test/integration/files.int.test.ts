/**
 * Files through the scheduler, with a simulated agent: input files checked and linked when a job is queued, its
 * input size feeding inputMultiplier, launch commands that carry input files, output workspaces and mounts, and
 * stored outputs registered in the catalogue with the job's end.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type Heartbeat,
  LaunchExecution,
  QueueJobsResult,
  SeedManifest,
  type SeedManifestInput,
  type TaskUpdate,
} from '@scale/contracts';
import { type Orm, openOrm } from '@scale/db';
import {
  AppError,
  createLogger,
  ensureDurableConsumer,
  jetstream,
  type NatsConnection,
  requestCommand,
} from '@scale/runtime';
import {
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  type TestDatabase,
  testSubjects,
  until,
} from '@scale/testkit';
import { buildScheduler, type Scheduler } from '../../src/app.ts';

const subjects = testSubjects('schedfiles');
const log = createLogger({ service: 'scheduler-files-test', level: 'silent' });
const AGENT = 'files-agent';
const MIB = 1024 * 1024;

function manifest(job: Partial<SeedManifestInput['job']>): SeedManifest {
  return SeedManifest.parse({
    seedVersion: '1.0.0',
    job: { name: 'tiler', jobVersion: '1.0.0', packageVersion: '1.0.0', timeout: 30, ...job },
  });
}

describe('scheduler files', () => {
  let db: TestDatabase;
  let orm: Orm;
  let nc: NatsConnection;
  let scheduler: Scheduler;
  let beatTimer: NodeJS.Timeout | undefined;
  let jobTypeId: number;
  let rawId: number;
  let productsId: number;
  const fileIds: number[] = [];

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    orm.em.fork().execute<T[]>(text, params);
  const queue = (input: unknown) =>
    requestCommand(nc, subjects.command('scheduler', 'queue-jobs'), { jobs: [{ jobTypeId, input }] }, QueueJobsResult);
  const report = (update: TaskUpdate) => jetstream(nc).publish(subjects.taskUpdate(), JSON.stringify(update));

  async function nextLaunch(): Promise<LaunchExecution> {
    await ensureDurableConsumer(
      nc,
      subjects.streams.nodeCommands.name,
      subjects.consumers.agent(AGENT),
      subjects.nodeCommands(AGENT),
    );
    const consumer = await jetstream(nc).consumers.get(
      subjects.streams.nodeCommands.name,
      subjects.consumers.agent(AGENT),
    );
    for (;;) {
      const msg = await until(() => consumer.next({ expires: 1000 }), 'a launch');
      msg.ack();
      if (msg.subject.endsWith('.launch')) return LaunchExecution.parse(msg.json());
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase('schedfiles');
    orm = await openOrm({ url: db.url, poolSize: 5 });
    nc = await connectTestNats();
    const m = manifest({
      resources: {
        scalar: [
          { name: 'cpus', value: 1 },
          { name: 'mem', value: 64, inputMultiplier: 2 },
          { name: 'disk', value: 10, inputMultiplier: 1 },
        ],
      },
      interface: {
        inputs: { files: [{ name: 'IMAGE' }, { name: 'BANDS', multiple: true, required: false }] },
        outputs: {
          files: [
            { name: 'tiles', pattern: 'tiles/*.png', multiple: true },
            { name: 'report', pattern: 'report.txt' },
            { name: 'debug', pattern: '*.log', required: false },
          ],
        },
        mounts: [
          { name: 'ref', path: '/ref' },
          { name: 'scratch', path: '/scratch', mode: 'rw' },
          { name: 'unset', path: '/unset' },
        ],
      },
    });
    const configuration = {
      output_workspaces: { default: 'products', outputs: { report: 'reports' } },
      mounts: {
        ref: { type: 'host', host_path: '/data/ref' },
        scratch: { type: 'volume', driver: 'local', driver_opts: { type: 'tmpfs' } },
        unset: null,
      },
      container: { network: true },
    };
    const [jt] = await sql<{ id: number }>(
      `insert into job_type (name, version, docker_image, manifest, configuration) values ('tiler', '1.0.0', 'img', ?, ?) returning id`,
      [JSON.stringify(m), JSON.stringify(configuration)],
    );
    jobTypeId = jt!.id;
    await sql(
      `insert into job_type_revision (job_type_id, revision_num, docker_image, manifest) values (?, 1, 'img', ?)`,
      [jobTypeId, JSON.stringify(m)],
    );
    const workspace = async (name: string, hostPath: string, active = true) =>
      (
        await sql<{ id: number }>(
          `insert into workspace (name, title, json_config, is_active) values (?, ?, ?, ?) returning id`,
          [name, name, JSON.stringify({ broker: { type: 'host', host_path: hostPath } }), active],
        )
      )[0]!.id;
    rawId = await workspace('raw', '/data/raw');
    productsId = await workspace('products', '/data/products');
    // The report's workspace is inactive: report files are checked but not stored.
    await workspace('reports', '/data/reports', false);
    for (const [path, size, deleted] of [
      ['in/scene.tif', 3 * MIB, false],
      ['bands/b1.tif', MIB, false],
      ['bands/b2.tif', MIB, false],
      ['old/gone.tif', MIB, true],
    ] as const) {
      const [row] = await sql<{ id: string }>(
        `insert into scale_file (file_name, media_type, file_size, file_path, workspace_id, is_deleted)
         values (?, 'image/tiff', ?, ?, ?, ?) returning id`,
        [path.slice(path.lastIndexOf('/') + 1), size, path, rawId, deleted],
      );
      fileIds.push(Number(row!.id));
    }
    scheduler = buildScheduler({
      orm,
      nc,
      subjects,
      log,
      config: {
        schedulerId: 'files',
        scheduleIntervalMs: 100,
        leaseMs: 1500,
        nodeLostMs: 1500,
        queueWindow: 100,
        launchTimeoutMs: 4000,
        timeoutGraceMs: 60_000,
        loadSampleMs: 500,
      },
    });
    await scheduler.start();
    const beat = () => {
      const payload: Heartbeat = {
        agentId: AGENT,
        hostname: 'files.local',
        resources: { cpus: 4, mem: 4096, disk: 10_000, gpus: 0 },
        running: [],
        at: new Date().toISOString(),
        agentVersion: 'test',
      };
      nc.publish(subjects.heartbeat(), JSON.stringify(payload));
    };
    beat();
    beatTimer = setInterval(beat, 300);
  });

  afterAll(async () => {
    clearInterval(beatTimer);
    await scheduler.stop();
    await deleteTestStreams(nc, subjects);
    await nc.close();
    await orm.close();
    await db.drop();
  });

  it('queue - refuses unknown and deleted input files with field errors, writing nothing', async () => {
    const [scene, , , gone] = fileIds;
    const before = await sql<{ n: string }>('select count(*) as n from job');
    const failure = await queue({ files: { IMAGE: [scene], BANDS: [gone, 999_999] }, json: {} }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).details).toEqual([
      { field: 'jobs.0.input.files.BANDS', message: `file ${gone} has been deleted` },
      { field: 'jobs.0.input.files.BANDS', message: 'file 999999 does not exist' },
    ]);
    expect(await sql<{ n: string }>('select count(*) as n from job')).toEqual(before);
  });

  it('queue and launch - input files linked and sized, resources grown by inputMultiplier, launch resolves files, workspaces and mounts', async () => {
    const [scene, b1, b2] = fileIds as [number, number, number];
    const { jobIds } = await queue({ files: { IMAGE: [scene], BANDS: [b1, b2] }, json: {} });
    const jobId = jobIds[0]!;
    const [job] = await sql<{ input_file_size: number }>('select input_file_size from job where id = ?', [jobId]);
    expect(job!.input_file_size).toBe(5);
    const links = await sql<{ input_file_id: string; job_input: string }>(
      'select input_file_id, job_input from job_input_file where job_id = ? order by input_file_id',
      [jobId],
    );
    expect(links.map((l) => [Number(l.input_file_id), l.job_input])).toEqual([
      [scene, 'IMAGE'],
      [b1, 'BANDS'],
      [b2, 'BANDS'],
    ]);

    const launch = await nextLaunch();
    expect(launch.token.jobId).toBe(jobId);
    // mem 64 + 2 × 5 MiB, disk 10 + 1 × 5 MiB.
    expect(launch.resources).toMatchObject({ cpus: 1, mem: 74, disk: 15 });
    const broker = { type: 'host', hostPath: '/data/raw' };
    expect(launch.inputFiles).toEqual({
      IMAGE: [
        {
          fileId: scene,
          workspaceId: rawId,
          broker,
          path: 'in/scene.tif',
          fileName: 'scene.tif',
          size: 3 * MIB,
          mediaType: 'image/tiff',
          deleted: false,
        },
      ],
      BANDS: [
        expect.objectContaining({ fileId: b1, path: 'bands/b1.tif', broker }),
        expect.objectContaining({ fileId: b2, path: 'bands/b2.tif', broker }),
      ],
    });
    const products = {
      workspaceId: productsId,
      workspaceName: 'products',
      broker: { type: 'host', hostPath: '/data/products' },
    };
    expect(launch.outputWorkspaces).toEqual({ tiles: products, debug: products });
    expect(launch.container).toEqual({ network: true, imageUser: false, writableRoot: false });
    expect(launch.mounts).toEqual({
      ref: { type: 'host', hostPath: '/data/ref' },
      scratch: { type: 'volume', driver: 'local', driverOpts: { type: 'tmpfs' } },
    });
    const [exe] = await sql<{ input_file_size: number }>('select input_file_size from job_exe where id = ?', [
      launch.token.jobExeId,
    ]);
    expect(exe!.input_file_size).toBe(5);

    const at = new Date().toISOString();
    const stored = (name: string, outputName: string) => ({
      outputName,
      workspaceId: productsId,
      path: `tiler/1.0.0/2026/11/23/job_exe_${launch.token.jobExeId}/${name}`,
      fileName: name.slice(name.lastIndexOf('/') + 1),
      size: 10,
      mediaType: 'image/png',
    });
    const completed: TaskUpdate = {
      status: 'COMPLETED',
      token: launch.token,
      agentId: AGENT,
      at,
      output: { files: {}, json: { count: 2 } },
      taskResults: [],
      outputFiles: [stored('tiles/a.png', 'tiles'), stored('tiles/b.png', 'tiles'), stored('run.log', 'debug')],
    };
    await report(completed);
    const done = await until(async () => {
      const [row] = await sql<{ status: string; output: { files: Record<string, number[]>; json: unknown } }>(
        'select status, output from job where id = ?',
        [jobId],
      );
      return row?.status === 'COMPLETED' && row;
    }, 'job completed');
    const products_ = await sql<{
      id: string;
      file_type: string;
      file_path: string;
      job_output: string;
      job_exe_id: string;
      job_id: string;
      job_type_id: number;
      file_size: string;
    }>(
      'select id, file_type, file_path, job_output, job_exe_id, job_id, job_type_id, file_size from scale_file where job_id = ? order by id',
      [jobId],
    );
    expect(
      products_.map((p) => [p.file_type, p.job_output, Number(p.job_exe_id), Number(p.job_id), p.job_type_id]),
    ).toEqual([
      ['PRODUCT', 'tiles', launch.token.jobExeId, jobId, jobTypeId],
      ['PRODUCT', 'tiles', launch.token.jobExeId, jobId, jobTypeId],
      ['PRODUCT', 'debug', launch.token.jobExeId, jobId, jobTypeId],
    ]);
    const ids = products_.map((p) => Number(p.id));
    expect(done.output).toEqual({ files: { tiles: [ids[0], ids[1]], debug: [ids[2]] }, json: { count: 2 } });
    const [exeRow] = await sql<{ output: unknown }>('select output from job_exe where id = ?', [launch.token.jobExeId]);
    expect(exeRow!.output).toEqual(done.output);

    // A repeated report (a restarted agent) is stale: nothing is registered twice.
    await report({ ...completed, at: new Date().toISOString() });
    await new Promise((r) => setTimeout(r, 500));
    const [count] = await sql<{ n: string }>('select count(*) as n from scale_file where job_id = ?', [jobId]);
    expect(Number(count!.n)).toBe(3);
  });
});
