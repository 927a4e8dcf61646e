import { tf } from '../backend/tf.js';
import { ShapeError, StateError, ValueError, fmtShape } from '../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../engine/layer.js';
import { assertTensors, describe, isPlainData, toTensor, type PlainData } from '../engine/tensor_checks.js';
import { NameScope } from '../engine/naming.js';
import { checkOptionKeys, keysOf } from '../engine/option_keys.js';
import type { Shape } from '../engine/shape.js';
import { selectLayers, type LayerSelector } from './selector.js';
import { formatSummary, type SummaryRow } from './summary.js';

/** What `predict` takes: one tensor or plain array per model input (a list for several). */
export type PredictInput = tf.Tensor | tf.Tensor[] | PlainData | (tf.Tensor | PlainData)[];

/** Options of `predict`. */
export interface PredictOptions {
  /** Samples per forward pass. Default 32, as in Keras. */
  batchSize?: number;
}

const PREDICT_KEYS = keysOf<PredictOptions>({ batchSize: true });

/** Options of `summary`. */
export interface SummaryOptions {
  /** Where lines go. Default `console.log`. */
  printFn?: (line: string) => void;
}

/**
 * What Sequential and functional models share: a list of layers run as one, with
 * weights, batched `predict`, `summary`, freezing and disposal. Training is added on top
 * (see `training/`), so this knows nothing of optimizers or losses.
 */
export abstract class Network extends Layer {
  /** @internal Unique layer names within this model. */
  protected readonly scope = new NameScope();

  constructor(opts: LayerOptions = {}) {
    super(opts);
  }

  /** The model's layers in execution order. */
  abstract get layers(): Layer[];

  /** Input shapes (batch dimension included), once known. */
  abstract get inputShapes(): Shape[];

  /** Output shapes (batch dimension included), once known. */
  abstract get outputShapes(): Shape[];

  /** Runs the model on real tensors; one tensor per model input / output. */
  abstract forward(inputs: tf.Tensor[], ctx: CallContext): tf.Tensor[];

  /**
   * @internal For the training step: runs now the part of the model that no trainable
   * weight affects (a frozen base), freeing its intermediate tensors as it goes, and returns
   * a function that computes the rest from there. Called outside the gradient tape, the
   * frozen part then keeps no activations for a backward pass that would not use them.
   * This default runs everything in the returned function.
   */
  splitForward(inputs: tf.Tensor[], ctx: CallContext): () => tf.Tensor[] {
    return () => this.forward(inputs, ctx);
  }

  /** @internal Rows of the summary table. */
  protected abstract summaryRows(): SummaryRow[];

  override sublayers(): Layer[] {
    return this.layers;
  }

  /** Names a layer within this model: keeps a user name (unique), or derives `dense_1`… */
  protected adoptName(layer: Layer): void {
    layer.checkOptions();
    if (layer.hasName) {
      if (!this.scope.reserve(layer.name)) {
        throw new ValueError(`${this.label}: two layers are named '${layer.name}'; layer names must be unique within a model`);
      }
    } else {
      layer.setName(this.scope.unique(layer.name));
    }
  }

