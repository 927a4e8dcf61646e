import { tf } from '../backend/tf.js';
import { StateError, StrataError, ValueError } from './errors.js';
import { getInitializer, type InitializerIdentifier } from './initializers.js';
import { snakeCase } from './naming.js';
import type { L1L2 } from './regularizers.js';
import { isShapeList, type Shape } from './shape.js';
import { GraphNode, SymbolicTensor } from './symbolic.js';
import { LayerWeight } from './weight.js';
import { assertTensors } from './tensor_checks.js';
import { checkOptionKeys } from './option_keys.js';
import { readWeightValues, writeWeightValues } from './weight_values.js';
import { firstMask, type Mask, type MaskInput } from './mask.js';
import { trainableFirst, type KerasVariables } from './keras_variables.js';
import { checkInputSpec, type InputSpec } from './input_spec.js';
import { markUnbuilt } from './unbuilt_weights.js';

export { type InputSpec } from './input_spec.js';
export { UNBUILT_WEIGHTS, type UnbuiltWeights } from './unbuilt_weights.js';

/** Options every layer accepts. */
export interface LayerOptions {
  /** Unique name within its model. Default: derived from the class (`dense`, `dense_1`…). */
  name?: string;
  /** Whether its weights are updated by training. Default true. */
  trainable?: boolean;
  /** Shape of one sample (no batch dim), for the first layer of a Sequential model. */
  inputShape?: number[];
  /** Full input shape with the batch dimension (`null` when free). */
  batchInputShape?: Shape;
  /** Data type of its weights and outputs. Only `'float32'` is supported. */
  dtype?: 'float32';
}

/** Keys every layer accepts (its {@link LayerOptions} and Keras-style shorthands). */
const BASE_OPTION_KEYS = ['name', 'trainable', 'inputShape', 'batchInputShape', 'dtype', 'inputDim', 'inputLength'];

/** How a layer is being run. */
export interface CallContext {
  /** True inside `fit` (dropout active, BatchNorm updates its statistics); false otherwise. */
  training: boolean;
  /**
   * The padding mask(s) of the inputs (bool `[batch, time]`, true on real steps), or
   * undefined / `null` when the inputs carry none. Models fill it from the previous layer's
   * `computeMask`; layers that honour masks (RNNs, attention, pooling) read it.
   */
  mask?: MaskInput;
}

/** What a layer may be applied to: real tensors (eager) or symbolic ones (graph building). */
export type LayerInput = tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[];

/**
 * The base of every layer. A layer creates its weights once, lazily, in `build(inputShape)`,
 * computes in `call(inputs, ctx)`, reports `computeOutputShape`, and serializes with
 * `getConfig` (the same typed options it was made with).
 */
export abstract class Layer {
  /** Keras class name, used in summaries and saved configs. */
  abstract readonly className: string;
  /** True once `build` has run. */
  built = false;
  /** Declared constraints on the input, checked on every application. */
  protected inputSpec?: InputSpec;
  /** The full input shape this layer was declared with, if any. */
  batchInputShape?: Shape;
  /**
   * Whether the layer passes a padding mask on (see `computeMask`). Default false: the
   * mask stops here, as in Keras for layers that do not support masking.
   */
  supportsMasking = false;
  /** Applications of this layer in functional graphs. */
  readonly inboundNodes: GraphNode[] = [];
  private _name?: string;
  private _trainable: boolean;
  private readonly _weights: LayerWeight[] = [];
  private readonly baseOptions: LayerOptions;
  private _disposed = false;
  private optionsChecked = false;
  /**
   * Option keys a layer class accepts beyond its `getConfig()` keys, its own fields and the
   * base options (e.g. a shorthand that the config stores in another form). Subclasses
   * with such keys override it; the unknown-option check reads it.
   */
  static readonly extraOptionKeys: readonly string[] = [];

