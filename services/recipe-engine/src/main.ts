import { subjectsFor } from '@scale/contracts';
import { connectNats, createLogger, onShutdownSignal } from '@scale/runtime';
import { buildRecipeEngine } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(process.env);
const log = createLogger({ service: 'recipe-engine', level: config.logLevel });
const nc = await connectNats(config.natsUrl, 'recipe-engine');
const engine = buildRecipeEngine({ nc, subjects: subjectsFor(config.subjectPrefix), log });
await engine.start();
log.info('recipe engine started');
onShutdownSignal(async () => {
  await engine.stop();
  await nc.drain();
}, log);
