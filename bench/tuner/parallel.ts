// Two trials one after the other (one worker) against two trials at once (two workers):
// wall time, and each trial's own thread CPU time. Run: node --import tsx bench/tuner/parallel.ts [repeats]
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as st from 'strata';

const repeats = Number(process.argv[2] ?? 3);
const module = new URL('./trial_mlp.ts', import.meta.url);
const log = join(tmpdir(), `tuner-parallel-${process.pid}.jsonl`);
process.env.TUNER_BENCH_LOG = log;
const space = { units: st.tuner.choice([128]), lr: st.tuner.choice([1e-3]) };

async function once(parallel: 1 | 2) {
  rmSync(log, { force: true });
  const t0 = performance.now();
  const study = await st.tuner.search({ space, trials: 2, parallel: parallel, maxEpochs: 6, objective: 'loss', module, backend: 'cpu', verbose: 0, keepBestModel: false, threadsPerTrial: 1 });
  if (study.trials.some((t) => t.state !== 'complete')) throw new Error(study.trials.map((t) => t.error).join('; '));
  const wall = (performance.now() - t0) / 1000;
  const trials = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { thread: number; threadCpuBefore: number; cpu: number; wall: number; start: number; end: number });
  const [a, b] = trials;
  const overlap = Math.max(0, Math.min(a!.end, b!.end) - Math.max(a!.start, b!.start)) / 1000;
  // Each worker thread's CPU time to the end of its last trial (start-up included): the
  // critical path on a machine with a free core per worker.
  const perThread = new Map<number, number>();
  for (const t of trials) perThread.set(t.thread, Math.max(perThread.get(t.thread) ?? 0, t.threadCpuBefore + t.cpu));
  return { wall, trials, overlap, cpuPath: Math.max(...perThread.values()) };
}

// Wall time on a shared machine measures the other users as much as this code, so each
// trial's own thread CPU time is reported too: equal CPU alone and side by side means the
// parallel trials did no extra work, and their overlap shows they really ran at once.
const ratios: number[] = [];
const cpuRatios: number[] = [];
for (let r = 0; r < repeats; r++) {
  const seq = await once(1);
  const par = await once(2);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  const fmt = (o: typeof seq) => `${o.wall.toFixed(2)} s wall, trials ${o.trials.map((t) => `${t.wall.toFixed(2)} s wall / ${t.cpu.toFixed(2)} s cpu`).join(' + ')}, overlap ${o.overlap.toFixed(2)} s`;
  ratios.push(par.wall / seq.wall);
  cpuRatios.push(par.cpuPath / seq.cpuPath);
  console.log(`repeat ${r + 1} (load ${load}): sequential ${fmt(seq)}; parallel ${fmt(par)}; wall ratio ${(par.wall / seq.wall).toFixed(2)}; busiest thread's CPU: ${seq.cpuPath.toFixed(2)} s vs ${par.cpuPath.toFixed(2)} s, ratio ${(par.cpuPath / seq.cpuPath).toFixed(2)}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`parallel / sequential over ${repeats} repeats: wall time median ${median(ratios).toFixed(2)} (min ${Math.min(...ratios).toFixed(2)}); busiest thread's CPU time median ${median(cpuRatios).toFixed(2)}`);
