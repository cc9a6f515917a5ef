/**
 * Job type pause and archive through the API, against the real scheduler and node agent: a paused type's queued
 * jobs stay queued while other types run, and run once it is unpaused (here through the v5 PATCH); an archived type
 * accepts no new jobs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type E2ePlatform, startE2ePlatform } from './support/harness.ts';
import { seedManifest } from './support/manifests.ts';

function manifest(name: string) {
  return seedManifest(name, {
    title: `E2E ${name}`,
    cpus: 0.25,
    mem: 32,
    interface: { command: `sh -c "echo ${name} ran"` },
  });
}

describe('job type pause end to end', () => {
  let e2e: E2ePlatform;
  const api: E2ePlatform['api'] = (...args) => e2e.api(...args);
  const waitForJob = (id: number, statuses: string[]) => e2e.waitForJob(id, statuses, 60_000);
  const register = (name: string) => e2e.registerJobType(manifest(name));
  const queue = async (jobTypeId: number) => api('POST', '/v6/jobs/', { job_type_id: jobTypeId, input: {} });

  beforeAll(async () => {
    e2e = await startE2ePlatform({
      label: 'e2epause',
      agentId: (prefix) => `e2e-pause-${prefix}`,
      tmpPrefix: 'scale-e2e-pause-',
      env: { SCALE_LOG_LEVEL: 'warn', SCALE_HEARTBEAT_MS: '1000', SCALE_SCHEDULE_INTERVAL_MS: '250' },
    });
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('e2e - a paused job type keeps its jobs queued until it is unpaused', async () => {
    const pausedTypeId = await register('e2e-paused');
    const otherTypeId = await register('e2e-running');
    const paused = await api('PATCH', '/v6/job-types/e2e-paused/1.0.0/', { is_paused: true });
    expect(paused).toMatchObject({ status: 200, json: { is_valid: true, errors: [] } });

    const waiting = await queue(pausedTypeId);
    expect(waiting.status).toBe(201);
    // Another type's job runs to the end meanwhile: the scheduler made passes and skipped the paused type.
    const other = await queue(otherTypeId);
    expect((await waitForJob(other.json.id, ['COMPLETED', 'FAILED'])).status).toBe('COMPLETED');
    await new Promise((r) => setTimeout(r, 1000));
    expect((await api('GET', `/v6/jobs/${waiting.json.id}/`)).json.status).toBe('QUEUED');
    const status = (await api('GET', '/v6/job-types/status/')).json;
    const counts = status.results.find((r: { job_type: { id: number } }) => r.job_type.id === pausedTypeId);
    expect(counts.job_type.is_paused).toBe(true);
    expect(counts.job_counts).toEqual([expect.objectContaining({ status: 'QUEUED', count: 1 })]);

    const resumed = await api('PATCH', `/job-types/${pausedTypeId}/`, { is_paused: false });
    expect(resumed.status).toBe(201);
    expect(resumed.json).toMatchObject({ is_paused: false, paused: null });
    expect((await waitForJob(waiting.json.id, ['COMPLETED', 'FAILED'])).status).toBe('COMPLETED');
  });

  it('e2e - an archived job type accepts no new jobs', async () => {
    const typeId = await register('e2e-archived');
    expect((await api('PATCH', '/v6/job-types/e2e-archived/1.0.0/', { is_active: false })).status).toBe(200);
    const refused = await queue(typeId);
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toEqual({ job_type_id: [`job type ${typeId} is not active`] });
  });
});
