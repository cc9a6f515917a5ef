/**
 * Keeps the benchmarks working: each one runs at its smallest size as a child process (`node bench/<name>.ts
 * --small`) against the machine's PostgreSQL and NATS, and must exit 0 and write a JSON result with the common
 * keys. Nothing about time is checked: benchmarks are not tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ROOT } from '../../scripts/platform.ts';

/** One entry per benchmark: its file under bench/, the smoke-size arguments and the targets its result names. */
const BENCHES: { name: string; args: string[]; targets: string[] }[] = [
  { name: 'p1-placements', args: ['--small'], targets: ['P1'] },
  { name: 'p9-lost-node', args: ['--small'], targets: ['P9'] },
  { name: 'p10-bulk-cancel', args: ['--small'], targets: ['P10'] },
  { name: 'p2-container-jobs', args: ['--small', '--jobs', '8'], targets: ['P2'] },
  { name: 'p3-submit-running', args: ['--small', '--samples', '3'], targets: ['P3'] },
  { name: 'p7-log-follow', args: ['--small'], targets: ['P7'] },
  { name: 'p8-job-lists', args: ['--small', '--samples', '2'], targets: ['P8'] },
];

function runBench(name: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const { NODE_OPTIONS: _, ...env } = process.env;
  const child = spawn(process.execPath, [join(ROOT, 'bench', `${name}.ts`), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('benchmarks at smoke size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scale-bench-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const bench of BENCHES) {
    it(`benchmarks - ${bench.name} runs and writes its result`, async () => {
      const out = join(dir, `${bench.name}.json`);
      const { code, output } = await runBench(bench.name, [...bench.args, '--out', out]);
      if (code !== 0) throw new Error(`${bench.name} exited with ${code}:\n${output.slice(-4000)}`);
      const result = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
      expect(result).toMatchObject({ name: bench.name, targets: bench.targets });
      for (const key of ['startedAt', 'finishedAt', 'host', 'options', 'simulated', 'rows', 'details']) {
        expect(result).toHaveProperty(key);
      }
      const rows = result.rows as { figure: string; measured: number; unit: string }[];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(typeof row.figure).toBe('string');
        expect(typeof row.measured).toBe('number');
      }
    }, 240_000);
  }
});
