import { describe, expect, it } from '@jest/globals';
import { agentIdFromHostname, type HostFacts, loadConfig } from './config.ts';

const host: HostFacts = {
  hostname: 'worker-7.example.com',
  cpus: 8,
  totalMemBytes: 16 * 1024 ** 3,
  freeDiskMiB: (dir) => (dir === '/var/lib/scale-agent' ? 1234 : undefined),
};

describe('loadConfig', () => {
  it('loadConfig - defaults from the host', () => {
    expect(loadConfig({}, host)).toEqual({
      nats: { url: 'nats://127.0.0.1:4222', subjectPrefix: 'scale' },
      agent: {
        id: 'worker-7-example-com',
        hostname: 'worker-7.example.com',
        resources: { cpus: 8, mem: Math.floor(16 * 1024 * 0.9), disk: 1234, gpus: 0 },
        workDir: '/var/lib/scale-agent',
        heartbeatMs: 5000,
        killGraceSeconds: 10,
        commandConcurrency: 4,
      },
      docker: { socketPath: '/var/run/docker.sock' },
      log: { level: 'info' },
    });
  });

  it('loadConfig - every variable', () => {
    const config = loadConfig(
      {
        SCALE_NATS_URL: 'nats://nats:4222',
        SCALE_SUBJECT_PREFIX: 'test.a1',
        SCALE_AGENT_ID: 'node_1',
        SCALE_AGENT_CPUS: '2.5',
        SCALE_AGENT_MEM_MIB: '4096',
        SCALE_AGENT_DISK_MIB: '10000',
        SCALE_AGENT_GPUS: '1',
        SCALE_AGENT_WORK_DIR: '/tmp/agent',
        SCALE_HEARTBEAT_MS: '250',
        SCALE_KILL_GRACE_SECONDS: '0',
        SCALE_AGENT_COMMAND_CONCURRENCY: '8',
        DOCKER_SOCKET: '/run/docker.sock',
        SCALE_LOG_LEVEL: 'debug',
      },
      host,
    );
    expect(config).toEqual({
      nats: { url: 'nats://nats:4222', subjectPrefix: 'test.a1' },
      agent: {
        id: 'node_1',
        hostname: 'worker-7.example.com',
        resources: { cpus: 2.5, mem: 4096, disk: 10000, gpus: 1 },
        workDir: '/tmp/agent',
        heartbeatMs: 250,
        killGraceSeconds: 0,
        commandConcurrency: 8,
      },
      docker: { socketPath: '/run/docker.sock' },
      log: { level: 'debug' },
    });
  });

  it('loadConfig - empty values mean defaults; an unmeasurable disk falls back', () => {
    const config = loadConfig({ SCALE_AGENT_CPUS: '', SCALE_AGENT_WORK_DIR: '/elsewhere' }, host);
    expect(config.agent.resources.cpus).toBe(8);
    expect(config.agent.resources.disk).toBe(50_000);
  });

  it('loadConfig - lists every bad variable', () => {
    expect(() =>
      loadConfig(
        {
          SCALE_AGENT_ID: 'has space',
          SCALE_AGENT_CPUS: '-1',
          SCALE_AGENT_WORK_DIR: 'relative',
          SCALE_HEARTBEAT_MS: '10',
          SCALE_LOG_LEVEL: 'loud',
          SCALE_SUBJECT_PREFIX: 'a..b',
        },
        host,
      ),
    ).toThrow(
      /SCALE_SUBJECT_PREFIX[\s\S]*SCALE_AGENT_ID[\s\S]*SCALE_AGENT_CPUS[\s\S]*SCALE_AGENT_WORK_DIR[\s\S]*SCALE_HEARTBEAT_MS[\s\S]*SCALE_LOG_LEVEL/,
    );
  });

  it('loadConfig - the result is frozen', () => {
    expect(Object.isFrozen(loadConfig({}, host))).toBe(true);
  });
});

describe('agentIdFromHostname', () => {
  it.each([
    ['vm', 'vm'],
    ['host.example.com', 'host-example-com'],
    ['a_b-c', 'a_b-c'],
    ['', 'agent'],
  ])('agentIdFromHostname - %j', (hostname, id) => {
    expect(agentIdFromHostname(hostname)).toBe(id);
  });
});
