/**
 * The whole platform as real processes (migrations, scheduler, recipe engine, node agent, API) on real Postgres,
 * NATS with JetStream and Docker: register job types, queue jobs through v5 and v6, run them in containers,
 * read their logs, and check how a failure is classified.
 */

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type E2ePlatform, startE2ePlatform } from './support/harness.ts';
import { seedManifest } from './support/manifests.ts';

function manifest(name: string, command: string, extra: Record<string, unknown> = {}) {
  return seedManifest(name, {
    title: `E2E ${name}`,
    cpus: 0.5,
    mem: 64,
    interface: { command, ...extra },
    errors: [{ code: 4, name: 'bad-input', title: 'Bad input', category: 'data' }],
  });
}

describe('job lifecycle end to end', () => {
  let e2e: E2ePlatform;
  const api: E2ePlatform['api'] = (...args) => e2e.api(...args);
  const waitForJob: E2ePlatform['waitForJob'] = (...args) => e2e.waitForJob(...args);
  const registerJobType: E2ePlatform['registerJobType'] = (...args) => e2e.registerJobType(...args);

  beforeAll(async () => {
    e2e = await startE2ePlatform({
      label: 'e2e',
      tmpPrefix: 'scale-e2e-',
      env: { SCALE_LOG_LEVEL: 'warn', SCALE_HEARTBEAT_MS: '1000', SCALE_SCHEDULE_INTERVAL_MS: '250' },
    });
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('e2e - runs a job queued through v6 in a container, with its output and logs', async () => {
    const jobTypeId = await registerJobType(
      manifest(
        'e2e-echo',
        `sh -c "echo hello \${GREETING}; echo oops >&2; printf '{\\"count\\": 3}' > \${OUTPUT_DIR}/seed.outputs.json"`,
        {
          inputs: { json: [{ name: 'GREETING', type: 'string' }] },
          outputs: { json: [{ name: 'count', type: 'integer' }] },
        },
      ),
    );
    const queued = await api('POST', '/v6/jobs/', {
      job_type_id: jobTypeId,
      input: { files: {}, json: { GREETING: 'world' } },
    });
    expect(queued.status).toBe(201);
    expect(queued.headers.get('location')).toMatch(new RegExp(`/v6/jobs/${queued.json.id}/$`));

    const job = await waitForJob(queued.json.id, ['COMPLETED', 'FAILED']);
    expect(job).toMatchObject({ status: 'COMPLETED', num_exes: 1, error: null, output: { json: { count: 3 } } });
    expect(job.execution).toMatchObject({ status: 'COMPLETED', exe_num: 1 });

    const combined = await api('GET', `/v6/job-executions/${job.execution.id}/logs/combined/`);
    expect(combined.status).toBe(200);
    expect(combined.text).toContain('hello world');
    expect(combined.text).toContain('oops');
    const stdout = await api('GET', `/v6/job-executions/${job.execution.id}/logs/stdout/`);
    expect(stdout.text).toContain('hello world');
    expect(stdout.text).not.toContain('oops');
  });

  it('e2e - runs a job queued through the v5 queue endpoint', async () => {
    const jobTypeId = await registerJobType(
      manifest('e2e-v5', 'sh -c "echo v5 says ${WORD}"', {
        inputs: { json: [{ name: 'WORD', type: 'string' }] },
      }),
    );
    const queued = await api('POST', '/queue/new-job/', {
      job_type_id: jobTypeId,
      job_data: { version: '1.0', input_data: [{ name: 'WORD', value: 'hi' }] },
    });
    expect(queued.status).toBe(201);
    expect(queued.headers.get('location')).toBeTruthy();
    const job = await waitForJob(queued.json.id, ['COMPLETED', 'FAILED']);
    expect(job.status).toBe('COMPLETED');
    const logs = await api('GET', `/v6/job-executions/${job.execution.id}/logs/stdout/`);
    expect(logs.text).toContain('v5 says hi');
  });

  it('e2e - classifies a failing job by the exit code its manifest maps', async () => {
    const jobTypeId = await registerJobType(manifest('e2e-fail', 'sh -c "echo cannot read input >&2; exit 4"'));
    const unmappedTypeId = await registerJobType(manifest('e2e-crash', 'sh -c "exit 7"'));
    const mapped = await api('POST', '/v6/jobs/', { job_type_id: jobTypeId, input: { files: {}, json: {} } });
    const unmapped = await api('POST', '/v6/jobs/', { job_type_id: unmappedTypeId, input: { files: {}, json: {} } });
    const failed = await waitForJob(mapped.json.id, ['COMPLETED', 'FAILED']);
    expect(failed).toMatchObject({ status: 'FAILED', error: { name: 'bad-input', category: 'DATA' } });
    const crashed = await waitForJob(unmapped.json.id, ['COMPLETED', 'FAILED']);
    expect(crashed).toMatchObject({ status: 'FAILED', error: { name: 'algorithm-unknown', category: 'ALGORITHM' } });
  });
});
