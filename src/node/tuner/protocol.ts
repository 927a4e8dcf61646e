// Messages between the study (main thread) and trial workers. Plain data only.
import type { TrialInfo, TrialOutcome } from '../../apps/tuner/trial_run.js';

/** What each worker is started with. */
export interface WorkerSetup {
  /** strata's entry module URL (exports `workerMain`). */
  entry: string;
  /** The trial module URL. */
  module: string;
  /** Threads this worker's trials may use. */
  threads: number;
  /** The backend the worker's engine uses. */
  backend?: string;
  /** TensorBoard log directory for the trials, if any. */
  logDir?: string;
}

/** A message from the main thread to a worker: run a trial, or the answer to a report. */
export type ToWorker = { type: 'run'; info: TrialInfo } | { type: 'decision'; stop: boolean; error?: string };
/** A message from a worker to the main thread: an epoch's value, or the trial's outcome. */
export type ToMain = { type: 'report'; epochs: number; value: number } | { type: 'done'; outcome: TrialOutcome };
