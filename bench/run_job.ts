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
  /** Which of the side's processes this is (0 for the first). */
  proc: number;
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

/**
 * Starts one side's child process number `proc`: setup, initial check, warm-up and the
 * calibration step. Returns it when it can be timed. The first process plans the side's
 * repetitions and records its initial check; a later one reuses that plan, so every process
 * times the same work, and its failure only notes why it stopped.
 */
async function start(job: Job, result: SideResult, ctx: JobContext, proc: number, checks: [SideResult, InitialCheck][]): Promise<Live | undefined> {
  const { budget } = ctx;
  const child = childFor(result, ctx);
  const base = MODELS[job.model];
  const spec = job.frozenEmbedding
    ? { ...base, layers: base.layers.map((l) => (l.kind === 'embedding' ? { ...l, trainable: false } : l)) }
    : base;
  child.send({
    cmd: 'setup', model: job.model, spec, task: job.task, backend: result.backend, batchSize: job.batchSize,
    samples: maxStepsOf(job, budget) * job.batchSize, weightsPath: ctx.weightsPath(job.model),
    weightShapes: weightShapes(spec).map((w) => w.shape), mnistDir: ctx.mnistDir,
    ...(spec.data === 'tokens' ? { dataPath: ctx.sequencesPath } : {}),
    ...(result.threads !== undefined ? { threads: result.threads } : {}),
  });
  let status: SideResult['status'] = 'ok';
  let message: string | undefined;
  let end = await child.next(budget.setupTimeoutSec);
  if (end.type === 'calibrating') {
    const t0 = Date.now();
    const cpu0 = child.cpuSecondsFromProc();
    end = await child.next(budget.stepTimeoutSec);
    if (end.type === 'timeout' && proc === 0) {
      const sec = (Date.now() - t0) / 1000;
      const cpu1 = child.cpuSecondsFromProc();
      result.upperBound = job.batchSize / sec;
      if (cpu0 !== undefined && cpu1 !== undefined && cpu1 > cpu0) result.upperBoundCpu = job.batchSize / (cpu1 - cpu0);
      const cpuNote = result.upperBoundCpu ? ` (${(cpu1! - cpu0!).toFixed(0)} CPU s)` : '';
      [status, message] = ['timeout', `one step of ${job.batchSize} samples did not finish in ${sec.toFixed(0)} s${cpuNote}`];
    }
  } else if (end.type === 'timeout') {
    [status, message] = ['timeout', `start-up and warm-up did not finish in ${budget.setupTimeoutSec} s`];
  }
  if (end.type === 'ready') {
    const plan = planSide(job, budget, end.calibration);
    if (proc === 0) {
      result.ranOn = end.backend;
      result.checksum = end.checksum;
      checks.push([result, end.initial]);
      result.stepsPerRep = plan.steps;
      result.slow = plan.slow;
      if (plan.slow) result.timings.push({ ...end.calibration, process: 0 });
    } else {
      plan.steps = result.stepsPerRep!;
    }
    const which = proc === 0 ? '' : ` (process ${proc + 1})`;
    ctx.log(`  ${label(result)} initial loss ${end.initial.loss.toFixed(6)}${which}, calibration step ${end.calibration.wallSec.toFixed(3)} s${plan.slow ? ' (slow: timing single steps)' : ''}`);
    return { child, plan, result, proc, perStepSec: end.calibration.wallSec };
  }
  if (status === 'ok') [status, message] = ['fails', describeEnd(end, child)];
  if (proc === 0) {
    result.status = status;
    result.message = message;
    result.maxRssMb = child.peakRssFromProc();
  } else {
    result.message = `process ${proc + 1} did not start: ${message}`;
  }
  ctx.log(`  ${label(result)}: ${status}: ${message}`);
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
    const t: Timing = { steps: end.steps, wallSec: end.wallSec, cpuSec: end.cpuSec, process: live.proc };
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
  result.maxRssMb = Math.max(result.maxRssMb ?? 0, child.peakRssFromProc() ?? 0) || undefined;
  child.kill();
  return undefined;
}

/** Whether a side is one that a PyTorch target compares: strata on wasm (either thread count, or its default) and PyTorch. */
function comparedWithPyTorch(r: SideResult): boolean {
  return r.side === 'pytorch' || (r.side === 'strata' && r.backend !== 'cpu');
}

/**
 * One round: a fresh child process for each side of `sides` (process number `proc`), set up
 * one after another, then their repetitions in turns.
 */
async function round(job: Job, sides: SideResult[], ctx: JobContext, proc: number): Promise<void> {
  const checks: [SideResult, InitialCheck][] = [];
  let live: Live[] = [];
  for (const r of sides) {
    const l = await start(job, r, ctx, proc, checks);
    if (l) live.push(l);
  }
  if (proc === 0) {
    recordInitialChecks(checks);
    for (const [r] of checks) {
      ctx.log(`  ${label(r)} initial predictions differ from ${label(checks[0]![0]).trim()}'s by ${r.initialOutputDiff!.toExponential(1)} at most`);
    }
  }
  for (const l of [...live]) {
    if (!l.plan.warmRep) continue;
    const warm = await rep(job, l, ctx, false);
    if (!warm) {
      live = live.filter((x) => x !== l);
      continue;
    }
    if (proc === 0) l.plan.steps = l.result.stepsPerRep = refineSteps(job, ctx.budget, warm);
    l.perStepSec = warm.wallSec / warm.steps;
  }
  for (let turn = 0; live.some((l) => turn < l.plan.reps); turn++) {
    for (const l of [...live]) {
      if (turn < l.plan.reps && !(await rep(job, l, ctx, true))) live = live.filter((x) => x !== l);
    }
  }
  for (const l of live) {
    l.child.send({ cmd: 'finish' });
    const end = await l.child.next(30);
    const rss = end.type === 'finish' ? end.maxRssMb : l.child.peakRssFromProc();
    l.result.maxRssMb = Math.max(l.result.maxRssMb ?? 0, rss ?? 0) || undefined;
    l.child.kill();
  }
}

/**
 * Runs `job` for every entrant and returns one result per entrant. In a `severalProcesses`
 * job, the sides a PyTorch target compares that timed cleanly run `Budget.processes` rounds
 * of fresh processes in all (`summarize` takes the median of each process's median).
 */
export async function runJob(job: Job, entrants: Entrant[], ctx: JobContext): Promise<SideResult[]> {
  ctx.log(`${job.id}: ${job.title}`);
  const results: SideResult[] = entrants.map((e) => ({ ...e, job: job.id, status: 'ok', timings: [] }));
  await round(job, results, ctx, 0);
  const processes = job.severalProcesses ? ctx.budget.processes : 1;
  for (let proc = 1; proc < processes; proc++) {
    const again = results.filter((r) => r.status === 'ok' && !r.slow && !r.message && r.timings.length > 0 && comparedWithPyTorch(r));
    if (again.length > 0) await round(job, again, ctx, proc);
  }
  for (const r of results) {
    summarize(r, job.batchSize);
    if (r.status === 'ok') {
      const each = r.processWallSamplesPerSec ? ` (processes: ${r.processWallSamplesPerSec.map((x) => x.toFixed(0)).join(', ')})` : '';
      ctx.log(`  ${label(r)} ${r.timings.length} × ${r.stepsPerRep} steps: ${r.cpuSamplesPerSec!.toFixed(0)} samples/s CPU, ${r.wallSamplesPerSec!.toFixed(0)} wall${each}`);
    }
  }
  return results;
}
