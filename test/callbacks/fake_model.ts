/** A tiny stand-in for a model in a fit loop, to drive callbacks without training. */
import { tf } from '../../src/backend/tf.js';
import type { BatchLogs, Callback, CallbackModel, Logs, TrainingParams } from '../../src/training/callbacks/index.js';

export class FakeOptimizer {
  constructor(public learningRate: unknown = 0.01) {}
  currentLearningRate(): number {
    const lr = this.learningRate;
    return typeof lr === 'number' ? lr : (lr as { valueAt(s: number): number }).valueAt(0);
  }
}

export class FakeModel implements CallbackModel {
  stopTraining = false;
  readonly name = 'fake';
  readonly w = tf.variable(tf.zeros([2]));
  readonly b = tf.variable(tf.scalar(0));
  readonly optimizer: FakeOptimizer | undefined;
  /** `null` makes a model without an optimizer. */
  constructor(optimizer: FakeOptimizer | null = new FakeOptimizer()) {
    this.optimizer = optimizer ?? undefined;
  }
  getWeights(): tf.Tensor[] {
    return [tf.clone(this.w), tf.clone(this.b)];
  }
  setWeights(values: tf.Tensor[]): void {
    this.w.assign(values[0] as tf.Tensor1D);
    this.b.assign(values[1] as tf.Scalar);
  }
  /** Sets every weight to `v` (an epoch's "training"). */
  fill(v: number): void {
    tf.tidy(() => {
      this.w.assign(tf.fill([2], v));
      this.b.assign(tf.scalar(v));
    });
  }
  weightValues(): number[] {
    return [...this.w.dataSync(), ...this.b.dataSync()];
  }
  dispose(): void {
    this.w.dispose();
    this.b.dispose();
  }
}

export function params(over: Partial<TrainingParams> = {}): TrainingParams {
  return { epochs: 10, initialEpoch: 0, verbose: 0, metrics: ['loss', 'val_loss'], ...over };
}

/**
 * Runs the epoch hooks of `cb` over a sequence of epoch logs like the fit loop does; before
 * each epoch's end it fills the weights with the epoch index. Returns the epochs run.
 */
export async function driveEpochs(cb: Callback, model: FakeModel, epochLogs: Logs[], p: Partial<TrainingParams> = {}): Promise<number[]> {
  cb.setModel(model);
  cb.setParams(params({ epochs: epochLogs.length, ...p }));
  model.stopTraining = false;
  await cb.onTrainBegin({});
  const ran: number[] = [];
  for (let epoch = 0; epoch < epochLogs.length; epoch++) {
    await cb.onEpochBegin(epoch, {});
    model.fill(epoch);
    await cb.onEpochEnd(epoch, { ...epochLogs[epoch] });
    ran.push(epoch);
    if (model.stopTraining) break;
  }
  await cb.onTrainEnd({});
  return ran;
}

/** Batch logs whose `values()` calls are counted. */
export function countingBatchLogs(batch: number, values: Logs, counter: { calls: number }): BatchLogs {
  return {
    batch,
    size: 32,
    values: async () => {
      counter.calls += 1;
      return { ...values };
    },
  };
}

export const losses = (...xs: number[]): Logs[] => xs.map((v) => ({ loss: v + 1, val_loss: v }));
