/**
 * What the benchmark runs and for how long. Each job is one configuration (model, task,
 * batch size); every side of a job gets its own child process. A timed repetition is a
 * fixed number of steps (one `fit` epoch over the first `steps * batchSize` samples, MNIST
 * or the synthetic sequences, or one `predict` over them), chosen per side from one timed
 * calibration step so that a repetition lasts about `targetRepSec`; very slow sides time
 * single steps.
 */
import { MODELS, type ModelName } from './models.js';
import type { Task, Timing } from './protocol.js';
import { SEQUENCE_SAMPLES } from './sequences.js';

/** The groups `--only` selects. */
export type JobGroup = 'mlp' | 'cnn' | 'predict' | 'small' | 'lstm';

/** One benchmark configuration. */
export interface Job {
  id: string;
  group: JobGroup;
  title: string;
  model: ModelName;
  task: Task;
  batchSize: number;
  /** Backends strata and tfjs-layers run on (PyTorch runs on the CPU regardless). Default cpu and wasm. */
  backends?: ('cpu' | 'wasm')[];
  /** Every side keeps the embedding table fixed (tfjs-layers cannot train one on wasm). */
  frozenEmbedding?: boolean;
  /**
   * The sides a PyTorch target compares (strata on wasm, both thread counts, and PyTorch) run
   * in `Budget.processes` child processes, not one: a process keeps the speed it starts with,
   * and processes differ (PyTorch's CNN fit on the 2-core development machine: 5,000 to 12,000
   * samples/s from one process to the next, with one thread or two), so one process per side
   * decides a ratio by chance.
   */
  severalProcesses?: boolean;
}

/** Every configuration, in the order they run. */
export const JOBS: Job[] = [
  { id: 'mlp-fit', group: 'mlp', title: 'MLP fit, batch 128', model: 'mlp', task: 'fit', batchSize: 128, severalProcesses: true },
  { id: 'cnn-fit', group: 'cnn', title: 'CNN fit, batch 128', model: 'cnn', task: 'fit', batchSize: 128, severalProcesses: true },
  { id: 'mlp-predict', group: 'predict', title: 'MLP predict, batch 128', model: 'mlp', task: 'predict', batchSize: 128 },
  { id: 'cnn-predict', group: 'predict', title: 'CNN predict, batch 128', model: 'cnn', task: 'predict', batchSize: 128 },
  { id: 'mlp-fit-small', group: 'small', title: 'MLP fit, batch 32', model: 'mlp', task: 'fit', batchSize: 32, severalProcesses: true },
  // wasm only: on the cpu backend one step takes tens of seconds in either library (strata's
  // warm-up alone outlasts --quick's 30 s), which would add minutes to a full run for no ratio.
  { id: 'lstm-fit', group: 'lstm', title: 'LSTM fit, batch 64', model: 'lstm', task: 'fit', batchSize: 64, backends: ['wasm'] },
  // The same with the embedding frozen on every side: tfjs-layers' wasm backend has no
  // gradient kernel for the embedding (UnsortedSegmentSum), so this is the LSTM comparison
  // it can run.
  { id: 'lstm-fit-frozen', group: 'lstm', title: 'LSTM fit, embedding frozen, batch 64', model: 'lstm', task: 'fit', batchSize: 64, backends: ['wasm'], frozenEmbedding: true },
];

/** How much timing each side gets. */
export interface Budget {
  /** Timed repetitions per side and process (the median is reported). */
  reps: number;
  /** Child processes of each side of a `severalProcesses` job (the median over them is reported). */
  processes: number;
  /** Aimed-for wall seconds of one repetition. */
  targetRepSec: number;
  /** Most steps in one repetition. */
  maxSteps: number;
  /** A side whose calibration step exceeds this is slow: it times single steps, within `slowBudgetSec`. */
  slowStepSec: number;
  /** Wall seconds a slow side may spend on timed steps, the calibration step included. */
  slowBudgetSec: number;
  /** Limit for start-up, data loading and warm-up. */
  setupTimeoutSec: number;
  /** Limit for the one calibration step; a side that exceeds it is reported as slower than one step in this time. */
  stepTimeoutSec: number;
}

/** The budget of a full run (`npm run bench`), which must stay well under ten minutes on two cores. */
export const FULL: Budget = {
  reps: 3,
  processes: 3,
  targetRepSec: 1.5,
  maxSteps: 150,
  slowStepSec: 6,
  slowBudgetSec: 40,
  setupTimeoutSec: 90,
  // One cpu CNN step of 128 takes ~110 CPU-s in either library; stopping at 60 s still
  // bounds it (< 2.2 samples/s) and keeps the whole run well inside ten minutes.
  stepTimeoutSec: 60,
};

/** The budget of `--quick`, a smoke run of about a minute. */
export const QUICK: Budget = {
  reps: 3,
  processes: 1,
  targetRepSec: 0.2,
  maxSteps: 20,
  slowStepSec: 2,
  slowBudgetSec: 4,
  setupTimeoutSec: 30,
  stepTimeoutSec: 10,
};

/** Samples each MNIST split holds, which bounds the steps of one repetition. */
const SPLIT_SIZE: Record<Task, number> = { fit: 60000, predict: 10000 };

/** Most steps one repetition of `job` may take. */
export function maxStepsOf(job: Job, budget: Budget): number {
  const samples = MODELS[job.model].data === 'tokens' ? SEQUENCE_SAMPLES : SPLIT_SIZE[job.task];
  return Math.max(1, Math.min(budget.maxSteps, Math.floor(samples / job.batchSize)));
}

/** How one side is timed, decided from its calibration step. */
export interface SidePlan {
  /** Steps of each repetition. */
  steps: number;
  /** Whether an untimed repetition runs first (fast sides; slow sides were warmed up on a small batch). */
  warmRep: boolean;
  /** Timed repetitions still to run (a slow side's calibration step already counts as one). */
  reps: number;
  /** Whether the side is slow and times single steps. */
  slow: boolean;
}

function stepsFor(job: Job, budget: Budget, perStep: number): number {
  return Math.max(1, Math.min(maxStepsOf(job, budget), Math.floor(budget.targetRepSec / perStep)));
}

/** The timing plan of one side, from its calibration step (the first full batch it ran). */
export function planSide(job: Job, budget: Budget, calibration: Timing): SidePlan {
  const perStep = Math.max(calibration.wallSec, 1e-6);
  if (perStep > budget.slowStepSec) {
    const affordable = Math.floor(budget.slowBudgetSec / perStep) - 1;
    return { steps: 1, warmRep: false, reps: Math.max(0, Math.min(budget.reps - 1, affordable)), slow: true };
  }
  return { steps: stepsFor(job, budget, perStep), warmRep: true, reps: budget.reps, slow: false };
}

/** Steps per repetition re-estimated from the untimed repetition, which ran at steady state. */
export function refineSteps(job: Job, budget: Budget, warm: Timing): number {
  return stepsFor(job, budget, Math.max(warm.wallSec / warm.steps, 1e-6));
}
