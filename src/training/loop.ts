import { ValueError } from '../engine/errors.js';
import type { Network } from '../models/network.js';
import type { Callback, CallbackHooks, Logs, TrainingParams } from './callbacks/callback.js';
import { CallbackList, History, ProgressBar, verboseDefault } from './callbacks/index.js';
import type { LoopOptions } from './options.js';
import type { NonFinite, StepRunner } from './step.js';

/** `Sequential 'm'.fit: epoch 1, batch 3: the inputs (x) hold NaN or Infinity; …` */
export function nonFiniteMessage(owner: string, bad: NonFinite, epoch?: number): string {
  const what = { x: 'the inputs (x) hold', y: 'the targets (y) hold', predictions: 'the predictions hold', loss: 'the loss is' }[bad.what];
  const where = epoch === undefined ? `batch ${bad.batch}` : `epoch ${epoch + 1}, batch ${bad.batch}`;
  return `${owner}: ${where}: ${what} NaN or Infinity; the loss reads NaN from this batch on` +
    (bad.what === 'x' || bad.what === 'y' ? ' (check the data for missing or infinite values)' : ' (try a lower learning rate or clipnorm)');
}

/** The model side of a training run: the network plus the flags callbacks use. */
export interface LoopModel extends Network {
  stopTraining: boolean;
  readonly optimizer?: { learningRate: unknown; currentLearningRate(): number };
}

/** One epoch's work: runs its batches (calling batch hooks) and returns the number run. */
export type EpochBody = (epoch: number, callbacks: CallbackList) => Promise<number>;

/** Checks `epochs` / `initialEpoch` / `verbose`; returns them with defaults. */
export function loopSettings(opts: LoopOptions, owner: string): { epochs: number; initialEpoch: number; verbose: 0 | 1 | 2 } {
  const epochs = opts.epochs ?? 1;
  const initialEpoch = opts.initialEpoch ?? 0;
  if (!Number.isInteger(epochs) || epochs < 0) throw new ValueError(`${owner}: 'epochs' must be an integer >= 0; got ${String(opts.epochs)}`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) {
    throw new ValueError(`${owner}: 'initialEpoch' must be an integer >= 0; got ${String(opts.initialEpoch)}`);
  }
  const verbose = opts.verbose ?? verboseDefault();
  if (![0, 1, 2].includes(verbose)) throw new ValueError(`${owner}: 'verbose' must be 0, 1 or 2; got ${String(opts.verbose)}`);
  return { epochs, initialEpoch, verbose };
}

/**
 * The epoch loop shared by `fit` and `fitDataset`: callbacks (user ones, History, then the
 * progress display), per-epoch reset and read of the device-side sums, validation, and
 * `stopTraining`.
 */
export async function runEpochs(args: {
  model: LoopModel;
  runner: StepRunner;
  opts: LoopOptions;
  params: Omit<TrainingParams, 'epochs' | 'initialEpoch' | 'verbose' | 'metrics'>;
  owner: string;
  body: EpochBody;
  validate?: (epoch: number) => Promise<Logs | undefined>;
  hasValidation: boolean;
}): Promise<History> {
  const { model, runner, opts, owner } = args;
  const { epochs, initialEpoch, verbose } = loopSettings(opts, owner);
  const history = new History();
  const user = (opts.callbacks ?? []) as (Callback | CallbackHooks)[];
  // Keras order: user callbacks first (they may add entries such as `lr` to the logs),
  // then History, then the progress display.
  const list: (Callback | CallbackHooks)[] = [...user, history];
  if (verbose > 0) list.push(new ProgressBar({ verbose }));
  const callbacks = new CallbackList(list);
  const names = runner.logNames();
  const params: TrainingParams = {
    ...args.params,
    epochs,
    initialEpoch,
    verbose,
    metrics: [...names, ...(args.hasValidation ? names.map((n) => `val_${n}`) : [])],
  };
  callbacks.setModel(model);
  callbacks.setParams(params);
  model.stopTraining = false;
  await callbacks.onTrainBegin({});
  let warned = false;
  for (let epoch = initialEpoch; epoch < epochs; epoch++) {
    await callbacks.onEpochBegin(epoch, {});
    runner.reset();
    await args.body(epoch, callbacks);
    const logs = await runner.read();
    if (runner.nonFinite && !warned) {
      warned = true;
      console.warn(nonFiniteMessage(owner, runner.nonFinite, epoch));
    }
    if (args.validate) {
      const val = await args.validate(epoch);
      if (val) Object.assign(logs, val);
    }
    await callbacks.onEpochEnd(epoch, logs);
    if (model.stopTraining) break;
  }
  await callbacks.onTrainEnd({});
  return history;
}
