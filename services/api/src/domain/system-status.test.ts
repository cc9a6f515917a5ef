import { describe, expect, it } from '@jest/globals';
import { type StatusProbes, systemStatus } from './system-status.ts';

const dbNow = new Date('2026-01-10T12:00:00.000Z');
const later = (ms: number) => new Date(dbNow.getTime() + ms);
const nodes = { READY: 2, PAUSED: 1, DEGRADED: 0, OFFLINE: 0 };
const settings = { isPaused: false, queueMode: 'FIFO' as const };
const natsOk = { ok: true as const, rttMs: 1.5 };

function probes(over: Partial<StatusProbes> = {}): StatusProbes {
  return {
    database: { lease: { holder: 'sched-a', epoch: 7, expires: later(4500), dbNow }, settings, nodes },
    nats: natsOk,
    ...over,
  };
}

describe('system status', () => {
  it('system status - a live leader, a database and NATS: healthy and READY', () => {
    const status = systemStatus(probes());
    expect(status.healthy).toBe(true);
    expect(status.problems).toEqual([]);
    expect(status.scheduler.state.name).toBe('READY');
    expect(status.scheduler.leader).toEqual({
      holder: 'sched-a',
      epoch: 7,
      lease_expires: '2026-01-10T12:00:04.500Z',
      lease_expires_in_seconds: 4.5,
    });
    expect(status.dependencies.database.OK).toBe(true);
    expect(status.dependencies.msg_queue).toMatchObject({ OK: true, detail: { rtt_ms: 1.5 } });
    expect(status.dependencies.nodes).toMatchObject({ OK: true, errors: [], warnings: [] });
    expect(status.node_counts).toEqual(nodes);
  });

  it('system status - a paused scheduler is still healthy', () => {
    const db = probes().database!;
    const status = systemStatus(probes({ database: { ...db, settings: { isPaused: true, queueMode: 'LIFO' } } }));
    expect(status.healthy).toBe(true);
    expect(status.scheduler).toMatchObject({ state: { name: 'PAUSED' }, is_paused: true, queue_mode: 'LIFO' });
  });

  const expired: [string, { holder: string | null; expiresInMs: number }][] = [
    ['an expired lease', { holder: 'sched-a', expiresInMs: -1 }],
    ['a lease expiring right now', { holder: 'sched-a', expiresInMs: 0 }],
    ['a lease nobody ever held', { holder: null, expiresInMs: 60_000 }],
  ];
  for (const [name, { holder, expiresInMs }] of expired) {
    it(`system status - ${name}: no leader, unhealthy`, () => {
      const db = probes().database!;
      const status = systemStatus(
        probes({ database: { ...db, lease: { holder, epoch: 7, expires: later(expiresInMs), dbNow } } }),
      );
      expect(status.healthy).toBe(false);
      expect(status.problems).toEqual(['no scheduler holds a live lease']);
      expect(status.scheduler.state.name).toBe('OFFLINE');
      expect(status.scheduler.leader).toBeNull();
    });
  }

  it('system status - an unreachable database: unhealthy, scheduler state unknown', () => {
    const status = systemStatus({ database: null, databaseError: 'connect ECONNREFUSED', nats: natsOk });
    expect(status.healthy).toBe(false);
    expect(status.problems).toEqual(['the database is unreachable']);
    expect(status.scheduler).toMatchObject({ state: { name: 'UNKNOWN' }, is_paused: null, leader: null });
    expect(status.dependencies.database).toMatchObject({
      OK: false,
      errors: [{ DATABASE_UNREACHABLE: 'connect ECONNREFUSED' }],
    });
    expect(status.node_counts).toBeNull();
    expect(status.dependencies.nodes.OK).toBe(false);
  });

  it('system status - unreachable NATS: unhealthy', () => {
    const status = systemStatus(probes({ nats: { ok: false, error: 'timeout' } }));
    expect(status.healthy).toBe(false);
    expect(status.problems).toEqual(['NATS is unreachable']);
    expect(status.dependencies.msg_queue).toMatchObject({ OK: false, errors: [{ NATS_UNREACHABLE: 'timeout' }] });
  });

  const nodeCases: [string, typeof nodes, boolean, Record<string, string>[], Record<string, string>[]][] = [
    [
      'no nodes at all',
      { READY: 0, PAUSED: 0, DEGRADED: 0, OFFLINE: 0 },
      false,
      [{ NODES_OFFLINE: 'No nodes reported.' }],
      [],
    ],
    [
      'nodes but none ready',
      { READY: 0, PAUSED: 1, DEGRADED: 0, OFFLINE: 1 },
      false,
      [{ NODES_OFFLINE: 'No node is ready to run jobs.' }],
      [{ NODES_OFFLINE: '1 of 2 nodes are offline.' }],
    ],
    [
      'some offline or degraded',
      { READY: 1, PAUSED: 0, DEGRADED: 1, OFFLINE: 2 },
      true,
      [],
      [{ NODES_OFFLINE: '2 of 4 nodes are offline.' }, { NODES_DEGRADED: '1 of 4 nodes are degraded.' }],
    ],
  ];
  for (const [name, counts, ok, errors, warnings] of nodeCases) {
    it(`system status - ${name}: reported on the nodes dependency, still healthy`, () => {
      const db = probes().database!;
      const status = systemStatus(probes({ database: { ...db, nodes: counts } }));
      expect(status.healthy).toBe(true);
      expect(status.dependencies.nodes).toMatchObject({ OK: ok, errors, warnings });
    });
  }
});
