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
  backend?: string;
  logDir?: string;
}

export type ToWorker = { type: 'run'; info: TrialInfo } | { type: 'decision'; stop: boolean; error?: string };
export type ToMain = { type: 'report'; epochs: number; value: number } | { type: 'done'; outcome: TrialOutcome };