  constructor(opts: LayerOptions = {}) {
    this.baseOptions = opts;
    if (opts.name !== undefined) {
      if (typeof opts.name !== 'string' || !/^[A-Za-z0-9_.\-/]+$/.test(opts.name)) {
        throw new ValueError(`Layer: 'name' must be a non-empty string of letters, digits, _ . - /; got '${String(opts.name)}'`);
      }
      this._name = opts.name;
    }
    this._trainable = opts.trainable ?? true;
    if (opts.batchInputShape) this.batchInputShape = [...opts.batchInputShape];
    else if (opts.inputShape) {
      if (!Array.isArray(opts.inputShape) || opts.inputShape.some((d) => !(Number.isInteger(d) && d > 0) && d !== null)) {
        throw new ValueError(`Layer: 'inputShape' must be a list of positive integers; got ${JSON.stringify(opts.inputShape)}`);
      }
      this.batchInputShape = [null, ...opts.inputShape];
    }
    if (opts.dtype !== undefined && opts.dtype !== 'float32') {
      throw new ValueError(`Layer: 'dtype' must be 'float32'; got '${String(opts.dtype)}'`);
    }
  }

  /** The layer's name; before a model names it, the class-derived stem (`dense`). */
  get name(): string {
    return this._name ?? snakeCase(this.className);
  }
  /** True once a name was given by the user or a model. */
  get hasName(): boolean {
    return this._name !== undefined;
  }
  /** Sets the name (undefined: back to the class-derived default); models call this to make names unique. */
  setName(name: string | undefined): void {
    this._name = name;
  }
  /** `Dense 'dense_2'`: how error messages name this layer. */
  get label(): string {
    return `${this.className} '${this.name}'`;
  }

  /** Whether training updates this layer's weights. Setting it applies to sublayers too. */
  get trainable(): boolean {
    return this._trainable;
  }
  /** Freezes (false) or unfreezes (true) this layer and all its sublayers. */
  set trainable(v: boolean) {
    this._trainable = v;
    for (const l of this.sublayers()) l.trainable = v;
  }

  /** Layers inside this one (blocks, nested models); empty for plain layers. */
  sublayers(): Layer[] {
    return [];
  }

  /** All weights, own then sublayers', in creation order. */
  get weights(): LayerWeight[] {
    return markUnbuilt(this, [...this._weights, ...this.sublayers().flatMap((l) => l.weights)], (l) => l.weights);
  }
  /** Weights an optimizer updates now (empty when the layer is frozen). */
  get trainableWeights(): LayerWeight[] {
    if (!this._trainable) return [];
    return markUnbuilt(this, [...this._weights.filter((w) => w.trainableByKind), ...this.sublayers().flatMap((l) => l.trainableWeights)],
      (l) => l.trainableWeights);
  }
  /** Weights no optimizer updates now: statistics, and everything of a frozen layer. */
  get nonTrainableWeights(): LayerWeight[] {
    const t = new Set(this.trainableWeights);
    return this.weights.filter((w) => !t.has(w));
  }
  /**
   * Copies of the values of all weights, in `weights` order: the layer's own in creation
   * order (trainable ones first for the built-in layers, as Keras lists them), then its
   * sublayers'. Empty before the layer is built. The caller owns the tensors.
   */
  getWeights(): tf.Tensor[] {
    this.assertNotDisposed('getWeights');
    return readWeightValues(this.weights);
  }

  /**
   * Sets all weights from `values` in `getWeights()` order (e.g. another layer's
   * `getWeights()`); count and shapes are checked before anything is assigned. The caller
   * keeps ownership of `values`.
   * @throws ValueError for a wrong count, ShapeError for a wrong shape, StateError when not built.
   */
  setWeights(values: tf.Tensor[]): void {
    this.assertNotDisposed('setWeights');
    writeWeightValues(this.weights, values, `${this.label}.setWeights`, this.built || this.weights.length > 0);
  }

  /**
   * How the Keras counterpart of this layer holds its variables, which Keras weight files
   * mirror (see {@link KerasVariables}). Default: all weights as the layer's own, trainable
   * ones first. Layers whose Keras class nests its variables in child objects (an RNN's
   * `cell`, a wrapper's `layer`) override it.
   */
  kerasVariables(): KerasVariables {
    return { vars: trainableFirst(this.weights) };
  }

  /** Number of scalars in all weights. */
  countParams(): number {
    return this.weights.reduce((a, w) => a + w.size, 0);
  }

