/**
 * The messages between the benchmark parent and its children. Commands go to a child's
 * stdin as JSON lines; replies come back on its stdout as JSON lines that start with
 * {@link REPLY_PREFIX}, so whatever the libraries themselves print is told apart.
 * The PyTorch child (`child_torch.py`) speaks the same protocol.
 */
import type { ModelName, ModelSpec } from './models.js';

/** Marks a reply line on a child's stdout. */
export const REPLY_PREFIX = '@@bench ';

/** What a job times: training steps (`fit`) or inference batches (`predict`). */
export type Task = 'fit' | 'predict';

/** Builds the model, loads the data and weights, warms up and times one step. */
export interface SetupCommand {
  cmd: 'setup';
  model: ModelName;
  spec: ModelSpec;
  task: Task;
  /** `'cpu'`, `'wasm'`, or `'default'` (strata's own pick through `st.ready()`). */
  backend: string;
  batchSize: number;
  /** Samples to load: the first ones of the training split (fit) or of the test split (predict). */
  samples: number;
  /** Raw float32 initial weights, in the order of `weightShapes`. */
  weightsPath: string;
  /** Shape of each weight in Keras layout (dense `[in, units]`, conv `[kh, kw, in, out]`). */
  weightShapes: number[][];
  /** Directory of the MNIST IDX files (models whose `data` is `'mnist'`). */
  mnistDir: string;
  /** The synthetic sequence file (`sequences.ts`) for models whose `data` is `'tokens'`. */
  dataPath?: string;
  /** strata only: `st.setThreads(threads)` before choosing the backend; absent = every core. */
  threads?: number;
}

/** Times `steps` steps (one `fit` epoch over `steps * batchSize` samples, or one `predict`). */
export interface RepCommand {
  cmd: 'rep';
  steps: number;
}

/** Reports peak memory and exits. */
export interface FinishCommand {
  cmd: 'finish';
}

/** Any command. */
export type Command = SetupCommand | RepCommand | FinishCommand;

/** Wall-clock and CPU seconds (user + system, all threads) of one timed run. */
export interface Timing {
  steps: number;
  wallSec: number;
  cpuSec: number;
  /** Set by the parent: cores other processes kept busy meanwhile (`machine_load.ts`). */
  otherCores?: number;
  /** Set by the parent: which of the side's child processes timed it (0 for the first). */
  process?: number;
}

/** Sent just before the timed calibration step, so a parent that gives up knows it started. */
export interface CalibratingReply {
  type: 'calibrating';
}

/**
 * The network at its initial weights, before any training, on the first few samples
 * (`min(8, batchSize)`, as the warm-up): every side
 * of a job must agree to float32 round-off, which checks that they built the same network
 * with the same weights in the same layouts (an LSTM's gate order included).
 */
export interface InitialCheck {
  /** Mean loss of those samples. */
  loss: number;
  /** Their predictions (probabilities: after the softmax or sigmoid), flattened. */
  outputs: number[];
}

/** Setup done: the backend really used, the data checksum, the initial check and one timed step. */
export interface ReadyReply {
  type: 'ready';
  backend: string;
  checksum: number;
  initial: InitialCheck;
  calibration: Timing;
}

/** One timed repetition. */
export interface RepReply extends Timing {
  type: 'rep';
}

/** Peak resident set size of the child, in MiB. */
export interface FinishReply {
  type: 'finish';
  maxRssMb: number;
}

/** A command failed; the child stays alive for `finish`. */
export interface ErrorReply {
  type: 'error';
  message: string;
}

/** Any reply. */
export type Reply = CalibratingReply | ReadyReply | RepReply | FinishReply | ErrorReply;
