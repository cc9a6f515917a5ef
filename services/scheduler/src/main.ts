import { subjectsFor } from '@scale/contracts';
import { openOrm } from '@scale/db';
import { connectNats, createLogger, onShutdownSignal } from '@scale/runtime';
import { buildScheduler } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(process.env);
const log = createLogger({ service: 'scheduler', level: config.logLevel });
const orm = await openOrm({ url: config.databaseUrl });
const nc = await connectNats(config.natsUrl, `scheduler-${config.schedulerId}`);
const scheduler = buildScheduler({ orm, nc, subjects: subjectsFor(config.subjectPrefix), log, config });
await scheduler.start();
log.info({ id: config.schedulerId }, 'scheduler started');
onShutdownSignal(async () => {
  await scheduler.stop();
  await nc.drain();
  await orm.close();
}, log);
