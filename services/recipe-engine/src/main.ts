/** Composition root: config → logger → database → NATS → engine; stops in reverse on SIGTERM/SIGINT. */
import { subjectsFor } from '@scale/contracts';
import { openOrm } from '@scale/db';
import { connectNats, createLogger, onShutdownSignal } from '@scale/runtime';
import { buildRecipeEngine } from './app.ts';
import { loadConfig } from './config.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const log = createLogger({ service: 'recipe-engine', level: config.logLevel });
const orm = await openOrm({ url: config.db.url });
const nc = await connectNats(config.nats.url, `recipe-engine-${config.engineId}`);
let creates = 0;
const crashAfter = config.crashAfterCreates;
const engine = buildRecipeEngine({
  orm,
  nc,
  subjects: subjectsFor(config.nats.subjectPrefix),
  log,
  config,
  ...(crashAfter === undefined
    ? {}
    : {
        afterJobsCreated: () => {
          if (++creates < crashAfter) return;
          log.warn({ creates }, 'failpoint: killing the recipe engine after a job creation');
          process.kill(process.pid, 'SIGKILL');
        },
      }),
});
await engine.start();
log.info({ id: config.engineId }, 'recipe engine started');
onShutdownSignal(async () => {
  await engine.stop();
  await nc.drain();
  await orm.close();
}, log);
