/**
 * Starts the platform's processes (migrations, scheduler, recipe engine, node agent, API) as children and stops
 * them in reverse order. Used by `./scale up` and by the end-to-end tests, so both run the same real processes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface PlatformOptions {
  databaseUrl: string;
  natsUrl: string;
  apiPort: number;
  subjectPrefix?: string;
  agentId?: string;
  agentWorkDir: string;
  /** Extra environment for every service (log level, heartbeat periods...). */
  env?: Record<string, string>;
  /** Where service output goes: inherit (terminal) or a callback per line. */
  output?: 'inherit' | ((service: string, line: string) => void);
}

export interface Platform {
  apiUrl: string;
  processes: Map<string, ChildProcess>;
  /**
   * Starts one more service process (a standby scheduler, a restarted agent...) under `key`, with extra environment;
   * stop() stops it with the rest.
   */
  spawn(service: string, key: string, env?: Record<string, string>): ChildProcess;
  stop(): Promise<void>;
}

const SERVICES = ['scheduler', 'recipe-engine', 'log-archiver', 'node-agent', 'api'] as const;

function run(name: string, script: string, env: NodeJS.ProcessEnv, output: PlatformOptions['output']): ChildProcess {
  const child = spawn(process.execPath, [join(ROOT, script), ...(name === 'migrate' ? ['migrate'] : [])], {
    cwd: ROOT,
    env,
    stdio: output === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
  });
  if (typeof output === 'function') {
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) output(name, line);
      });
    }
  }
  return child;
}

async function waitForApi(url: string, deadlineMs: number, processes: Map<string, ChildProcess>): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    for (const [name, child] of processes) {
      if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} during start-up`);
    }
    try {
      const response = await fetch(`${url}/v6/version/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`API did not answer at ${url} within ${deadlineMs} ms`);
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SCALE_DATABASE_URL: options.databaseUrl,
    SCALE_NATS_URL: options.natsUrl,
    SCALE_API_PORT: String(options.apiPort),
    SCALE_SUBJECT_PREFIX: options.subjectPrefix ?? 'scale',
    SCALE_AGENT_WORK_DIR: options.agentWorkDir,
    ...(options.agentId ? { SCALE_AGENT_ID: options.agentId } : {}),
    ...options.env,
  };
  const output = options.output ?? 'inherit';
  const migrate = run('migrate', 'packages/db/src/cli.ts', env, output);
  const [code] = (await once(migrate, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`migrations failed with code ${code}`);

  const processes = new Map<string, ChildProcess>();
  const platform: Platform = {
    apiUrl: `http://127.0.0.1:${options.apiPort}`,
    processes,
    spawn(service, key, extra = {}) {
      const child = run(key, `services/${service}/src/main.ts`, { ...env, ...extra }, output);
      processes.set(key, child);
      return child;
    },
    async stop() {
      for (const name of [...processes.keys()].reverse()) {
        const child = processes.get(name)!;
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  for (const service of SERVICES) processes.set(service, run(service, `services/${service}/src/main.ts`, env, output));
  try {
    await waitForApi(platform.apiUrl, 60_000, processes);
  } catch (err) {
    await platform.stop();
    throw err;
  }
  return platform;
}
