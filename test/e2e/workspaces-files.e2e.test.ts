/**
 * Data in and out through workspaces, with the real processes: a file registered in a host workspace is the
 * input of a job, the agent mounts it read-only, the job's output file lands in the output workspace and is
 * catalogued as the job's product, and the job's input files and executions read back through the API.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  TEST_NATS_URL,
  type TestDatabase,
  testSubjects,
} from '@scale/testkit';
import { type Platform, startPlatform } from '../../scripts/platform.ts';

const subjects = testSubjects('e2efiles');
const MIB = 1024 * 1024;
/** 8-byte lines making exactly 2 MiB. */
const LINES = (2 * MIB) / 8;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('workspaces and files end to end', () => {
  let db: TestDatabase;
  let platform: Platform;
  let root: string;
  const output: string[] = [];

  // biome-ignore lint/suspicious/noExplicitAny: the test walks response bodies of many shapes.
  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const response = await fetch(`${platform.apiUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  beforeAll(async () => {
    db = await createTestDatabase('e2efiles');
    root = mkdtempSync(join(tmpdir(), 'scale-e2e-files-'));
    mkdirSync(join(root, 'raw', 'texts'), { recursive: true });
    mkdirSync(join(root, 'products'));
    mkdirSync(join(root, 'agent'));
    // Two MiB of lines: inputMultiplier turns the input size into memory.
    writeFileSync(join(root, 'raw', 'texts', 'words.txt'), 'abcdefg\n'.repeat(LINES));
    platform = await startPlatform({
      databaseUrl: db.url,
      natsUrl: TEST_NATS_URL,
      apiPort: await freePort(),
      subjectPrefix: subjects.prefix,
      agentId: `e2e-files-${subjects.prefix}`,
      agentWorkDir: join(root, 'agent'),
      env: { SCALE_LOG_LEVEL: 'warn', SCALE_HEARTBEAT_MS: '1000', SCALE_SCHEDULE_INTERVAL_MS: '250' },
      output: (service, line) => output.push(`[${service}] ${line}`),
    });
  });

  afterAll(async () => {
    await platform?.stop();
    const nc = await connectTestNats();
    await deleteTestStreams(nc, subjects);
    await nc.close();
    await db?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('e2e - a registered file goes through a job into a catalogued product', async () => {
    const raw = await api('POST', '/v6/workspaces/', {
      title: 'Raw',
      configuration: { broker: { type: 'host', host_path: join(root, 'raw') } },
    });
    expect(raw.status).toBe(201);
    const products = await api('POST', '/v6/workspaces/', {
      title: 'Products',
      base_url: 'http://files.example/products',
      configuration: { broker: { type: 'host', host_path: join(root, 'products') } },
    });
    expect(products.status).toBe(201);
    const source = await api('POST', '/v6/files/', { workspace_id: raw.json.id, file_path: 'texts/words.txt' });
    expect(source.status).toBe(201);
    expect(source.json).toMatchObject({ file_size: 2 * MIB, media_type: 'text/plain' });

    const jobType = await api('POST', '/v6/job-types/', {
      docker_image: 'local/busybox:latest',
      manifest: {
        seedVersion: '1.0.0',
        job: {
          name: 'line-count',
          jobVersion: '1.0.0',
          packageVersion: '1.0.0',
          timeout: 60,
          resources: {
            scalar: [
              { name: 'cpus', value: 0.5 },
              { name: 'mem', value: 32, inputMultiplier: 8 },
            ],
          },
          interface: {
            command: `sh -c "wc -l < \${TEXT} > \${OUTPUT_DIR}/lines.count; printf '{\\"lines\\": %d}' $(wc -l < \${TEXT}) > \${OUTPUT_DIR}/seed.outputs.json"`,
            inputs: { files: [{ name: 'TEXT', mediaTypes: ['text/plain'] }] },
            outputs: {
              files: [{ name: 'counts', pattern: '*.count', mediaType: 'text/plain' }],
              json: [{ name: 'lines', type: 'integer' }],
            },
          },
        },
      },
      configuration: { output_workspaces: { default: 'products' } },
    });
    expect(jobType.status).toBe(201);

    const queued = await api('POST', '/v6/jobs/', {
      job_type_id: jobType.json.id,
      input: { files: { TEXT: [source.json.id] } },
    });
    expect(queued.status).toBe(201);
    const jobId = queued.json.id;
    let job: Awaited<ReturnType<typeof api>>['json'];
    const deadline = Date.now() + 90_000;
    for (;;) {
      job = (await api('GET', `/v6/jobs/${jobId}/`)).json;
      if (['COMPLETED', 'FAILED'].includes(job.status)) break;
      if (Date.now() > deadline) throw new Error(`job ${jobId} is ${job.status}\n${output.slice(-40).join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(job).toMatchObject({ status: 'COMPLETED', input_file_size: 2, output: { json: { lines: LINES } } });
    const [productId] = job.output.files.counts;
    expect(typeof productId).toBe('number');

    const product = await api('GET', `/v6/files/${productId}/`);
    expect(product.json).toMatchObject({
      workspace: { id: products.json.id, name: 'products' },
      file_name: 'lines.count',
      media_type: 'text/plain',
      job: { id: jobId },
      job_exe: { id: job.execution.id },
      job_output: 'counts',
      job_type: { id: jobType.json.id, name: 'line-count' },
    });
    expect(product.json.file_path).toMatch(/^line-count\/1\.0\.0\/\d{4}\/\d{2}\/\d{2}\/job_exe_\d+\/lines\.count$/);
    expect(product.json.url).toBe(`http://files.example/products/${product.json.file_path}`);
    expect(readFileSync(join(root, 'products', product.json.file_path), 'utf8').trim()).toBe(String(LINES));
    const listed = await api('GET', `/v6/files/?job_id=${jobId}&job_output=counts`);
    expect(listed.json.results.map((f: { id: number }) => f.id)).toEqual([productId]);

    const inputs = await api('GET', `/v6/jobs/${jobId}/input_files/`);
    expect(inputs.json.results.map((f: { id: number }) => f.id)).toEqual([source.json.id]);

    const executions = await api('GET', `/v6/jobs/${jobId}/executions/`);
    expect(executions.json).toMatchObject({ count: 1, results: [{ exe_num: 1, status: 'COMPLETED' }] });
    const execution = await api('GET', `/v6/jobs/${jobId}/executions/1/`);
    expect(execution.json.task_results.tasks.map((t: { type: string; status: string }) => [t.type, t.status])).toEqual([
      ['pull', 'COMPLETED'],
      ['pre', 'COMPLETED'],
      ['main', 'COMPLETED'],
      ['post', 'COMPLETED'],
    ]);
    // 32 MiB + 8 × 2 MiB of input.
    expect(execution.json).toMatchObject({
      input_file_size: 2,
      resources: { resources: { mem: 48 } },
      output: job.output,
    });
  });
});
