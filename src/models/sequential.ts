import { tf } from '../backend/tf.js';
import { ShapeError, StrataError, ValueError } from '../engine/errors.js';
import type { CallContext, Layer } from '../engine/layer.js';
import { firstMask, type Mask } from '../engine/mask.js';
import { isShapeList, type Shape } from '../engine/shape.js';
import { SymbolicTensor } from '../engine/symbolic.js';
import { InputLayer } from '../layers/core/input.js';
import { Network, type PredictInput, type PredictOptions } from './network.js';
import type { SummaryRow } from './summary.js';

/** Options of a Sequential model. */
export interface SequentialOptions {
  /** Model name. Default `'sequential'`. */
  name?: string;
}

/** What `sequential([...])` and `add` accept: layers, or an `st.layers.input(...)` first. */
export type SequentialItem = Layer | SymbolicTensor;

/**
 * A plain stack of layers, each feeding the next. Knows its input shape from an
 * `st.layers.input`, the first layer's `inputShape`, or the first data it sees.
 */
export class SequentialNetwork extends Network {
  readonly className: string = 'Sequential';
  private readonly stack: Layer[] = [];
  private inputBatchShape?: Shape;
  private readonly outShapes: Shape[] = [];

  constructor(items: SequentialItem[] = [], opts: SequentialOptions = {}) {
    // An unnamed model is named by the model it is added to (sequential, sequential_1…).
    super(opts.name !== undefined ? { name: opts.name } : {});
    if (!Array.isArray(items)) {
      throw new ValueError(`Sequential: expected a list of layers; got ${typeof items}`);
    }
    for (const item of items) this.add(item);
  }

  /**
   * Appends a layer. When the input shape is known the layer is built at once, so a shape
   * mismatch is reported here, naming the layer.
   */
  add(item: SequentialItem): void {
    if (item instanceof SymbolicTensor) {
      if (!(item.sourceLayer instanceof InputLayer)) {
        throw new StrataError(`${this.label}.add: only st.layers.input(...) tensors may be added; use layers otherwise`);
      }
      if (this.stack.length > 0 || this.inputBatchShape) {
        throw new StrataError(`${this.label}.add: an input must come first; the model already has an input shape or layers`);
      }
      this.inputBatchShape = [...item.shape];
      return;
    }
    if (!item || typeof (item as Layer).call !== 'function') {
      throw new ValueError(`${this.label}.add: expected a layer; got ${String(item)}`);
    }
    if (this.stack.includes(item)) {
      throw new ValueError(`${this.label}.add: layer '${item.name}' is already in this model`);
    }
    if (this.stack.length === 0 && !this.inputBatchShape && item.batchInputShape) {
      this.inputBatchShape = [...item.batchInputShape];
    }
    const hadName = item.hasName;
    this.adoptName(item);
    this.stack.push(item);
    if (!this.inputBatchShape) return;
    try {
      this.buildFrom(this.stack.length - 1);
    } catch (e) {
      // A layer that does not fit leaves the model as it was.
      this.stack.pop();
      this.scope.release(item.name);
      if (!hadName) item.setName(undefined);
      throw e;
    }
  }

  /** Removes the last layer. */
  pop(): Layer {
    const l = this.stack.pop();
    if (!l) throw new StrataError(`${this.label}.pop: the model has no layers`);
    this.outShapes.length = Math.min(this.outShapes.length, this.stack.length);
    return l;
  }

  private buildFrom(start: number): void {
    let shape: Shape = start === 0 ? this.inputBatchShape! : this.outShapes[start - 1]!;
    for (let i = start; i < this.stack.length; i++) {
      const layer = this.stack[i]!;
      layer.ensureBuilt(shape);
      layer.checkInput(shape);
      const out = layer.computeOutputShape(shape);
      if (isShapeList(out)) {
        throw new ShapeError(`${this.label}: layer ${layer.label} has several outputs; use the functional API (st.model)`);
      }
      this.outShapes[i] = out;
      shape = out;
    }
    this.built = this.stack.length > 0;
  }

  get layers(): Layer[] {
    return [...this.stack];
  }