  /**
   * Creates a weight. Call only from `build`.
   * @param name - short name, e.g. `kernel`.
   * @param opts - `trainable: false` for statistics that no optimizer updates; an optional regularizer.
   */
  protected addWeight(
    name: string,
    shape: number[],
    initializer: InitializerIdentifier,
    opts: { trainable?: boolean; regularizer?: L1L2 } = {},
  ): LayerWeight {
    const init = getInitializer(initializer, this.label, `${name} initializer`);
    const value = tf.tidy(() => init.apply(shape));
    const trainable = opts.trainable ?? true;
    const w = new LayerWeight(this, name, tf.variable(value, trainable), trainable, opts.regularizer);
    value.dispose();
    this._weights.push(w);
    return w;
  }

  /** Creates the weights for inputs of `inputShape`. Runs once, before the first call. */
  protected build(_inputShape: Shape | Shape[]): void {}

  /** True once `dispose` ran: the layer (or model) cannot be used any more. */
  get isDisposed(): boolean {
    return this._disposed;
  }

  /**
   * Throws a StateError when the layer was disposed.
   * @param what - the call being made, for the message (`predict`, `fit`…).
   */
  assertNotDisposed(what: string): void {
    if (this._disposed) {
      throw new StateError(`${this.label}.${what}: the ${this.sublayers().length ? 'model' : 'layer'} was disposed (its weights are freed); build a new one or load it again`);
    }
  }

  /**
   * Raises a ValueError naming an option key the layer was made with that it does not
   * know (a typo such as `kernel_size` or `activaton`), with the nearest known key. Known
   * keys are the base options, the keys of this layer's own `getConfig()`, its own fields
   * and its class's `extraOptionKeys`, so every layer gets the check without a list of its
   * own. Runs once, when the layer joins a model or is first built or applied.
   */
  checkOptions(): void {
    if (this.optionsChecked) return;
    this.optionsChecked = true;
    let configKeys: string[];
    try {
      configKeys = Object.keys(this.getConfig());
    } catch {
      return; // a config that needs the layer built: nothing to compare against yet
    }
    const extra = (this.constructor as { extraOptionKeys?: readonly string[] }).extraOptionKeys ?? [];
    // Own fields count as known (some options are stored as fields only), but the message
    // lists just the documented options.
    checkOptionKeys(this.label, this.baseOptions, [...BASE_OPTION_KEYS, ...configKeys, ...Object.keys(this), ...extra],
      [...new Set([...BASE_OPTION_KEYS, ...configKeys, ...extra])]);
  }

  /** Builds the layer if it is not built yet (checking the input spec first). */
  ensureBuilt(inputShape: Shape | Shape[]): void {
    this.assertNotDisposed('build');
    this.checkOptions();
    if (this.built) return;
    this.checkInput(inputShape);
    this.build(inputShape);
    this.built = true;
  }

  /** The math: inputs are real tensors. Runs inside the caller's `tidy`. */
  abstract call(inputs: tf.Tensor | tf.Tensor[], ctx: CallContext): tf.Tensor | tf.Tensor[];

  /** The output shape for an input shape (batch dimension included, `null` when free). */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  /**
   * The padding mask of this layer's output, given its inputs and their mask(s). Default:
   * the (first) input mask when `supportsMasking`, else `null`. Layers that make masks
   * (Embedding, Masking) or consume them (an RNN without `returnSequences`) override it.
   * Runs inside the caller's `tidy`; the result is a new tensor or `null`.
   */
  computeMask(_inputs: tf.Tensor | tf.Tensor[], mask: MaskInput | undefined): Mask | (Mask | null)[] | null {
    if (!this.supportsMasking) return null;
    const m = firstMask(mask);
    return m ? tf.clone(m) : null;
  }

