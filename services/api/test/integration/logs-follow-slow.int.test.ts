/**
 * Bounded buffering per follower: a client that stops reading is disconnected once its socket stays full, its
 * stream consumer is deleted and its place is free again. The client here is a raw TCP socket that never reads.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureStreams } from '@scale/runtime';
import { type Harness, startHarness } from '../fixtures/harness.ts';
import { createJobType, createNode, eventually, insertExe, readerConsumers } from '../fixtures/logs.ts';

describe('job execution log follow, slow clients', () => {
  let h: Harness;
  let port: number;

  beforeAll(async () => {
    h = await startHarness('logsslow', { logFollow: { slowClientMs: 5000, maxFollowers: 1 } });
    await ensureStreams(h.nc, h.subjects);
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const address = h.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    h.app.server.closeAllConnections();
    await h.close();
  });

  it('follow - a client that does not read is cut off, and its consumer and place are freed', async () => {
    const exe = await insertExe(h, await createJobType(h), await createNode(h, 'agent-s', 'host-s'));
    // 24 MiB of log: far more than the socket buffers between the API and a client that never reads.
    const line = 'x'.repeat(1024);
    const ts = new Date().toISOString();
    for (let n = 1; n <= 24 * 1024; n++) {
      h.nc.publish(h.subjects.log(exe.id, 'stdout'), JSON.stringify({ line, stream: 'stdout', ts, n }));
    }
    await h.nc.flush();

    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.pause();
    socket.write(`GET /v6/job-executions/${exe.id}/logs/combined/follow/ HTTP/1.1\r\nHost: x\r\n\r\n`);
    await eventually(
      () => readerConsumers(h),
      (names) => names.length === 1,
      'the follow to start',
    );
    // While it holds the only place, another follower is refused.
    expect((await fetch(`http://127.0.0.1:${port}/v6/job-executions/${exe.id}/logs/combined/follow/`)).status).toBe(
      503,
    );

    await eventually(
      () => readerConsumers(h),
      (names) => names.length === 0,
      'the slow follower cut off',
    );
    const next = await fetch(`http://127.0.0.1:${port}/v6/job-executions/${exe.id}/logs/stdout/follow/?after=24570`);
    expect(next.status).toBe(200);
    await next.body?.cancel();
    socket.destroy();
  });
});
