/**
 * The output every benchmark shares: a table (figure, target, limit measured in the same run, ratio) on stdout
 * and a JSON result file in bench/results/<name>-<timestamp>.json (or where --out says).
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { round } from './stats.ts';

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = join(BENCH_DIR, '..');

export interface ResultRow {
  /** What was measured, e.g. "placements/s, whole run". */
  figure: string;
  measured: number;
  unit: string;
  /** The target from BENCHMARKS.md, as text ("≥ 1,000/s"); empty when the row only gives context. */
  target?: string;
  /** The physical or reference limit measured in this run, in the same unit as `measured`. */
  limit?: { label: string; value: number };
  /** measured / limit.value (computed when absent). */
  ratio?: number;
}

export interface BenchResult {
  /** The bench's file name without .ts, e.g. "p1-placements". */
  name: string;
  /** Which targets of BENCHMARKS.md it measures. */
  targets: string[];
  startedAt: string;
  finishedAt: string;
  host: { hostname: string; cpus: number; cpuModel: string; memGiB: number; node: string };
  options: Record<string, unknown>;
  /** What is simulated rather than real (printed above the table too). */
  simulated: string[];
  rows: ResultRow[];
  /** Anything else worth keeping (raw samples, per-phase figures). */
  details: Record<string, unknown>;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function withRatio(row: ResultRow): ResultRow {
  if (row.ratio !== undefined || !row.limit || !row.limit.value) return row;
  return { ...row, ratio: round(row.measured / row.limit.value, 4) };
}

/** Prints the table; the ratio column is measured / limit. */
export function printTable(title: string, rows: readonly ResultRow[], notes: readonly string[] = []): void {
  const header = ['figure', 'measured', 'target', 'limit measured in this run', 'measured / limit'];
  const body = rows
    .map(withRatio)
    .map((r) => [
      r.figure,
      `${formatNumber(r.measured)} ${r.unit}`,
      r.target ?? '',
      r.limit ? `${formatNumber(r.limit.value)} ${r.unit} (${r.limit.label})` : '—',
      r.ratio === undefined ? '—' : `${formatNumber(r.ratio)}`,
    ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${title}`);
  for (const note of notes) console.log(`  ${note}`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const cells of body) console.log(line(cells));
}

/** Writes the JSON result and returns its path. `out` (from --out) overrides the default location. */
export function writeResult(
  result: Omit<BenchResult, 'host' | 'finishedAt'> & { finishedAt?: string },
  out?: string,
): string {
  const full: BenchResult = {
    ...result,
    finishedAt: result.finishedAt ?? new Date().toISOString(),
    host: {
      hostname: hostname(),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memGiB: round(totalmem() / 1024 ** 3, 1),
      node: process.version,
    },
    rows: result.rows.map(withRatio),
  };
  const stamp = full.startedAt.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  const path = out ? resolve(out) : join(BENCH_DIR, 'results', `${full.name}-${stamp}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(full, null, 2)}\n`);
  console.log(`\nresult: ${path}`);
  return path;
}