  get inputShapes(): Shape[] {
    if (!this.inputBatchShape) throw new StrataError(`${this.label}: input shape unknown; give the first layer an inputShape`);
    return [this.inputBatchShape];
  }

  get outputShapes(): Shape[] {
    if (!this.built) throw new StrataError(`${this.label}: not built yet`);
    return [this.outShapes[this.outShapes.length - 1]!];
  }

  protected override build(inputShape: Shape | Shape[]): void {
    if (isShapeList(inputShape)) {
      throw new ShapeError(`${this.label}: a Sequential model takes one input; got ${inputShape.length}`);
    }
    if (this.stack.length === 0) throw new StrataError(`${this.label}: cannot build a model with no layers`);
    const declared = this.inputBatchShape;
    this.inputBatchShape ??= [null, ...inputShape.slice(1)];
    try {
      this.buildFrom(0);
    } catch (e) {
      // Bad first data must not fix the model's input shape.
      this.inputBatchShape = declared;
      throw e;
    }
  }

  override ensureBuilt(inputShape: Shape | Shape[]): void {
    if (!this.built) {
      this.build(inputShape);
      this.built = true;
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    let shape = (isShapeList(inputShape) ? inputShape[0]! : inputShape) as Shape;
    for (const l of this.stack) shape = l.computeOutputShape(shape) as Shape;
    return shape;
  }

  /**
   * Runs the model in inference mode, `batchSize` samples at a time. A Sequential model
   * has one output, so this is typed as one tensor (no cast needed).
   * @example
   * ```ts
   * const probs = net.predict(xTest);   // tf.Tensor
   * ```
   */
  override predict(x: PredictInput, opts: PredictOptions = {}): tf.Tensor {
    return super.predict(x, opts) as tf.Tensor;
  }

  forward(inputs: tf.Tensor[], ctx: CallContext): tf.Tensor[] {
    // Without a gradient tape, each activation is freed once the next layer has read it.
    const free = tf.engine().state.gradientDepth === 0;
    let x = inputs[0]!;
    // The padding mask travels beside the data: each layer says what its output carries.
    let mask: Mask | null = firstMask(ctx.mask);
    for (const l of this.stack) [x, mask] = runLayer(l, x, mask, ctx, free && x !== inputs[0]);
    return [x];
  }

  /** @internal Runs the leading layers without trainable weights now; see {@link Network.splitForward}. */
  override splitForward(inputs: tf.Tensor[], ctx: CallContext): () => tf.Tensor[] {
    let x = inputs[0]!;
    let mask: Mask | null = firstMask(ctx.mask);
    let i = 0;
    for (; i < this.stack.length && !this.stack[i]!.weights.some((w) => w.trainable); i++) {
      [x, mask] = runLayer(this.stack[i]!, x, mask, ctx, x !== inputs[0]);
    }
    const rest = this.stack.slice(i);
    return () => {
      let h = x;
      let m = mask;
      for (const l of rest) [h, m] = runLayer(l, h, m, ctx, false);
      return [h];
    };
  }

  protected summaryRows(): SummaryRow[] {
    return this.stack.map((layer, i) => ({ layer, outputShape: this.outShapes[i] }));
  }

  /** The model's name and each layer's class name and options, in order. */
  override getConfig() {
    return {
      /** The model's name. */
      name: this.name,
      /** The layers, in order. */
      layers: this.stack.map((l) => ({
        /** The layer's Keras class name. */
        className: l.className,
        /** The options that rebuild the layer. */
        config: l.getConfig(),
      })),
    };
  }
}

/** Applies one layer with the incoming mask; returns its output and the mask it carries. Frees the input when asked. */
function runLayer(l: Layer, x: tf.Tensor, mask: Mask | null, ctx: CallContext, freeInput: boolean): [tf.Tensor, Mask | null] {
  const y = l.apply(x, { ...ctx, mask }) as tf.Tensor;
  const next = l.computeMask(x, mask);
  if (freeInput && x !== y) x.dispose();
  return [y, Array.isArray(next) ? (next[0] ?? null) : next];
}
