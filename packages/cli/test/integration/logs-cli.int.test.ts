/**
 * `scale-cli logs` against a real API process (services/api/src/main.ts on a test database and subject prefix),
 * with log lines published to JetStream as the node agent publishes them. The scheduler is not running: the test
 * moves executions along in Postgres as the scheduler would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureStreams, type NatsConnection } from '@scale/runtime';
import {
  connectSql,
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  freePort,
  type SqlClient,
  TEST_NATS_URL,
  type TestDatabase,
  testSubjects,
} from '@scale/testkit';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const subjects = testSubjects('cli');

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

describe('scale-cli logs', () => {
  let db: TestDatabase;
  let sql: SqlClient;
  let nc: NatsConnection;
  let port: number;
  let api: ChildProcess | undefined;
  let jobTypeId: number;
  let nodeId: number;
  const runs: Run[] = [];

  async function startApi(): Promise<void> {
    const child = spawn(process.execPath, [join(ROOT, 'services/api/src/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        SCALE_DATABASE_URL: db.url,
        SCALE_NATS_URL: TEST_NATS_URL,
        SCALE_SUBJECT_PREFIX: subjects.prefix,
        SCALE_API_PORT: String(port),
        SCALE_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    api = child;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/v6/version/`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('the API did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function stopApi(): Promise<void> {
    if (!api || api.exitCode !== null) return;
    const exited = once(api, 'exit');
    api.kill('SIGTERM');
    await exited;
  }

  function cli(...args: string[]): Run {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'packages/cli/src/main.ts'), ...args, '--api', `http://127.0.0.1:${port}`],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const run: Run = {
      child,
      stdout: '',
      stderr: '',
      exited: once(child, 'exit').then(([code]) => code as number | null),
    };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      run.stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      run.stderr += chunk;
    });
    runs.push(run);
    return run;
  }

  async function until(done: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** A RUNNING job and its first execution, as the scheduler creates them. */
  async function runningJob(): Promise<{ jobId: number; exeId: number }> {
    const [rev] = await sql.query<{ id: number }>('select id from job_type_revision where job_type_id = $1', [
      jobTypeId,
    ]);
    const [job] = await sql.query<{ id: string }>(
      `insert into job (job_type_id, job_type_rev_id, status, priority, max_tries, num_exes, input, queued, started)
       values ($1, $2, 'RUNNING', 100, 3, 1, '{"files":{},"json":{}}', now(), now()) returning id`,
      [jobTypeId, rev!.id],
    );
    const exeId = await newExecution(Number(job!.id), 1);
    return { jobId: Number(job!.id), exeId };
  }

  async function newExecution(jobId: number, exeNum: number): Promise<number> {
    const [exe] = await sql.query<{ id: string }>(
      `insert into job_exe (job_id, job_type_id, exe_num, cluster_id, node_id, epoch, docker_image, timeout, resources,
         queued, started)
       values ($1, $2, $3, $4, $5, 1, 'img', 60, '{"cpus":1,"mem":128,"disk":0}', now(), now()) returning id`,
      [jobId, jobTypeId, exeNum, `scale_${jobId}_${exeNum}`, nodeId],
    );
    await sql.query('update job set num_exes = $2 where id = $1', [jobId, exeNum]);
    return Number(exe!.id);
  }

  async function endExecution(jobId: number, exeId: number, jobStatus: string): Promise<void> {
    await sql.query(`update job_exe set status = 'COMPLETED', ended = now() where id = $1`, [exeId]);
    const ended = jobStatus === 'RUNNING' ? null : new Date();
    await sql.query('update job set status = $2, ended = $3 where id = $1', [jobId, jobStatus, ended]);
  }

  async function publish(exeId: number, stream: 'stdout' | 'stderr', n: number, line: string): Promise<void> {
    const ack = await nc.request(
      subjects.log(exeId, stream),
      JSON.stringify({ line, stream, ts: new Date().toISOString(), n }),
      { timeout: 2000 },
    );
    expect(ack.json<{ seq?: number }>().seq).toBeGreaterThan(0);
  }

  beforeAll(async () => {
    db = await createTestDatabase('cli');
    sql = await connectSql(db.url);
    nc = await connectTestNats();
    await ensureStreams(nc, subjects);
    port = await freePort();
    await startApi();
    const created = await fetch(`http://127.0.0.1:${port}/v6/job-types/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        docker_image: 'img',
        manifest: {
          seedVersion: '1.0.0',
          job: {
            name: 'cli-logs',
            jobVersion: '1.0.0',
            packageVersion: '1.0.0',
            timeout: 60,
            interface: { command: 'echo' },
          },
        },
      }),
    });
    expect(created.status).toBe(201);
    jobTypeId = ((await created.json()) as { id: number }).id;
    const [node] = await sql.query<{ id: number }>(
      `insert into node (agent_id, hostname) values ('cli-agent', 'cli-host') returning id`,
    );
    nodeId = node!.id;
  });

  afterAll(async () => {
    for (const run of runs) if (run.child.exitCode === null) run.child.kill('SIGKILL');
    await stopApi();
    await deleteTestStreams(nc, subjects);
    await nc.close();
    await sql.close();
    await db.drop();
  });

  it('cli - logs prints the history (container stderr on stderr) and exits', async () => {
    const { jobId, exeId } = await runningJob();
    await publish(exeId, 'stdout', 1, 'hello');
    await publish(exeId, 'stderr', 2, 'warning');
    await publish(exeId, 'stdout', 3, 'bye');
    const run = cli('logs', String(jobId));
    expect(await run.exited).toBe(0);
    expect(run.stdout).toBe('hello\nbye\n');
    expect(run.stderr).toBe('warning\n');
    const stderrOnly = cli('logs', String(jobId), '--stream', 'stderr');
    expect(await stderrOnly.exited).toBe(0);
    expect(stderrOnly.stdout).toBe('');
    expect(stderrOnly.stderr).toBe('warning\n');
  });

  it('cli - logs -f streams live lines, resumes across an API restart, follows a retry, exits at the end', async () => {
    const { jobId, exeId } = await runningJob();
    await publish(exeId, 'stdout', 1, 'first');
    const run = cli('logs', '-f', String(jobId));
    await until(() => run.stdout.includes('first\n'), 'the history');
    await publish(exeId, 'stdout', 2, 'live');
    await until(() => run.stdout.includes('live\n'), 'a live line');

    // The API goes away; lines keep coming; the follow resumes after the last line it printed.
    await stopApi();
    await publish(exeId, 'stdout', 3, 'while the API was down');
    await startApi();
    await until(() => run.stdout.includes('while the API was down\n'), 'the missed line');
    await publish(exeId, 'stderr', 4, 'to stderr');

    // The execution fails and the job is retried: the follow moves on to the next execution.
    await endExecution(jobId, exeId, 'RUNNING');
    const retry = await newExecution(jobId, 2);
    await publish(retry, 'stdout', 1, 'second try');
    await until(() => run.stdout.includes('second try\n'), 'the retried execution');
    await endExecution(jobId, retry, 'COMPLETED');
    expect(await run.exited).toBe(0);
    expect(run.stdout).toBe('first\nlive\nwhile the API was down\nsecond try\n');
    expect(run.stderr).toBe(`to stderr\nscale-cli: job ${jobId} runs again: execution 2\n`);
  });

  it('cli - errors: an unknown job, bad arguments', async () => {
    const missing = cli('logs', '999999');
    expect(await missing.exited).toBe(1);
    expect(missing.stderr).toBe('scale-cli: job 999999 does not exist\n');
    const bad = cli('logs', 'abc');
    expect(await bad.exited).toBe(2);
    expect(bad.stderr).toContain('invalid job id "abc"');
  });
});
