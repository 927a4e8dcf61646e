import { ready } from '../backend/backends.js';
import { tf } from '../backend/tf.js';
import { StateError, ValueError } from '../engine/errors.js';
import type { Logs } from './callbacks/callback.js';
import type { History } from './callbacks/index.js';
import { resolveCompile, type CompiledSpec } from './compiled.js';
import { classWeightsFor, toList } from './data.js';
import { evaluateTensors } from './evaluate.js';
import { checkData, checkValues, fitTensors, inputSampleShapes, ioNames } from './fit.js';
import { assertTensors } from '../engine/tensor_checks.js';
import { fitDatasetImpl } from './fit_dataset.js';
import { nonFiniteMessage, type LoopModel } from './loop.js';
import type { CompileOptions, Dataset, EvaluateOptions, FitDatasetOptions, FitOptions, TensorData } from './options.js';
import { StepRunner } from './step.js';
import type { EvaluateLogs } from './trainable.js';

/** Options of `trainOnBatch`. */
export interface TrainOnBatchOptions {
  /** Weight per sample, shape `[batch]`. */
  sampleWeight?: tf.Tensor;
  /** Weight per class index (single-output models). */
  classWeight?: Record<number, number>;
}

/**
 * The training half of a model, made by `compile`: it owns the resolved optimizer,
 * losses and metrics and runs `fit`, `fitDataset`, `evaluate` and `trainOnBatch`.
 */
export class Trainer {
  readonly spec: CompiledSpec;
  private readonly runner: StepRunner;
  private busy: string | undefined;

  constructor(private readonly model: LoopModel, opts: CompileOptions) {
    this.spec = resolveCompile(opts, ioNames(model).outputs, `${model.label}.compile`);
    this.runner = new StepRunner(model, this.spec);
  }

  /** True while `fit`, `fitDataset` or `evaluate` runs. */
  get isBusy(): boolean {
    return this.busy !== undefined;
  }

  private async exclusive<T>(what: string, f: () => Promise<T>): Promise<T> {
    if (this.busy) {
      throw new StateError(`${this.model.label}.${what}: cannot start while ${this.busy} is running on this model`);
    }
    this.busy = what;
    try {
      await ready();
      return await f();
    } finally {
      this.busy = undefined;
    }
  }

  fit(x: TensorData, y: TensorData, opts?: FitOptions): Promise<History> {
    return this.exclusive('fit', () => fitTensors(this.model, this.spec, this.runner, x, y, opts));
  }

  fitDataset(data: Dataset, opts?: FitDatasetOptions): Promise<History> {
    return this.exclusive('fitDataset', () => fitDatasetImpl(this.model, this.spec, this.runner, data, opts));
  }

  /** Converts plain-array x and y to tensors (model order) for `f`, and frees them after. */
  private async converted<T>(x: TensorData, y: TensorData, what: string,
    f: (xs: tf.Tensor[], ys: tf.Tensor[]) => Promise<T>): Promise<T> {
    const owner = `${this.model.label}.${what}`;
    const names = ioNames(this.model);
    const owned: tf.Tensor[] = [];
    try {
      return await f(toList(x, names.inputs, owner, 'x', owned, inputSampleShapes(this.model)),
        toList(y, names.outputs, owner, 'y', owned));
    } finally {
      tf.dispose(owned);
    }
  }

  evaluate(x: TensorData, y: TensorData, opts: EvaluateOptions = {}): Promise<EvaluateLogs> {
    return this.exclusive('evaluate', () => this.converted(x, y, 'evaluate', async (x, y) => {
      const owner = `${this.model.label}.evaluate`;
      const names = ioNames(this.model);
      const xs = toList(x, names.inputs, owner, 'x');
      const ys = toList(y, names.outputs, owner, 'y');
      const n = checkData(this.model, this.spec, xs, ys, owner);
      const batchSize = opts.batchSize ?? 32;
      if (!Number.isInteger(batchSize) || batchSize <= 0) {
        throw new ValueError(`${owner}: 'batchSize' must be a positive integer; got ${String(opts.batchSize)}`);
      }
      if (opts.sampleWeight !== undefined) assertTensors([opts.sampleWeight], owner, 'sampleWeight');
      if (opts.sampleWeight && (opts.sampleWeight.rank !== 1 || opts.sampleWeight.shape[0] !== n)) {
        throw new ValueError(`${owner}: 'sampleWeight' must have shape [${n}]; got [${opts.sampleWeight.shape}]`);
      }
      await checkValues(this.model, this.spec, ys, opts.sampleWeight, owner);
      const logs = await evaluateTensors(this.runner, xs, ys, opts.sampleWeight, batchSize);
      if (this.runner.nonFinite) console.warn(nonFiniteMessage(owner, this.runner.nonFinite));
      if (opts.verbose) console.log(Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - '));
      return logs as EvaluateLogs;
    }));
  }

  trainOnBatch(x: TensorData, y: TensorData, opts: TrainOnBatchOptions = {}): Promise<Logs> {
    return this.exclusive('trainOnBatch', () => this.converted(x, y, 'trainOnBatch', async (x, y) => {
      const owner = `${this.model.label}.trainOnBatch`;
      const names = ioNames(this.model);
      const xs = toList(x, names.inputs, owner, 'x');
      const ys = toList(y, names.outputs, owner, 'y');
      checkData(this.model, this.spec, xs, ys, owner);
      if (opts.sampleWeight !== undefined) assertTensors([opts.sampleWeight], owner, 'sampleWeight');
      await checkValues(this.model, this.spec, ys, opts.sampleWeight, owner);
      let sw = opts.sampleWeight;
      let owned: tf.Tensor | undefined;
      if (opts.classWeight) {
        const shape = this.model.outputShapes[0]!;
        owned = classWeightsFor(ys[0]!, opts.classWeight, shape[shape.length - 1] ?? 1, owner);
        sw = sw ? tf.mul(sw, owned) : owned;
      }
      try {
        this.runner.reset();
        this.runner.trainBatch(xs, ys, sw);
        return await this.runner.read();
      } finally {
        if (sw && sw !== opts.sampleWeight) sw.dispose();
        if (owned && owned !== sw) owned.dispose();
      }
    }));
  }

  /**
   * Frees the running sums, the optimizer state and the metric state, except the
   * optimizer or metric objects in `keep` (those a new `compile` reuses).
   */
  dispose(keep: ReadonlySet<object> = new Set()): void {
    this.runner.dispose();
    if (!keep.has(this.spec.optimizer)) this.spec.optimizer.dispose();
    [...this.spec.metrics, ...this.spec.weightedMetrics].forEach((ms) => ms.forEach((m) => keep.has(m) || m.dispose()));
  }
}
