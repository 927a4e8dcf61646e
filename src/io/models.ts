import type { FunctionalOptions } from '../models/functional.js';
import type { SequentialItem, SequentialOptions } from '../models/sequential.js';
import type { tf } from '../backend/tf.js';
import type { SymbolicTensor } from '../engine/symbolic.js';
import { Model as TrainableModel, Sequential as TrainableSequential } from '../training/models.js';
import type { ModelLocation } from './handlers.js';
import { saveModel, type SaveOptions } from './save.js';

/**
 * A stack of layers with the Keras training API (`compile`, `fit`, `evaluate`, `predict`…)
 * and `save`.
 */
export class Sequential extends TrainableSequential {
  /**
   * Saves the model in the tfjs-layers format (`model.json` + weights): to
   * `file://dir` in Node (atomically), `indexeddb://name`, `localstorage://name`,
   * `downloads://name`, `http(s)://…`, or any tfjs `IOHandler`.
   * @param opts - `includeOptimizer: true` also stores the optimizer state, so training resumes exactly.
   * @example
   * ```ts
   * await net.save('file://./out/mnist');
   * ```
   */
  save(target: ModelLocation, opts: SaveOptions = {}): Promise<tf.io.SaveResult> {
    return saveModel(this, target, opts);
  }
}

/** A functional (graph) model with the Keras training API and `save`; `O` is the type of its outputs. */
export class Model<O extends SymbolicTensor | SymbolicTensor[] = SymbolicTensor | SymbolicTensor[]> extends TrainableModel<O> {
  /** Saves the model; see {@link Sequential.save}. */
  save(target: ModelLocation, opts: SaveOptions = {}): Promise<tf.io.SaveResult> {
    return saveModel(this, target, opts);
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

