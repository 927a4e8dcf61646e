/**
 * Reading run logs back: `compare` lines runs up side by side.
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ValueError } from '../engine/errors.js';
import type { RunRecord } from './run_log.js';

/** One run read back: its record and its per-epoch metrics. */
export interface RunData {
  /** The run folder. */
  dir: string;
  /** Its `params.json`. */
  record: RunRecord;
  /** Metric name → values per epoch (NaN where the CSV says NA). */
  metrics: Record<string, number[]>;
}

/** Reads a run folder written by `callbacks.runLog`. */
export function readRun(dir: string): RunData {
  const p = join(dir, 'params.json');
  if (!existsSync(p)) throw new ValueError(`runs: ${dir} has no params.json; is it a run folder written by callbacks.runLog?`);
  const record = JSON.parse(readFileSync(p, 'utf8')) as RunRecord;
  const metrics: Record<string, number[]> = {};
  const csv = join(dir, 'metrics.csv');
  if (existsSync(csv)) {
    const [head, ...rows] = readFileSync(csv, 'utf8').trim().split('\n');
    const names = head ? head.split(',') : [];
    for (const row of rows) {
      row.split(',').forEach((cell, i) => {
        if (names[i] && names[i] !== 'epoch') (metrics[names[i]!] ??= []).push(cell === 'NA' ? NaN : Number(cell));
      });
    }
  }
  return { dir, record, metrics };
}

/** Run folders under `dirs`: each entry is a run folder, or a folder of run folders. */
export function findRuns(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    if (existsSync(join(d, 'params.json'))) out.push(d);
    else if (existsSync(d)) {
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory() && existsSync(join(d, e.name, 'params.json'))) out.push(join(d, e.name));
    } else throw new ValueError(`runs.compare: ${d} does not exist`);
  }
  return out;
}

/** Options of {@link compare}. */
export interface CompareOptions {
  /** Sort by this metric's best value (`val_accuracy`, …). Default: no sorting (the given order). */
  sortBy?: string;
  /** Print the table to the console too. Default true. */
  print?: boolean;
}

const lowerIsBetter = (m: string) => /loss|error|mse|mae/i.test(m);
function fmt(v: unknown): string {
  if (typeof v !== 'number') return v === undefined ? '' : String(v);
  if (Number.isNaN(v)) return 'NA';
  return Number.isInteger(v) ? String(v) : Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toPrecision(4);
}

/**
 * A table of runs side by side: name, recorded params, epochs, and each metric's last and
 * best value (min for losses, max otherwise). Returns the table; prints it unless
 * `print: false`.
 * @example `st.runs.compare(['runs'], { sortBy: 'val_accuracy' })`
 */
export function compare(dirs: readonly string[], opts: CompareOptions = {}): string {
  const runs = findRuns(dirs).map(readRun);
  const best = (m: string, vs: number[]) => {
    const ok = vs.filter((v) => Number.isFinite(v));
    return ok.length ? (lowerIsBetter(m) ? Math.min(...ok) : Math.max(...ok)) : NaN;
  };
  if (opts.sortBy) {
    const m = opts.sortBy;
    const key = (r: RunData) => { const b = best(m, r.metrics[m] ?? []); return Number.isNaN(b) ? Infinity : lowerIsBetter(m) ? b : -b; };
    runs.sort((a, b) => key(a) - key(b));
  }
  const params = [...new Set(runs.flatMap((r) => Object.keys(r.record.params)))];
  const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const head = ['run', ...params, 'epochs', ...metrics.flatMap((m) => [m, `best ${m}`])];
  const body = runs.map((r) => [
    r.record.name ?? basename(r.dir), ...params.map((p) => fmt(r.record.params[p])), fmt(r.record.epochs ?? r.metrics[metrics[0]!]?.length),
    ...metrics.flatMap((m) => [fmt(r.metrics[m]?.at(-1)), fmt(best(m, r.metrics[m] ?? []))]),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const table = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
  if (opts.print ?? true) console.log(table);
  return table;
}
