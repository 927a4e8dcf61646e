/**
 * Runs one job: every side in its own child process, set up one after another (so each
 * calibration step runs alone), then timed repetitions in turns, A B A B, so a change in
 * the machine's load hits every side alike.
 */
import { fileURLToPath } from 'node:url';
import { recordInitialChecks } from './agreement.js';
import { nodeChild, pythonChild, type BenchChild, type WaitEnd } from './child_process.js';
import { MODELS, weightShapes } from './models.js';
import { maxStepsOf, planSide, refineSteps, type Budget, type Job, type SidePlan } from './plan.js';
import { summarize, type Entrant, type SideResult } from './result.js';
import type { InitialCheck, Timing } from './protocol.js';
import { machineBusySeconds, otherCores } from './machine_load.js';

/** What every job needs from the parent. */
export interface JobContext {
  budget: Budget;
  /** The initial-weights file of each model. */
  weightsPath: (model: string) => string;
  mnistDir: string;
  /** The synthetic sequence file, for models whose data is `'tokens'`. */
  sequencesPath: string;
  /** The Python interpreter that has torch, when the PyTorch side runs. */
  python?: string;
  /** Prints one progress line. */
  log: (line: string) => void;
}

const CHILD_FILES = {
  strata: 'child_strata.ts',
  'tfjs-layers': 'child_tfjs.ts',
  pytorch: 'child_torch.py',
} as const;

interface Live {
  child: BenchChild;
  plan: SidePlan;
  result: SideResult;
  perStepSec: number;
}

function childFor(e: Entrant, ctx: JobContext): BenchChild {
  const file = fileURLToPath(new URL(CHILD_FILES[e.side], import.meta.url));
  return e.side === 'pytorch' ? pythonChild(ctx.python!, file) : nodeChild(file);
}

function describeEnd(end: WaitEnd, child: BenchChild): string {
  if (end.type === 'error') return end.message;
  if (end.type === 'exited') return `child exited with code ${end.code}: ${child.log.slice(-3).join(' | ').slice(0, 300)}`;
  return `unexpected reply '${end.type}'`;
}

/** Starts one side: setup, initial check, warm-up and the calibration step. Returns it when it can be timed. */
async function start(job: Job, e: Entrant, ctx: JobContext, results: SideResult[], checks: [SideResult, InitialCheck][]): Promise<Live | undefined> {
  const { budget } = ctx;
  const result: SideResult = { ...e, job: job.id, status: 'ok', timings: [] };
  results.push(result);
  const child = childFor(e, ctx);
  const base = MODELS[job.model];
  const spec = job.frozenEmbedding
    ? { ...base, layers: base.layers.map((l) => (l.kind === 'embedding' ? { ...l, trainable: false } : l)) }
    : base;
  child.send({
    cmd: 'setup', model: job.model, spec, task: job.task, backend: e.backend, batchSize: job.batchSize,
    samples: maxStepsOf(job, budget) * job.batchSize, weightsPath: ctx.weightsPath(job.model),
    weightShapes: weightShapes(spec).map((w) => w.shape), mnistDir: ctx.mnistDir,
    ...(spec.data === 'tokens' ? { dataPath: ctx.sequencesPath } : {}),
    ...(e.threads !== undefined ? { threads: e.threads } : {}),
  });
  let end = await child.next(budget.setupTimeoutSec);
  if (end.type === 'calibrating') {
    const t0 = Date.now();
    const cpu0 = child.cpuSecondsFromProc();
    end = await child.next(budget.stepTimeoutSec);
    if (end.type === 'timeout') {
      const sec = (Date.now() - t0) / 1000;
      const cpu1 = child.cpuSecondsFromProc();
      result.status = 'timeout';
      result.upperBound = job.batchSize / sec;
      if (cpu0 !== undefined && cpu1 !== undefined && cpu1 > cpu0) result.upperBoundCpu = job.batchSize / (cpu1 - cpu0);
      const cpuNote = result.upperBoundCpu ? ` (${(cpu1! - cpu0!).toFixed(0)} CPU s)` : '';
      result.message = `one step of ${job.batchSize} samples did not finish in ${sec.toFixed(0)} s${cpuNote}`;
    }
  } else if (end.type === 'timeout') {
    result.status = 'timeout';
    result.message = `start-up and warm-up did not finish in ${budget.setupTimeoutSec} s`;
  }
  if (end.type === 'ready') {
    result.ranOn = end.backend;
    result.checksum = end.checksum;
    checks.push([result, end.initial]);
    const plan = planSide(job, budget, end.calibration);
    result.stepsPerRep = plan.steps;
    result.slow = plan.slow;
    if (plan.slow) result.timings.push(end.calibration);
    ctx.log(`  ${label(e)} initial loss ${end.initial.loss.toFixed(6)}, calibration step ${end.calibration.wallSec.toFixed(3)} s${plan.slow ? ' (slow: timing single steps)' : ''}`);
    return { child, plan, result, perStepSec: end.calibration.wallSec };
  }
  if (result.status === 'ok') {
    result.status = 'fails';
    result.message = describeEnd(end, child);
  }
  ctx.log(`  ${label(e)}: ${result.status}: ${result.message}`);
  result.maxRssMb = child.peakRssFromProc();
  child.kill();
  return undefined;
}

