/**
 * The real node agent (services/node-agent/src/main.ts) as a child process of a bench, on the local Docker engine,
 * with its own agent id, subject prefix and work dir; its leftover containers are removed at cleanup.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subjects } from '@scale/contracts';
import type { Cleanup } from './cleanup.ts';
import { docker } from './docker.ts';
import { type ServiceProcess, startService } from './infra.ts';

export interface AgentProcess extends ServiceProcess {
  agentId: string;
  workDir: string;
  /** When the agent received each launch (its log clock, epoch ms), by job_exe id. */
  launchReceived: Map<number, number>;
}

export async function startNodeAgent(
  cleanup: Cleanup,
  options: { natsUrl: string; subjects: Subjects; cpus: number; memMiB: number; env?: Record<string, string> },
): Promise<AgentProcess> {
  const agentId = `bench-${options.subjects.prefix}`;
  const workDir = mkdtempSync(join(tmpdir(), 'scale-bench-agent-'));
  cleanup.add(`remove ${workDir}`, () => rmSync(workDir, { recursive: true, force: true }));
  cleanup.add(`remove containers of ${agentId}`, async () => {
    for (const id of await docker.listByLabel(`scale.agent_id=${agentId}`)) await docker.remove(id);
  });
  const launchReceived = new Map<number, number>();
  const service = await startService(cleanup, {
    name: 'node-agent',
    script: 'services/node-agent/src/main.ts',
    env: {
      SCALE_NATS_URL: options.natsUrl,
      SCALE_SUBJECT_PREFIX: options.subjects.prefix,
      SCALE_AGENT_ID: agentId,
      SCALE_AGENT_CPUS: String(options.cpus),
      SCALE_AGENT_MEM_MIB: String(options.memMiB),
      SCALE_AGENT_DISK_MIB: '10000',
      SCALE_AGENT_WORK_DIR: workDir,
      SCALE_HEARTBEAT_MS: '1000',
      // debug: the agent logs when each launch arrives, which P3 uses to split its latency.
      SCALE_LOG_LEVEL: 'debug',
      ...options.env,
    },
    ready: (_, entry) => entry?.msg === 'node agent started',
    onEntry: (entry) => {
      if (entry.msg === 'launch received') launchReceived.set(Number(entry.jobExeId), Number(entry.time));
    },
  });
  return { ...service, agentId, workDir, launchReceived };
}
