/**
 * The ratio table and the speed targets, judged as PASS/FAIL on the smaller of the
 * wall-clock and CPU-time ratios (the conservative reading).
 */
import { conservative, find, ratio, ratioCell, type Ratio } from './compare.js';
import type { Job } from './plan.js';
import type { GemmPeak, SideResult } from './result.js';

/** What the ratio table and the targets need to know about the run. */
export interface RunFacts {
  jobs: Job[];
  results: SideResult[];
  /** The backend `st.ready()` picked. */
  defaultBackend: string;
  /** Whether the PyTorch side ran. */
  pytorch: boolean;
  /** A warning added to the PyTorch targets (e.g. a build with slow BLAS). */
  pytorchCaveat?: string;
  /** The wasm SIMD GEMM peaks measured (one thread, every core). */
  peaks: GemmPeak[];
}

/** strata on its default backend: its own row when it ran separately, else the row of the backend it resolves to. */
function strataDefault(f: RunFacts, job: string): SideResult | undefined {
  return find(f.results, job, 'strata', 'default') ?? find(f.results, job, 'strata', f.defaultBackend);
}

function ratios(f: RunFacts, job: string): Record<'cpu' | 'wasm' | 'defaultVsCpu' | 'defaultVsTorch', Ratio> {
  const strata = (b: string) => find(f.results, job, 'strata', b);
  const tfjs = (b: string) => find(f.results, job, 'tfjs-layers', b);
  return {
    cpu: ratio(strata('cpu'), tfjs('cpu')),
    wasm: ratio(strata('wasm'), tfjs('wasm')),
    defaultVsCpu: ratio(strataDefault(f, job), tfjs('cpu')),
    defaultVsTorch: f.pytorch ? ratio(strataDefault(f, job), find(f.results, job, 'pytorch', 'cpu')) : { note: 'PyTorch n/a' },
  };
}

/** The markdown table of strata ÷ peer ratios, one row per job. */
export function ratioTable(f: RunFacts): string[] {
  const lines = [
    `| job | strata cpu ÷ tfjs-layers cpu | strata wasm ÷ tfjs-layers wasm | strata default (${f.defaultBackend}) ÷ tfjs-layers cpu | strata default ÷ PyTorch |`,
    '| --- | --- | --- | --- | --- |',
  ];
  for (const job of f.jobs) {
    const r = ratios(f, job.id);
    lines.push(`| ${job.title} | ${ratioCell(r.cpu)} | ${ratioCell(r.wasm)} | ${ratioCell(r.defaultVsCpu)} | ${ratioCell(r.defaultVsTorch)} |`);
  }
  return lines;
}

/** One target: a ratio and the least it must reach. */
interface Target {
  what: string;
  r: Ratio;
  min: number;
  caveat?: string;
}

function verdict(t: Target): string {
  const value = conservative(t.r);
  const shown = ratioCell(t.r);
  if (value !== undefined) return `${value >= t.min ? 'PASS' : 'FAIL'} — ${t.what} ≥ ${t.min}×: ${shown}`;
  if (t.r.peerFails) return `PASS — ${t.what} ≥ ${t.min}×: ${shown} (strata runs it, the peer cannot)`;
  if (t.r.note === 'PyTorch n/a') return `SKIP — ${t.what} ≥ ${t.min}×: PyTorch was not available`;
  if (t.r.note === 'not run') return `SKIP — ${t.what} ≥ ${t.min}×: not run (see --only)`;
  if (t.r.note?.startsWith('strata')) return `FAIL — ${t.what} ≥ ${t.min}×: ${shown}`;
  return `NO DATA — ${t.what} ≥ ${t.min}×: ${shown}`;
}

/** A wall-clock-only reading of a ratio (threads trade CPU time for wall time, so CPU ratios do not apply). */
function wallOnly(r: Ratio): Ratio {
  return r.wall === undefined ? r : { ...r, cpu: r.wall };
}

/** Cores strata's default side kept busy, as a pseudo-ratio for the verdict. */
function cores(f: RunFacts, job: string): Ratio {
  const r = strataDefault(f, job);
  if (!r || r.status !== 'ok' || r.coresUsed === undefined) return { note: r ? 'strata did not run' : 'not run' };
  return { wall: r.coresUsed, cpu: r.coresUsed };
}

/** The PASS/FAIL lines of the speed targets for the jobs that ran. */
export function targetLines(f: RunFacts): string[] {
  const targets: Target[] = [];
  const ran = (id: string) => f.jobs.some((j) => j.id === id);
  for (const [id, name, vsCpu] of [['mlp-fit', 'MLP', 5], ['cnn-fit', 'CNN', 100]] as const) {
    if (!ran(id)) continue;
    const r = ratios(f, id);
    targets.push({ what: `${name} fit: strata default vs tfjs-layers cpu`, r: r.defaultVsCpu, min: vsCpu });
    targets.push({ what: `${name} fit: strata vs tfjs-layers, both cpu`, r: r.cpu, min: 1.2 });
    targets.push({ what: `${name} fit: strata vs tfjs-layers, both wasm`, r: r.wasm, min: 1.2 });
    targets.push({ what: `${name} fit: cores strata keeps busy (CPU-s ÷ wall-s)`, r: cores(f, id), min: 1.7 });
    const one = find(f.results, id, 'strata', 'wasm', 1);
    targets.push({ what: `${name} fit: strata default vs strata setThreads(1), wall clock`, r: wallOnly(ratio(strataDefault(f, id), one)), min: 1.7 });
  }
  if (ran('lstm-fit-frozen')) {
    targets.push({ what: 'LSTM fit (embedding frozen): strata vs tfjs-layers, both wasm', r: ratios(f, 'lstm-fit-frozen').wasm, min: 2 });
  } else if (ran('lstm-fit')) {
    targets.push({ what: 'LSTM fit: strata vs tfjs-layers, both wasm', r: ratios(f, 'lstm-fit').wasm, min: 2 });
  }
  for (const [id, name] of [['mlp-fit', 'MLP fit'], ['cnn-fit', 'CNN fit'], ['mlp-fit-small', 'MLP fit, batch 32']] as const) {
    if (!ran(id)) continue;
    const r = ratios(f, id);
    targets.push({ what: `${name}: strata default vs PyTorch (2 threads), wall clock`, r: wallOnly(r.defaultVsTorch), min: 0.35, caveat: f.pytorchCaveat });
  }
  return targets.map((t) => `- ${verdict(t)}${t.caveat && conservative(t.r) !== undefined ? ` (${t.caveat})` : ''}`);
}
