import { StateError } from '../engine/errors.js';
import type { Loss } from '../losses/loss.js';
import { FunctionalNetwork, type FunctionalOptions } from '../models/functional.js';
import type { Network, PredictInput, PredictOptions } from '../models/network.js';
import type { tf } from '../backend/tf.js';
import type { SymbolicTensor } from '../engine/symbolic.js';
import { SequentialNetwork, type SequentialItem, type SequentialOptions } from '../models/sequential.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Logs } from './callbacks/callback.js';
import type { History } from './callbacks/index.js';
import type { CompileOptions, Dataset, EvaluateOptions, FitDatasetOptions, FitOptions, TensorData } from './options.js';
import type { EvaluateLogs, Trainable } from './trainable.js';
import { Trainer, type TrainOnBatchOptions } from './trainer.js';
import { checkCallOptions, COMPILE_KEYS, EVALUATE_KEYS, FIT_DATASET_KEYS, FIT_KEYS, TRAIN_ON_BATCH_KEYS } from './option_keys.js';

// TypeScript requires mixin bases to accept any constructor arguments.
type NetworkCtor = abstract new (...args: any[]) => Network;

/**
 * Adds the training API to a network class. The result is cast by the caller to a named
 * constructor type, so declaration files never expose the anonymous class.
 */
function withTraining<B extends NetworkCtor>(Base: B) {
  abstract class TrainableNetwork extends Base implements Trainable {
    stopTraining = false;
    trainer: Trainer | undefined;

    get optimizer(): Optimizer | undefined {
      return this.trainer?.spec.optimizer;
    }
    get losses(): Loss[] | undefined {
      return this.trainer?.spec.losses;
    }
    get isTraining(): boolean {
      return this.trainer?.isBusy ?? false;
    }
    compile(opts: CompileOptions): void {
      this.assertNotDisposed('compile');
      checkCallOptions(`${this.label}.compile`, opts, COMPILE_KEYS);
      if (this.trainer?.isBusy) throw new StateError(`${this.label}.compile: cannot recompile while training runs`);
      const next = new Trainer(this, opts);
      // Free what the old compile made (running sums, metric state, a replaced optimizer's
      // slots), keeping an optimizer or metric object passed again, with its state.
      this.trainer?.dispose(new Set<object>([next.spec.optimizer, ...next.spec.metrics.flat(), ...next.spec.weightedMetrics.flat()]));
      this.trainer = next;
    }
    private need(what: string): Trainer {
      this.assertNotDisposed(what);
      if (!this.trainer) throw new StateError(`${this.label}.${what}: call compile({ optimizer, loss }) first`);
      return this.trainer;
    }
    async fit(x: TensorData, y: TensorData, opts?: FitOptions): Promise<History> {
      checkCallOptions(`${this.label}.fit`, opts, FIT_KEYS);
      return this.need('fit').fit(x, y, opts);
    }
    async fitDataset(data: Dataset, opts?: FitDatasetOptions): Promise<History> {
      checkCallOptions(`${this.label}.fitDataset`, opts, FIT_DATASET_KEYS);
      return this.need('fitDataset').fitDataset(data, opts);
    }
    async evaluate(x: TensorData, y: TensorData, opts?: EvaluateOptions): Promise<EvaluateLogs> {
      checkCallOptions(`${this.label}.evaluate`, opts, EVALUATE_KEYS);
      return this.need('evaluate').evaluate(x, y, opts);
    }
    async trainOnBatch(x: TensorData, y: TensorData, opts?: TrainOnBatchOptions): Promise<Logs> {
      checkCallOptions(`${this.label}.trainOnBatch`, opts, TRAIN_ON_BATCH_KEYS);
      return this.need('trainOnBatch').trainOnBatch(x, y, opts);
    }
    override dispose(): void {
      this.trainer?.dispose();
      this.trainer = undefined;
      super.dispose();
    }
  }
  return TrainableNetwork;
}

const SequentialBase = withTraining(SequentialNetwork) as unknown as
  new (items?: SequentialItem[], opts?: SequentialOptions) => SequentialNetwork & Trainable;
const ModelBase = withTraining(FunctionalNetwork) as unknown as
  new (opts: FunctionalOptions) => FunctionalNetwork & Trainable;

/** A stack of layers with the Keras training API (`compile`, `fit`, `evaluate`, `predict`…). */
export class Sequential extends SequentialBase {}

/** What `predict` returns for a model whose outputs are `O`: one tensor for one symbolic output. */
export type PredictOutput<O> = O extends SymbolicTensor ? tf.Tensor : tf.Tensor | tf.Tensor[];

/**
 * A functional (graph) model with the Keras training API. `O` is the type of its
 * `outputs`: with one symbolic output, `predict` is typed as one tensor.
 */
export class Model<O extends SymbolicTensor | SymbolicTensor[] = SymbolicTensor | SymbolicTensor[]> extends ModelBase {
  /** Runs the model in inference mode; see {@link Network.predict}. */
  override predict(x: PredictInput, opts: PredictOptions = {}): PredictOutput<O> {
    return super.predict(x, opts) as PredictOutput<O>;
  }
}

/**
 * Makes a Sequential model.
 * @example
 * ```ts
 * const net = st.sequential([
 *   st.layers.input({ shape: [784] }),
 *   st.layers.dense({ units: 256, activation: 'relu' }),
 *   st.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * ```
 */
export function sequential(items: SequentialItem[] = [], opts: SequentialOptions = {}): Sequential {
  return new Sequential(items, opts);
}

/**
 * Makes a functional model from symbolic inputs and outputs (any DAG of layers).
 * @example
 * ```ts
 * const inp = st.layers.input({ shape: [32] });
 * const out = st.layers.dense({ units: 1 }).apply(inp);
 * const m = st.model({ inputs: inp, outputs: out });
 * ```
 */
export function model<O extends SymbolicTensor | SymbolicTensor[]>(opts: FunctionalOptions & { outputs: O }): Model<O> {
  return new Model<O>(opts);
}
