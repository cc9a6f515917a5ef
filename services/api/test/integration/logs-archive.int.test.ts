/**
 * The history endpoint over both sources: the Postgres archive (written here as the log archiver writes it) and
 * the JetStream stream. Lines that aged out of the stream come from the archive, lines the archiver has not copied
 * yet from the stream, each line once and none missing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureStreams, jetstream } from '@scale/runtime';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import {
  archiveNext,
  createJobType,
  createNode,
  endExe,
  insertExe,
  publishLine,
  readerConsumers,
  type TestExe,
} from '../fixtures/logs.ts';

describe('job execution logs from the archive', () => {
  let h: Harness;
  let jobTypeId: number;
  let nodeId: number;
  const base = Date.parse('2026-03-01T10:00:00.000Z');
  const at = (seconds: number) => new Date(base + seconds * 1000).toISOString();
  const text = (exe: TestExe, query = '') =>
    h.app.inject({ method: 'GET', url: `/v6/job-executions/${exe.id}/logs/combined/${query}` });

  async function purgeStream(): Promise<void> {
    const jsm = await jetstream(h.nc).jetstreamManager();
    await jsm.streams.purge(h.subjects.streams.logs.name);
  }

  beforeAll(async () => {
    h = await startHarness('logsarchive', { logMaxLines: 5 });
    await ensureStreams(h.nc, h.subjects);
    jobTypeId = await createJobType(h);
    nodeId = await createNode(h, 'agent-a', 'host-a.example');
  });
  afterAll(async () => {
    await h.close();
  });

  it('logs - lines that aged out of the stream are served from the archive, newer ones from the stream', async () => {
    const exe = await insertExe(h, jobTypeId, nodeId);
    await publishLine(h, exe.id, 'stdout', 1, 'one', at(1));
    await publishLine(h, exe.id, 'stderr', 2, 'two', at(2));
    await publishLine(h, exe.id, 'stdout', 3, 'three', at(3));
    await archiveNext(h, 3);
    // The stream loses everything it held (age or byte limits); the archive keeps it.
    await purgeStream();
    await publishLine(h, exe.id, 'stdout', 4, 'four', at(4));
    await endExe(h, exe.id);

    const res = await text(exe);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('one\ntwo\nthree\nfour\n');
    const json = await h.app.inject({ method: 'GET', url: `/v6/job-executions/${exe.id}/logs/stderr/?format=json` });
    expect(json.json()).toEqual([
      {
        message: 'two',
        '@timestamp': at(2),
        scale_order_num: 2,
        scale_task: null,
        scale_job_exe: exe.clusterId,
        scale_node: 'host-a.example',
        stream: 'stderr',
      },
    ]);
    expect((await text(exe, `?started=${encodeURIComponent(at(3))}`)).body).toBe('three\nfour\n');
  });

  it('logs - a line in both the archive and the stream (archived, not acked yet) is served once', async () => {
    const exe = await insertExe(h, jobTypeId, nodeId);
    for (let n = 1; n <= 4; n++) await publishLine(h, exe.id, 'stdout', n, `line ${n}`, at(n));
    // Two archived and acked, two more archived but not acked: the floor sits below them.
    await archiveNext(h, 2);
    await archiveNext(h, 2, { ack: false });
    expect((await text(exe)).body).toBe('line 1\nline 2\nline 3\nline 4\n');
  });

  it('logs - with the whole log archived and the stream purged, nothing is lost and 204 means no line anywhere', async () => {
    const exe = await insertExe(h, jobTypeId, nodeId);
    const empty = await insertExe(h, jobTypeId, nodeId);
    for (let n = 1; n <= 3; n++) await publishLine(h, exe.id, 'stdout', n, `kept ${n}`, at(n));
    // Everything still in the stream from the earlier tests, then these three.
    await archiveNext(h, 100);
    await purgeStream();
    expect((await text(exe)).body).toBe('kept 1\nkept 2\nkept 3\n');
    expect((await text(empty)).statusCode).toBe(204);
    expect((await text(exe, `?started=${encodeURIComponent(at(10))}`)).statusCode).toBe(204);
  });

  it('logs - the cap and the truncation flag span both sources', async () => {
    const exe = await insertExe(h, jobTypeId, nodeId);
    for (let n = 1; n <= 4; n++) await publishLine(h, exe.id, 'stdout', n, `line ${n}`, at(n));
    await archiveNext(h, 4);
    await purgeStream();
    for (let n = 5; n <= 8; n++) await publishLine(h, exe.id, 'stdout', n, `line ${n}`, at(n));
    const res = await text(exe);
    expect(res.body).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
    expect(res.headers['x-scale-log-truncated']).toBe('true');
    const rest = await text(exe, `?started=${encodeURIComponent(at(6))}`);
    expect(rest.body).toBe('line 6\nline 7\nline 8\n');
    expect(rest.headers['x-scale-log-truncated']).toBeUndefined();
  });

  it('logs - history reads leave no consumer behind on the stream', async () => {
    expect(await readerConsumers(h)).toEqual([]);
  });
});