function label(e: Entrant): string {
  return `${e.side}/${e.backend}${e.threads !== undefined ? `×${e.threads}` : ''}`.padEnd(18);
}

/** One repetition of a live side; undefined when it failed (the side is then stopped). */
async function rep(job: Job, live: Live, ctx: JobContext, timed: boolean): Promise<Timing | undefined> {
  const { child, plan, result } = live;
  const busy0 = machineBusySeconds();
  child.send({ cmd: 'rep', steps: plan.steps });
  const limit = ctx.budget.stepTimeoutSec + 5 * plan.steps * live.perStepSec;
  const end = await child.next(limit);
  if (end.type === 'rep') {
    const t: Timing = { steps: end.steps, wallSec: end.wallSec, cpuSec: end.cpuSec };
    const others = otherCores(busy0, machineBusySeconds(), end.cpuSec, end.wallSec);
    if (others !== undefined) t.otherCores = others;
    if (timed) result.timings.push(t);
    return t;
  }
  const why = end.type === 'timeout' ? `a repetition did not finish in ${limit.toFixed(0)} s` : describeEnd(end, child);
  if (result.timings.length > 0) {
    // Keep what was timed; say why the side stopped early.
    result.message = `stopped after ${result.timings.length} timed repetitions: ${why}`;
  } else {
    result.status = end.type === 'timeout' ? 'timeout' : 'fails';
    result.message = why;
    if (end.type === 'timeout') result.upperBound = (plan.steps * job.batchSize) / limit;
  }
  ctx.log(`  ${label(result)}: ${result.message}`);
  result.maxRssMb = child.peakRssFromProc();
  child.kill();
  return undefined;
}

/** Runs `job` for every entrant and returns one result per entrant. */
export async function runJob(job: Job, entrants: Entrant[], ctx: JobContext): Promise<SideResult[]> {
  ctx.log(`${job.id}: ${job.title}`);
  const results: SideResult[] = [];
  const checks: [SideResult, InitialCheck][] = [];
  let live: Live[] = [];
  for (const e of entrants) {
    const l = await start(job, e, ctx, results, checks);
    if (l) live.push(l);
  }
  recordInitialChecks(checks);
  for (const [r] of checks) {
    ctx.log(`  ${label(r)} initial predictions differ from ${label(checks[0]![0]).trim()}'s by ${r.initialOutputDiff!.toExponential(1)} at most`);
  }
  for (const l of [...live]) {
    if (!l.plan.warmRep) continue;
    const warm = await rep(job, l, ctx, false);
    if (!warm) {
      live = live.filter((x) => x !== l);
      continue;
    }
    l.plan.steps = l.result.stepsPerRep = refineSteps(job, ctx.budget, warm);
    l.perStepSec = warm.wallSec / warm.steps;
  }
  for (let round = 0; live.some((l) => round < l.plan.reps); round++) {
    for (const l of [...live]) {
      if (round < l.plan.reps && !(await rep(job, l, ctx, true))) live = live.filter((x) => x !== l);
    }
  }
  for (const l of live) {
    l.child.send({ cmd: 'finish' });
    const end = await l.child.next(30);
    l.result.maxRssMb = end.type === 'finish' ? end.maxRssMb : l.child.peakRssFromProc();
    l.child.kill();
  }
  for (const r of results) {
    summarize(r, job.batchSize);
    if (r.status === 'ok') {
      ctx.log(`  ${label(r)} ${r.timings.length} × ${r.stepsPerRep} steps: ${r.cpuSamplesPerSec!.toFixed(0)} samples/s CPU, ${r.wallSamplesPerSec!.toFixed(0)} wall`);
    }
  }
  return results;
}
