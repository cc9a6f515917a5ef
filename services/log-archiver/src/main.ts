/** Composition root: config → logger → database → NATS → archiver; stops in reverse on SIGTERM/SIGINT. */
import { subjectsFor } from '@scale/contracts';
import { openOrm } from '@scale/db';
import { connectNats, createLogger, onShutdownSignal } from '@scale/runtime';
import { buildLogArchiver } from './app.ts';
import { loadConfig } from './config.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const log = createLogger({ service: 'log-archiver', level: config.logLevel });
const orm = await openOrm({ url: config.databaseUrl, poolSize: 4 });
const nc = await connectNats(config.natsUrl, 'log-archiver');
const archiver = buildLogArchiver({ orm, nc, subjects: subjectsFor(config.subjectPrefix), log, config });
await archiver.start();
onShutdownSignal(async () => {
  await archiver.stop();
  await nc.drain();
  await orm.close();
}, log);