  /** The options that rebuild this layer, in the same typed form it was made with. */
  getConfig(): LayerOptions {
    const c: LayerOptions = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape) c.batchInputShape = [...this.batchInputShape];
    if (this.baseOptions.dtype) c.dtype = this.baseOptions.dtype;
    return c;
  }

  /** Penalties of regularized weights, to add to the loss. Call inside a tidy or grad. */
  regularizationLosses(): tf.Scalar[] {
    const own = this._weights.filter((w) => w.regularizer).map((w) => w.regularizer!.apply(w.read()));
    return [...own, ...this.sublayers().flatMap((l) => l.regularizationLosses())];
  }

  /** Checks an input shape against the input spec; throws a ShapeError naming this layer. */
  checkInput(inputShape: Shape | Shape[]): void {
    if (this.inputSpec) checkInputSpec(this.label, this.inputSpec, inputShape);
  }

  /**
   * Applies the layer. Given real tensors it computes now (inference mode unless
   * `ctx.training`); given symbolic tensors it records a graph node and returns symbolic
   * outputs, for building functional models.
   */
  apply(inputs: SymbolicTensor, ctx?: Partial<CallContext>): SymbolicTensor;
  apply(inputs: SymbolicTensor[], ctx?: Partial<CallContext>): SymbolicTensor | SymbolicTensor[];
  apply(inputs: tf.Tensor | tf.Tensor[], ctx?: Partial<CallContext>): tf.Tensor | tf.Tensor[];
  apply(inputs: SymbolicTensor | SymbolicTensor[], ctx?: Partial<CallContext>): SymbolicTensor | SymbolicTensor[];
  apply(inputs: LayerInput, ctx?: Partial<CallContext>): tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[];
  apply(inputs: LayerInput, ctx: Partial<CallContext> = {}): tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[] {
    this.assertNotDisposed('apply');
    this.checkOptions();
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length > 0 && list.every((t) => t instanceof SymbolicTensor)) {
      return this.applySymbolic(list as SymbolicTensor[], !Array.isArray(inputs));
    }
    if (list.some((t) => t instanceof SymbolicTensor)) {
      throw new StrataError(`${this.label}: cannot mix symbolic and real tensors in one apply()`);
    }
    assertTensors(list, `${this.label}.apply`, 'inputs');
    const shapes = (list as tf.Tensor[]).map((t) => [null, ...t.shape.slice(1)] as Shape);
    const shape = Array.isArray(inputs) ? shapes : shapes[0]!;
    this.ensureBuilt(shape);
    this.checkInput(shape);
    const training = ctx.training ?? false;
    const mask = ctx.mask ?? null;
    return tf.tidy(() => {
      const out = this.call(inputs as tf.Tensor | tf.Tensor[], mask === null ? { training } : { training, mask });
      // An identity layer must not hand back its input: disposing the output would free it.
      const fresh = (t: tf.Tensor) => ((list as tf.Tensor[]).includes(t) ? tf.clone(t) : t);
      return Array.isArray(out) ? out.map(fresh) : fresh(out);
    });
  }

  private applySymbolic(inputs: SymbolicTensor[], single: boolean): SymbolicTensor | SymbolicTensor[] {
    const shape: Shape | Shape[] = single ? inputs[0]!.shape : inputs.map((t) => t.shape);
    this.ensureBuilt(shape);
    this.checkInput(shape);
    const out = this.computeOutputShape(shape);
    const node = new GraphNode(this, inputs, [], single);
    const outShapes = isShapeList(out) ? out : [out];
    outShapes.forEach((s, i) => node.outputs.push(new SymbolicTensor(s, node, i)));
    this.inboundNodes.push(node);
    return isShapeList(out) ? node.outputs : node.outputs[0]!;
  }

  /** The output of this layer's first application in a graph (for cutting models). */
  get output(): SymbolicTensor | SymbolicTensor[] {
    const n = this.inboundNodes[0];
    if (!n) throw new StrataError(`${this.label}: has no output; it was never applied to a symbolic tensor`);
    return n.outputs.length === 1 ? n.outputs[0]! : n.outputs;
  }
  /** The input of this layer's first application in a graph. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const n = this.inboundNodes[0];
    if (!n) throw new StrataError(`${this.label}: has no input; it was never applied to a symbolic tensor`);
    return n.singleInput ? n.inputs[0]! : n.inputs;
  }

  /** Frees the weights' memory. The layer cannot be used afterwards (uses throw a StateError). */
  dispose(): void {
    this._disposed = true;
    for (const w of this._weights) w.variable.dispose();
    this._weights.length = 0;
    for (const l of this.sublayers()) l.dispose();
    this.built = false;
  }
}
