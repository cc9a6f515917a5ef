#!/usr/bin/env node
/** scale-cli: a small command-line client of the Scale API (`./scale logs ...` runs it). */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseCommand, USAGE } from './args.ts';
import { CliError, runLogs } from './logs.ts';

const parsed = parseCommand(process.argv.slice(2), process.env);
if ('error' in parsed) {
  console.error(`scale-cli: ${parsed.error}\n${USAGE}`);
  process.exit(2);
}
if (parsed.command === 'help') {
  console.log(USAGE);
  process.exit(0);
}

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());
// `scale-cli logs -f 1 | head`: a closed pipe ends the command quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

try {
  await runLogs(parsed, {
    fetch,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    sleep: (ms) => sleep(ms, undefined, { signal: controller.signal }).catch(() => undefined),
    signal: controller.signal,
  });
} catch (err) {
  if (controller.signal.aborted) process.exit(130);
  if (err instanceof CliError) {
    console.error(`scale-cli: ${err.message}`);
    process.exit(1);
  }
  const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') console.error(`scale-cli: no Scale API at ${parsed.api}`);
  else console.error(`scale-cli: ${(err as Error).message}${cause?.message ? `: ${cause.message}` : ''}`);
  process.exit(1);
}
