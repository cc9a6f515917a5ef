/** Command-line parsing for `scale-cli`. Pure: argv in, a command or a usage error out. */
import { parseArgs } from 'node:util';

export const USAGE = `usage: scale-cli logs [-f] [--stream combined|stdout|stderr] [--api URL] <job-id>
  -f, --follow      keep streaming new lines until the job's execution ends (resumes after disconnects)
  --stream NAME     combined (default), stdout or stderr
  --api URL         the Scale API (default: $SCALE_API_URL or http://127.0.0.1:8000)`;

export type LogName = 'combined' | 'stdout' | 'stderr';

export interface LogsCommand {
  command: 'logs';
  jobId: number;
  follow: boolean;
  stream: LogName;
  api: string;
}

export type Parsed = LogsCommand | { command: 'help' } | { error: string };

const DEFAULT_API = 'http://127.0.0.1:8000';

export function parseCommand(argv: readonly string[], env: Record<string, string | undefined> = {}): Parsed {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    return { command: 'help' };
  }
  if (command !== 'logs') return { error: `unknown command "${command}"` };
  let parsed: ReturnType<typeof parseLogsArgs>;
  try {
    parsed = parseLogsArgs(rest);
  } catch (err) {
    return { error: (err as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (positionals.length !== 1) return { error: 'expected exactly one job id' };
  const jobId = Number(positionals[0]);
  if (!/^\d+$/.test(positionals[0]!) || !Number.isSafeInteger(jobId) || jobId < 1) {
    return { error: `invalid job id "${positionals[0]}"` };
  }
  const stream = values.stream ?? 'combined';
  if (stream !== 'combined' && stream !== 'stdout' && stream !== 'stderr') {
    return { error: `--stream must be combined, stdout or stderr, not "${stream}"` };
  }
  const api = values.api ?? env.SCALE_API_URL ?? DEFAULT_API;
  try {
    const url = new URL(api);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    return { error: `--api must be an http(s) URL, not "${api}"` };
  }
  return { command: 'logs', jobId, follow: values.follow ?? false, stream, api: api.replace(/\/+$/, '') };
}

function parseLogsArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      follow: { type: 'boolean', short: 'f' },
      stream: { type: 'string' },
      api: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
