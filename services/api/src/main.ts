/** Composition root: config → logger → database → NATS → server → listen; stops in reverse on SIGTERM/SIGINT. */
import { readFileSync } from 'node:fs';
import { subjectsFor } from '@scale/contracts';
import { openOrm } from '@scale/db';
import { connectNats, createLogger, onShutdownSignal } from '@scale/runtime';
import { loadConfig } from './config.ts';
import { buildServer } from './server.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const log = createLogger({ service: 'api', level: config.logLevel, version });
// Migrations are the launcher's job: the API only reads and writes an already migrated schema.
const orm = await openOrm({ url: config.db.url });
const nc = await connectNats(config.nats.url, 'api');
const app = buildServer({ orm, nc, subjects: subjectsFor(config.nats.subjectPrefix), log, version });
await app.listen({ host: config.http.host, port: config.http.port });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.http.port;
const base = `http://${config.http.host}:${port}`;
console.log(`API listening on ${base} (docs: ${base}/docs)`);

onShutdownSignal(async () => {
  await app.close();
  await nc.drain();
  await orm.close();
}, log);
