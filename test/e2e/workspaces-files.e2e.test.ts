/**
 * Data in and out through workspaces, with the real processes: a file registered in a host workspace is the
 * input of a job, the agent mounts it read-only, the job's output file lands in the output workspace and is
 * catalogued as the job's product, and the job's input files and executions read back through the API.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type E2ePlatform, startE2ePlatform } from './support/harness.ts';
import { seedManifest } from './support/manifests.ts';

const MIB = 1024 * 1024;
/** 8-byte lines making exactly 2 MiB. */
const LINES = (2 * MIB) / 8;

describe('workspaces and files end to end', () => {
  let e2e: E2ePlatform;
  let root: string;
  const api: E2ePlatform['api'] = (...args) => e2e.api(...args);

  beforeAll(async () => {
    e2e = await startE2ePlatform({
      label: 'e2efiles',
      agentId: (prefix) => `e2e-files-${prefix}`,
      tmpPrefix: 'scale-e2e-files-',
      agentSubdir: 'agent',
      prepare: (dir) => {
        mkdirSync(join(dir, 'raw', 'texts'), { recursive: true });
        mkdirSync(join(dir, 'products'));
        // Two MiB of lines: inputMultiplier turns the input size into memory.
        writeFileSync(join(dir, 'raw', 'texts', 'words.txt'), 'abcdefg\n'.repeat(LINES));
      },
      env: { SCALE_LOG_LEVEL: 'warn', SCALE_HEARTBEAT_MS: '1000', SCALE_SCHEDULE_INTERVAL_MS: '250' },
    });
    root = e2e.dir;
  });

  afterAll(async () => {
    await e2e?.stop();
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

    const jobTypeId = await e2e.registerJobType(
      seedManifest('line-count', {
        cpus: 0.5,
        mem: 32,
        memInputMultiplier: 8,
        interface: {
          command: `sh -c "wc -l < \${TEXT} > \${OUTPUT_DIR}/lines.count; printf '{\\"lines\\": %d}' $(wc -l < \${TEXT}) > \${OUTPUT_DIR}/seed.outputs.json"`,
          inputs: { files: [{ name: 'TEXT', mediaTypes: ['text/plain'] }] },
          outputs: {
            files: [{ name: 'counts', pattern: '*.count', mediaType: 'text/plain' }],
            json: [{ name: 'lines', type: 'integer' }],
          },
        },
      }),
      { configuration: { output_workspaces: { default: 'products' } } },
    );

    const queued = await api('POST', '/v6/jobs/', {
      job_type_id: jobTypeId,
      input: { files: { TEXT: [source.json.id] } },
    });
    expect(queued.status).toBe(201);
    const jobId = queued.json.id;
    const job = await e2e.waitForJob(jobId, ['COMPLETED', 'FAILED'], 90_000);
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
      job_type: { id: jobTypeId, name: 'line-count' },
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