  /**
   * Finds a layer by name or position.
   * @throws ValueError listing the layer names when there is no such layer.
   */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    if (typeof nameOrIndex === 'number') {
      const l = layers[nameOrIndex < 0 ? layers.length + nameOrIndex : nameOrIndex];
      if (!l) throw new ValueError(`${this.label}: no layer at index ${nameOrIndex}; the model has ${layers.length} layers`);
      return l;
    }
    const l = layers.find((x) => x.name === nameOrIndex);
    if (!l) {
      throw new ValueError(`${this.label}: no layer named '${nameOrIndex}'; layers are ${layers.map((x) => x.name).join(', ')}`);
    }
    return l;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], ctx: CallContext): tf.Tensor | tf.Tensor[] {
    const outs = this.forward(Array.isArray(inputs) ? inputs : [inputs], ctx);
    return outs.length === 1 ? outs[0]! : outs;
  }

  /** Checks real inputs against the model's input shapes; throws a ShapeError naming both. */
  checkInputs(xs: tf.Tensor[]): void {
    const expected = this.inputShapes;
    if (xs.length !== expected.length) {
      throw new ShapeError(`${this.label}: expected ${expected.length} input tensor(s), got ${xs.length}`);
    }
    xs.forEach((x, i) => {
      const e = expected[i]!;
      const ok = x.rank === e.length && e.every((d, j) => j === 0 || d === null || d === x.shape[j]);
      if (!ok) {
        throw new ShapeError(`${this.label}: input ${i} expected shape ${fmtShape(e)}, got ${fmtShape(x.shape)}`);
      }
    });
  }

  /**
   * Runs the model in inference mode, `batchSize` samples at a time, and returns the
   * outputs (one tensor, or a list for several outputs). Only the outputs stay allocated.
   * @example
   * ```ts
   * const probs = net.predict(xTest) as st.tf.Tensor;
   * ```
   */
  predict(x: PredictInput, opts: PredictOptions = {}): tf.Tensor | tf.Tensor[] {
    const owner = `${this.label}.predict`;
    this.assertNotDisposed('predict');
    checkOptionKeys(owner, opts, PREDICT_KEYS);
    const single = x instanceof tf.Tensor || (isPlainData(x) && (!Array.isArray(x) || this.inputCount() <= 1));
    const list: unknown[] = single ? [x] : Array.isArray(x) ? x : [x];
    const converted: tf.Tensor[] = [];
    try {
      const shapes = this.built || this.inputCount() > 0 ? this.knownSampleShapes() : undefined;
      const xs = list.map((v, i) => {
        if (!isPlainData(v)) return v;
        const t = toTensor(v, owner, list.length > 1 ? `x[${i}]` : 'x', shapes?.[i]);
        converted.push(t);
        return t;
      });
      assertTensors(xs, owner, 'x');
      return this.predictTensors(xs, opts);
    } finally {
      tf.dispose(converted);
    }
  }

  /** Number of declared inputs (0 when not known yet). */
  private inputCount(): number {
    try {
      return this.inputShapes.length;
    } catch {
      return 0;
    }
  }

  private knownSampleShapes(): ((number | null)[] | undefined)[] | undefined {
    try {
      return this.inputShapes.map((s) => s.slice(1));
    } catch {
      return undefined;
    }
  }

  private predictTensors(xs: tf.Tensor[], opts: PredictOptions): tf.Tensor | tf.Tensor[] {
    const batchSize = opts.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new ValueError(`${this.label}.predict: 'batchSize' must be a positive integer; got ${String(opts.batchSize)}`);
    }
    this.ensureBuilt(xs.length === 1 ? [null, ...xs[0]!.shape.slice(1)] : xs.map((t) => [null, ...t.shape.slice(1)]));
    this.checkInputs(xs);
    const n = xs[0]!.shape[0]!;
    if (xs.some((t) => t.shape[0] !== n)) {
      throw new ShapeError(`${this.label}.predict: inputs have different sample counts: ${xs.map((t) => t.shape[0]).join(', ')}`);
    }
    const outs = tf.tidy(() => {
      if (n <= batchSize) return this.forward(xs, { training: false });
      const parts: tf.Tensor[][] = [];
      for (let s = 0; s < n; s += batchSize) {
        const size = Math.min(batchSize, n - s);
        const batch = xs.map((t) => tf.slice(t, [s, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1)]));
        parts.push(this.forward(batch, { training: false }));
      }
      return parts[0]!.map((_, k) => tf.concat(parts.map((p) => p[k]!), 0));
    });
    return outs.length === 1 ? outs[0]! : outs;
  }

  /** Prints a Keras-style table of layers, output shapes and parameter counts. */
  summary(opts: SummaryOptions = {}): void {
    this.assertNotDisposed('summary');
    const print = opts.printFn ?? ((l: string) => console.log(l));
    if (!this.built) {
      throw new StateError(`${this.label}.summary: the model is not built yet; give the first layer an inputShape (or an st.layers.input) or call it on data first`);
    }
    const trainable = this.trainableWeights.reduce((a, w) => a + w.size, 0);
    const total = this.countParams();
    const text = formatSummary(this.name, this.summaryRows(), { trainable, nonTrainable: total - trainable });
    for (const line of text.split('\n')) print(line);
  }

  /**
   * Freezes layers so training leaves their weights alone (all layers when no selector).
   * Takes effect at the next training step; no recompile needed.
   * @example
   * ```ts
   * base.freeze();                       // everything
   * base.freeze({ to: 'block_12_add' }); // the bottom up to that layer
   * ```
   */
  freeze(selector?: LayerSelector): void {
    if (selector === undefined) {
      this.trainable = false;
      return;
    }
    for (const l of selectLayers(this.layers, selector, `${this.label}.freeze`)) l.trainable = false;
  }

  /**
   * Unfreezes layers (all when no selector), e.g. `{ from: 'conv5_block1' }` or
   * `{ fraction: 0.1 }` for the top 10 %. The model itself becomes trainable again.
   */
  unfreeze(selector?: LayerSelector): void {
    const chosen = selectLayers(this.layers, selector, `${this.label}.unfreeze`);
    if (selector === undefined) {
      this.trainable = true;
      return;
    }
    if (!this.trainable) {
      // Make the container trainable without thawing every layer in it.
      const states = this.layers.map((l) => [l, l.trainable] as const);
      this.trainable = true;
      for (const [l, t] of states) l.trainable = t;
    }
    for (const l of chosen) l.trainable = true;
  }
}
