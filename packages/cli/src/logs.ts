/**
 * `scale-cli logs [-f] <job-id>`: prints the log of a job's latest execution through the Scale API.
 *
 * Without -f: the stored history (the JSON log endpoint, paged with `started=` when the API cuts it), then exit.
 * With -f: the live follow (SSE); after a disconnect it reconnects with `Last-Event-ID` = the last line number it
 * printed, so nothing is printed twice or skipped. When the execution ends and the job is retried, it goes on with
 * the next execution; it exits once the job's latest execution has ended and the job has nothing more to run.
 * Lines from the container's stderr go to stderr, the rest to stdout (as `docker logs` does).
 */
import type { LogsCommand } from './args.ts';
import { SseParser } from './sse.ts';

export interface Io {
  fetch: typeof fetch;
  out(text: string): void;
  err(text: string): void;
  sleep(ms: number): Promise<void>;
  signal: AbortSignal;
}

interface LogEntry {
  message: string;
  '@timestamp': string;
  scale_order_num: number;
  stream: 'stdout' | 'stderr';
}

interface JobDetails {
  id: number;
  status: string;
  execution: { id: number; exe_num: number } | null;
}

/** Nothing more will run for a job in these statuses (until someone requeues it). */
const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED']);
/** How often a job without a running execution is looked at again, ms. */
const JOB_POLL_MS = 1000;
/** Consecutive failed connection attempts before a follow gives up. */
const MAX_RETRIES = 30;

export class CliError extends Error {
  override name = 'CliError';
}

function backoffMs(attempt: number): number {
  return Math.min(5000, 250 * 2 ** Math.min(attempt, 5));
}

async function detail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    return (JSON.parse(text) as { detail?: string }).detail ?? text;
  } catch {
    return text || response.statusText;
  }
}

export async function runLogs(cmd: LogsCommand, io: Io): Promise<void> {
  const print = (entry: LogEntry) => (entry.stream === 'stderr' ? io.err : io.out)(`${entry.message}\n`);

  async function getJob(): Promise<JobDetails> {
    const response = await io.fetch(`${cmd.api}/v6/jobs/${cmd.jobId}/`, { signal: io.signal });
    if (response.status === 404) throw new CliError(`job ${cmd.jobId} does not exist`);
    if (!response.ok) throw new CliError(`cannot read job ${cmd.jobId}: ${response.status} ${await detail(response)}`);
    return (await response.json()) as JobDetails;
  }

  async function printHistory(exeId: number): Promise<void> {
    let last: LogEntry | undefined;
    for (;;) {
      const started = last ? `&started=${encodeURIComponent(last['@timestamp'])}` : '';
      const url = `${cmd.api}/v6/job-executions/${exeId}/logs/${cmd.stream}/?format=json${started}`;
      const response = await io.fetch(url, { signal: io.signal });
      if (response.status === 204) return;
      if (!response.ok) throw new CliError(`cannot read the log: ${response.status} ${await detail(response)}`);
      const entries = (await response.json()) as LogEntry[];
      // The next page starts at the last timestamp shown: skip what was printed (the order is timestamp, then n).
      const fresh = last
        ? entries.filter(
            (e) =>
              e['@timestamp'] > last!['@timestamp'] ||
              (e['@timestamp'] === last!['@timestamp'] && e.scale_order_num > last!.scale_order_num),
          )
        : entries;
      for (const entry of fresh) print(entry);
      if (response.headers.get('x-scale-log-truncated') !== 'true') return;
      if (fresh.length === 0) {
        io.err(`scale-cli: more lines than one page share the timestamp ${last?.['@timestamp']}; use -f for all\n`);
        return;
      }
      last = entries.at(-1);
    }
  }

  /** Follows one execution until it ended; returns the last line number printed. */
  async function follow(exeId: number, after: number): Promise<number> {
    let failures = 0;
    for (;;) {
      let progressed = false;
      try {
        const response = await io.fetch(`${cmd.api}/v6/job-executions/${exeId}/logs/${cmd.stream}/follow/`, {
          headers: { accept: 'text/event-stream', ...(after > 0 ? { 'last-event-id': String(after) } : {}) },
          signal: io.signal,
        });
        if (response.status === 204) return after;
        if (response.status >= 400 && response.status < 500) {
          throw new CliError(`cannot follow the log: ${response.status} ${await detail(response)}`);
        }
        if (response.ok && response.body) {
          const parser = new SseParser();
          const decoder = new TextDecoder();
          for await (const chunk of response.body) {
            for (const event of parser.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
              if (event.event === 'end') return after;
              if (event.event !== 'message') continue;
              print(JSON.parse(event.data) as LogEntry);
              const n = Number(event.id);
              if (Number.isSafeInteger(n)) after = n;
              progressed = true;
            }
          }
        }
      } catch (err) {
        if (err instanceof CliError || io.signal.aborted) throw err;
      }
      // The stream closed early (server restart, network): reconnect after the last line printed.
      failures = progressed ? 0 : failures + 1;
      if (failures > MAX_RETRIES) throw new CliError(`lost the log follow of execution ${exeId}; giving up`);
      await io.sleep(backoffMs(failures));
    }
  }

  const job = await getJob();
  if (!cmd.follow) {
    if (!job.execution) {
      io.err(`scale-cli: job ${cmd.jobId} has not run yet\n`);
      return;
    }
    await printHistory(job.execution.id);
    return;
  }

  let current: { id: number; ended: boolean } | undefined;
  let after = 0;
  let latest = job;
  for (;;) {
    const exe = latest.execution;
    if (exe && exe.id !== current?.id) {
      if (current) io.err(`scale-cli: job ${cmd.jobId} runs again: execution ${exe.exe_num}\n`);
      current = { id: exe.id, ended: false };
      after = 0;
    }
    if (current && !current.ended) {
      after = await follow(current.id, after);
      current.ended = true;
    } else if (FINAL.has(latest.status)) {
      return;
    } else {
      await io.sleep(JOB_POLL_MS);
    }
    if (io.signal.aborted) return;
    latest = await getJob();
    if (current?.ended && latest.execution?.id === current.id && FINAL.has(latest.status)) return;
  }
}
