/**
 * A private nats-server with JetStream for tests that stop or restart the broker (the shared one on 4222 serves
 * every other test file at the same time). Data lives in a temporary store directory that survives restarts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';

export interface PrivateNatsServer {
  url: string;
  /** Stops the server (SIGTERM, or SIGKILL when `hard`) and starts it again on the same port and store. */
  restart(options?: { hard?: boolean; downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(!!socket.destroy()));
    socket.once('error', () => resolve(false));
  });
}

export async function startPrivateNatsServer(): Promise<PrivateNatsServer> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'scale-nats-'));
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await listening(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`nats-server did not start on port ${port}`);
  }

  async function halt(hard = false): Promise<void> {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(hard ? 'SIGKILL' : 'SIGTERM');
    await exited;
  }

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    async restart({ hard = false, downMs = 500 } = {}) {
      await halt(hard);
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async stop() {
      await halt();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
