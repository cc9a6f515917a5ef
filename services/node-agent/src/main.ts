/** Composition root: config → logger → NATS → Docker → app → signals. The only file that reads process.env. */
import { connectNats, createLogger, onShutdownSignal } from '@scale/runtime';
import Docker from 'dockerode';
import { DockerRuntime } from './adapters/docker/docker-runtime.ts';
import { build } from './app.ts';
import { loadConfig } from './config.ts';
import { AGENT_VERSION } from './version.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}

const log = createLogger({ service: 'node-agent', level: config.log.level, version: AGENT_VERSION });
try {
  const nc = await connectNats(config.nats.url, `node-agent-${config.agent.id}`);
  const runtime = new DockerRuntime(new Docker({ socketPath: config.docker.socketPath }));
  const app = build({ config, nc, runtime, log });
  await app.start();
  onShutdownSignal(() => app.stop(), log);
} catch (err) {
  log.fatal({ err }, 'node agent failed to start');
  process.exit(1);
}
