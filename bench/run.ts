/**
 * `npm run bench [-- --quick] [-- --only mlp|cnn|predict|small|lstm]`: strata against
 * tfjs-layers 4.22 and PyTorch (the interpreter in `STRATA_BENCH_PYTHON`, else
 * `/usr/bin/python3`, when it has torch) on identical models, weights and data, each side
 * in its own child process; strata also with `setThreads(1)`, and the machine's wasm SIMD
 * GEMM peak on one thread and on all. Writes `bench/results.json` and `bench/results.md`
 * and prints the markdown report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataMismatches, networkMismatches } from './agreement.js';
import { REPO_ROOT } from './child_process.js';
import { mnistDir } from './mnist_idx.js';
import { MODELS, type ModelName } from './models.js';
import { parseOptions, USAGE } from './options.js';
import { FULL, JOBS, QUICK, type Job } from './plan.js';
import type { Entrant, GemmPeak, SideResult } from './result.js';
import { runJob } from './run_job.js';
import { SEQUENCE_SAMPLES, sequencesFor, writeSequences } from './sequences.js';
import { report, type RunInfo } from './table.js';
import { generateWeights, writeWeights } from './weights.js';

// A venv's torch (official wheels, oneDNN/MKL) is the peer a Python user runs; Debian's
// python3-torch uses the reference BLAS and understates PyTorch several times.
const PYTHON = process.env.STRATA_BENCH_PYTHON || '/usr/bin/python3';
const SEEDS: Record<ModelName, number> = { mlp: 1234, cnn: 5678, lstm: 4321 };
const SEQUENCES_SEED = 2468;

/** The torch version of `/usr/bin/python3` and whether its BLAS is the slow reference one; undefined without torch. */
function torchInfo(): { version: string; genericBlas: boolean } | undefined {
  const code = "import torch; print(torch.__version__, 'BLAS_INFO=generic' in torch.__config__.show())";
  const r = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) return undefined;
  const [version = '?', generic] = r.stdout.trim().split(/\s+/);
  return { version, genericBlas: generic === 'True' };
}

function torchNote(torch: { version: string; genericBlas: boolean } | undefined): string {
  // Named by the variable, not the path: the report is committed.
  const who = process.env.STRATA_BENCH_PYTHON ? 'the interpreter in STRATA_BENCH_PYTHON' : PYTHON;
  if (!torch) return `not available (\`${who} -c "import torch"\` fails), so its rows and targets are left out`;
  const blas = torch.genericBlas
    ? '. **This torch build uses the generic reference BLAS** (e.g. Debian\'s python3-torch), far slower than the official ' +
      'wheels with MKL/oneDNN, so its numbers understate PyTorch'
    : '';
  return `PyTorch ${torch.version} (${who}), CPU, 2 threads (\`torch.set_num_threads(2)\`), same weights and data; ` +
    `logits + CrossEntropyLoss (BCEWithLogitsLoss for the LSTM's sigmoid) in place of softmax + crossentropy; Adam's epsilon ` +
    `set each step so its update is Keras'${blas}`;
}

/** The backend strata picks by itself (`st.ready()`), asked of a fresh process. */
function strataDefaultBackend(): string {
  const code = "const st = await import('strata'); console.log('@@default ' + (await st.ready()));";
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  const m = /@@default (\S+)/.exec(r.stdout ?? '');
  if (!m) throw new Error(`could not ask strata for its default backend: ${(r.stderr ?? '').slice(0, 500)}`);
  return m[1]!;
}

/** The wasm SIMD GEMM peak with `threads` threads (undefined: every core), from a fresh process. */
function gemmPeak(threads: number | undefined, seconds: number): GemmPeak | undefined {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.STRATA_BACKEND;
  if (threads !== undefined) env.STRATA_THREADS = String(threads);
  else delete env.STRATA_THREADS;
  const file = fileURLToPath(new URL('gemm_peak.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, String(seconds)], { cwd: REPO_ROOT, encoding: 'utf8', env, timeout: 120_000 });
  const m = /@@gemm (\{.*\})/.exec(r.stdout ?? '');
  return m ? (JSON.parse(m[1]!) as GemmPeak) : undefined;
}

/** The sides of `job`: both libraries on cpu and wasm (or the job's own backends), strata single-threaded too, and PyTorch. */
function entrantsOf(job: Job, defaultBackend: string, torch: boolean): Entrant[] {
  const backends = job.backends ?? ['cpu', 'wasm'];
  const entrants: Entrant[] = [];
  for (const backend of backends) {
    entrants.push({ side: 'strata', backend });
    if (backend === 'wasm') entrants.push({ side: 'strata', backend: 'wasm', threads: 1 });
    entrants.push({ side: 'tfjs-layers', backend });
  }
  if (!['cpu', 'wasm'].includes(defaultBackend)) entrants.push({ side: 'strata', backend: 'default' });
  if (torch) entrants.push({ side: 'pytorch', backend: 'cpu' });
  return entrants;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const opts = parseOptions(args);
  const budget = opts.quick ? QUICK : FULL;
  const jobs = JOBS.filter((j) => !opts.only || opts.only.includes(j.group));
  const started = Date.now();
  const loadStart = loadavg()[0]!;
  const log = (line: string) => console.log(line);

  const torch = torchInfo();
  const defaultBackend = strataDefaultBackend();
  log(`strata default backend: ${defaultBackend}; PyTorch: ${torch?.version ?? 'not available'}`);
  const peakSec = opts.quick ? 0.3 : 1;
  const peaks = [gemmPeak(1, peakSec), gemmPeak(undefined, peakSec)].filter((p): p is GemmPeak => p !== undefined);
  for (const p of peaks) log(`wasm SIMD GEMM peak, ${p.threads} thread(s): ${p.gflops.toFixed(1)} GFLOP/s (${p.size}³)`);

  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-'));
  const results: SideResult[] = [];
  try {
    const weightsPath = (model: string) => join(dir, `${model}.f32`);
    for (const name of Object.keys(MODELS) as ModelName[]) {
      writeWeights(weightsPath(name), generateWeights(MODELS[name], SEEDS[name]));
    }
    const sequencesPath = join(dir, 'sequences.i32');
    writeSequences(sequencesPath, sequencesFor(MODELS.lstm, SEQUENCE_SAMPLES, SEQUENCES_SEED));
    const ctx = { budget, weightsPath, mnistDir: mnistDir(), sequencesPath, python: torch ? PYTHON : undefined, log };
    for (const job of jobs) {
      results.push(...(await runJob(job, entrantsOf(job, defaultBackend, torch !== undefined), ctx)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const info: RunInfo = {
    jobs, results, defaultBackend, pytorch: torch !== undefined, budget, quick: opts.quick, peaks,
    command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: `${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}`,
    loadStart, loadEnd: loadavg()[0]!, totalSec: (Date.now() - started) / 1000,
    pytorchNote: torchNote(torch),
    pytorchCaveat: torch?.genericBlas ? 'PyTorch build with reference BLAS: not representative' : undefined,
    dataMismatch: dataMismatches(results),
    networkMismatch: networkMismatches(results),
  };
  const md = report(info).join('\n');
  const here = fileURLToPath(new URL('.', import.meta.url));
  writeFileSync(join(here, 'results.md'), md);
  writeFileSync(join(here, 'results.json'), `${JSON.stringify({ ...info, jobs: jobs.map((j) => j.id) }, null, 2)}\n`);
  console.log(`\n${md}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
