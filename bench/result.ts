/**
 * What the benchmark records for one side of one job, and the summaries derived from
 * it. These records are what `bench/results.json` holds.
 */
import type { Timing } from './protocol.js';

/** The libraries compared. */
export type Side = 'strata' | 'tfjs-layers' | 'pytorch';

/** One side of one job: who runs it and on which backend. */
export interface Entrant {
  side: Side;
  /** Requested backend: `'cpu'`, `'wasm'`, or `'default'` (strata's `st.ready()` pick). */
  backend: string;
  /** strata only: threads asked of `st.setThreads`; undefined leaves its default (every core). */
  threads?: number;
}

/** The outcome of one side of one job. */
export interface SideResult extends Entrant {
  job: string;
  /** `ok`: timed; `fails`: the library could not run it; `timeout`: one step took longer than the limit. */
  status: 'ok' | 'fails' | 'timeout';
  /** Why it failed or timed out. */
  message?: string;
  /** The backend the child reports it ran on. */
  ranOn?: string;
  /** Steps in each timed repetition. */
  stepsPerRep?: number;
  /** Whether the side was slow and timed single steps after a small-batch warm-up. */
  slow?: boolean;
  /** The timed repetitions. */
  timings: Timing[];
  /** Median samples per wall-clock second over the repetitions (over processes: the median of each process's median). */
  wallSamplesPerSec?: number;
  /** With several processes: each one's median samples per wall-clock second, in the order they ran. */
  processWallSamplesPerSec?: number[];
  /** Median samples per CPU second (user + system, all threads of the child). */
  cpuSamplesPerSec?: number;
  /** Median cores busy: CPU seconds ÷ wall seconds of a repetition. */
  coresUsed?: number;
  /** Median cores other processes kept busy during the repetitions (`machine_load.ts`). */
  otherCores?: number;
  /** For a timeout: throughput is below this many samples per wall-clock second. */
  upperBound?: number;
  /** For a timeout: throughput is below this many samples per CPU second. */
  upperBoundCpu?: number;
  /** Peak resident set size of the child, MiB. */
  maxRssMb?: number;
  /** Checksum of the data the side loaded. */
  checksum?: number;
  /** Loss of the first samples at the initial weights (`InitialCheck`; every side of a job must agree). */
  initialLoss?: number;
  /** Largest difference of its initial predictions from the job's first side's. */
  initialOutputDiff?: number;
}

/** The wasm SIMD GEMM peak measured by `gemm_peak.ts`. */
export interface GemmPeak {
  threads: number;
  /** `'threaded-simd'` or `'simd'`. */
  build?: string;
  /** Side of the square product that ran fastest. */
  size: number;
  /** Its median GFLOP/s (wall clock). */
  gflops: number;
}

/** The median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The median of `value` over the timings, taken within each process first where several
 * timed the side (a process's mode then counts once, however many repetitions it ran).
 */
function perProcessMedian(timings: Timing[], value: (t: Timing) => number): { overall: number; perProcess: number[] } {
  const ids = [...new Set(timings.map((t) => t.process ?? 0))];
  const perProcess = ids.map((id) => median(timings.filter((t) => (t.process ?? 0) === id).map(value)));
  return { overall: median(perProcess), perProcess };
}

/** Fills in the median throughputs of a result from its timings. */
export function summarize(r: SideResult, batchSize: number): void {
  if (r.timings.length === 0) return;
  const wall = perProcessMedian(r.timings, (t) => (t.steps * batchSize) / t.wallSec);
  r.wallSamplesPerSec = wall.overall;
  if (wall.perProcess.length > 1) r.processWallSamplesPerSec = wall.perProcess;
  r.cpuSamplesPerSec = perProcessMedian(r.timings, (t) => (t.steps * batchSize) / t.cpuSec).overall;
  r.coresUsed = perProcessMedian(r.timings, (t) => t.cpuSec / t.wallSec).overall;
  const others = r.timings.flatMap((t) => (t.otherCores === undefined ? [] : [t.otherCores]));
  if (others.length) r.otherCores = median(others);
}
