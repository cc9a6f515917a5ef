import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureStreams } from '@scale/runtime';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { manifest } from '../fixtures/manifests.ts';

describe('job execution logs', () => {
  let h: Harness;
  let exeId: number;
  let otherExeId: number;
  let bigExeId: number;
  let clusterId: string;
  const base = Date.parse('2026-03-01T10:00:00.000Z');
  const at = (seconds: number) => new Date(base + seconds * 1000).toISOString();

  async function insertExe(jobTypeId: number, nodeId: number): Promise<{ id: number; clusterId: string }> {
    const [rev] = await h.sql<{ id: number }>('select id from job_type_revision where job_type_id = ?', [jobTypeId]);
    const [job] = await h.sql<{ id: string }>(
      `insert into job (job_type_id, job_type_rev_id, status, priority, max_tries, num_exes, input, queued)
       values (?, ?, 'RUNNING', 100, 3, 1, '{"files":{},"json":{}}', now()) returning id`,
      [jobTypeId, rev!.id],
    );
    const cluster = `scale_${job!.id}_1`;
    const [exe] = await h.sql<{ id: string }>(
      `insert into job_exe (job_id, job_type_id, exe_num, cluster_id, node_id, epoch, docker_image, timeout, resources, queued)
       values (?, ?, 1, ?, ?, 1, 'img', 60, '{"cpus":1,"mem":128,"disk":0}', now()) returning id`,
      [job!.id, jobTypeId, cluster, nodeId],
    );
    return { id: Number(exe!.id), clusterId: cluster };
  }

  async function publish(id: number, stream: 'stdout' | 'stderr', n: number, line: string, ts: string) {
    // A JetStream publish over core NATS: the stream answers with a PubAck.
    const ack = await h.nc.request(h.subjects.log(id, stream), JSON.stringify({ line, stream, ts, n }), {
      timeout: 2000,
    });
    expect(ack.json<{ seq?: number }>().seq).toBeGreaterThan(0);
  }

  const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    h = await startHarness('logs', { logMaxLines: 6 });
    const created = await h.app.inject({
      method: 'POST',
      url: '/v6/job-types/',
      payload: { docker_image: 'img', manifest: manifest() },
    });
    const jobTypeId = created.json().id as number;
    const [node] = await h.sql<{ id: number }>(
      `insert into node (agent_id, hostname) values ('agent-1', 'host-1.example') returning id`,
    );
    const exe = await insertExe(jobTypeId, node!.id);
    exeId = exe.id;
    clusterId = exe.clusterId;
    otherExeId = (await insertExe(jobTypeId, node!.id)).id;
    bigExeId = (await insertExe(jobTypeId, node!.id)).id;
  });
  afterAll(async () => {
    await h.close();
  });

  it('logs - 204 before anything was logged, even before the LOGS stream exists', async () => {
    const res = await get(`/v6/job-executions/${exeId}/logs/combined/`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
  });

  describe('with lines in the stream', () => {
    beforeAll(async () => {
      await ensureStreams(h.nc, h.subjects);
      await publish(exeId, 'stdout', 1, 'starting', at(0));
      await publish(exeId, 'stderr', 2, 'warning: low disk', at(1));
      await publish(otherExeId, 'stdout', 1, 'not mine', at(1));
      await publish(exeId, 'stdout', 3, 'working <b>&</b>', at(2));
      // Published late but stamped earlier: ordering follows the timestamps, as Scale's does.
      await publish(exeId, 'stdout', 4, 'done', at(4));
      await publish(exeId, 'stderr', 5, 'exit 0', at(3));
      // A malformed message is skipped, not fatal.
      await h.nc.request(h.subjects.log(exeId, 'stdout'), 'not json', { timeout: 2000 });
    });

    it('logs - JSON hits with the seed field names, in timestamp order', async () => {
      const res = await get(`/v6/job-executions/${exeId}/logs/combined/`, { accept: 'application/json' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json();
      expect(body).toHaveLength(5);
      expect(body[0]).toEqual({
        message: 'starting',
        '@timestamp': at(0),
        scale_order_num: 1,
        scale_task: null,
        scale_job_exe: clusterId,
        scale_node: 'host-1.example',
        stream: 'stdout',
      });
      expect(body.map((entry: { message: string }) => entry.message)).toEqual([
        'starting',
        'warning: low disk',
        'working <b>&</b>',
        'exit 0',
        'done',
      ]);
    });

    it('logs - ?format=json works without an Accept header', async () => {
      const res = await get(`/v6/job-executions/${exeId}/logs/stderr/?format=json`);
      expect(res.json().map((entry: { stream: string }) => entry.stream)).toEqual(['stderr', 'stderr']);
    });

    it('logs - plain text by default, one line per message, per stream', async () => {
      const combined = await get(`/v6/job-executions/${exeId}/logs/combined`);
      expect(combined.statusCode).toBe(200);
      expect(combined.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(combined.body).toBe('starting\nwarning: low disk\nworking <b>&</b>\nexit 0\ndone\n');
      const stdout = await get(`/v6/job-executions/${exeId}/logs/stdout/`, { accept: 'text/plain' });
      expect(stdout.body).toBe('starting\nworking <b>&</b>\ndone\n');
      const stderr = await get(`/v6/job-executions/${exeId}/logs/stderr/`);
      expect(stderr.body).toBe('warning: low disk\nexit 0\n');
    });

    it('logs - HTML with stderr lines marked and text escaped', async () => {
      const res = await get(`/v6/job-executions/${exeId}/logs/combined/?format=html`);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<div class="stderr">warning: low disk</div>');
      expect(res.body).toContain('working &#60;b&#62;&#38;&#60;/b&#62;');
    });

    it('logs - started keeps only lines stamped at or after it (date-time or duration)', async () => {
      const res = await get(`/v6/job-executions/${exeId}/logs/combined/?started=${encodeURIComponent(at(2))}`);
      expect(res.body).toBe('working <b>&</b>\nexit 0\ndone\n');
      const after = await get(`/v6/job-executions/${exeId}/logs/combined/?started=${encodeURIComponent(at(5))}`);
      expect(after.statusCode).toBe(204);
      // A duration means "that long before now".
      await publish(otherExeId, 'stdout', 2, 'just now', new Date().toISOString());
      const recent = await get(`/v6/job-executions/${otherExeId}/logs/combined/?started=PT1H`);
      expect(recent.body).toBe('just now\n');
      expect((await get(`/v6/job-executions/${otherExeId}/logs/combined/`)).body).toBe('not mine\njust now\n');
      const bad = await get(`/v6/job-executions/${exeId}/logs/combined/?started=yesterday`);
      expect(bad.statusCode).toBe(400);
      expect(Object.keys(bad.json().errors)).toEqual(['started']);
    });

    it('logs - at most logMaxLines lines, the oldest first, flagged as truncated', async () => {
      for (let n = 1; n <= 8; n++) await publish(bigExeId, 'stdout', n, `line ${n}`, at(n));
      const res = await get(`/v6/job-executions/${bigExeId}/logs/stdout/`);
      expect(res.body).toBe('line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n');
      expect(res.headers['x-scale-log-truncated']).toBe('true');
      const tail = await get(`/v6/job-executions/${bigExeId}/logs/stdout/?started=${encodeURIComponent(at(7))}`);
      expect(tail.body).toBe('line 7\nline 8\n');
      expect(tail.headers['x-scale-log-truncated']).toBeUndefined();
    });

    it('logs - 404 for an execution that does not exist, a bad id or an unknown log name', async () => {
      const missing = await get('/v6/job-executions/999999/logs/combined/');
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ detail: 'job execution 999999 does not exist' });
      expect((await get('/v6/job-executions/abc/logs/combined/')).statusCode).toBe(404);
      expect((await get(`/v6/job-executions/${exeId}/logs/everything/`)).statusCode).toBe(404);
    });
  });
});
