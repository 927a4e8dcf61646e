import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier } from '../../engine/initializers.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import { firstMask, maskAt, type Mask, type MaskInput } from '../../engine/mask.js';
import type { KerasVariables } from '../../engine/keras_variables.js';
import { isShapeList, type Shape } from '../../engine/shape.js';
import type { LayerWeight } from '../../engine/weight.js';
import { attentionMask } from './attention_mask.js';
import { scaledDotProduct } from './scaled_dot_product.js';

/** Options of {@link multiHeadAttention}. */
export interface MultiHeadAttentionOptions extends LayerOptions {
  /** Number of attention heads. Required. */
  numHeads: number;
  /** Size of each head's query and key projections. Required. */
  keyDim: number;
  /** Size of each head's value projection. Default `keyDim`. */
  valueDim?: number;
  /** Dropout rate on the attention probabilities while training, in [0, 1). Default 0. */
  dropout?: number;
  /** Whether the projections have biases. Default true. */
  useBias?: boolean;
  /** Size of the output's last axis. Default: the query's last dimension. */
  outputShape?: number;
  /** Apply a causal mask (position i attends to j ≤ i), as in decoders. Default false. */
  useCausalMask?: boolean;
  /** Also return the attention probabilities `[batch, heads, Tq, Tv]`: the output becomes `[output, scores]`. Default false. */
  returnAttentionScores?: boolean;
  /** Kernel initializer. Default `'glorotUniform'`. */
  kernelInitializer?: InitializerIdentifier;
  /** Bias initializer. Default `'zeros'`. */
  biasInitializer?: InitializerIdentifier;
  /** Seed of the dropout masks. Default: unseeded. */
  seed?: number;
}

const PROJ = ['query', 'key', 'value'] as const;

/**
 * Multi-head attention (Keras `MultiHeadAttention`), over one sequence axis. Inputs are
 * `[query, value]`, `[query, value, key]` or `[query, value, key, attentionMask]`
 * (`[batch, Tq, Tv]`, true or 1 where attending is allowed). Padding masks of query and
 * value (from `embedding({ maskZero: true })`) are honoured: padded keys get no weight.
 * A query that may attend to nothing (a padded query, a fully blocked row) gets, as in Keras,
 * zero probabilities when the scores are returned or `dropout` > 0 (Keras' masked softmax),
 * and otherwise the mean of all values (Keras' fused dot-product attention).
 * Weights as in Keras: `query/kernel [dim, heads, keyDim]`, `query/bias [heads, keyDim]`,
 * the same for `key` and `value`, `attention_output/kernel [heads, valueDim, outDim]`,
 * `attention_output/bias [outDim]`; Keras files keep each pair in an EinsumDense sublayer
 * (`query_dense`, `key_dense`, `value_dense`, `output_dense`; see {@link kerasVariables}).
 */
export class MultiHeadAttention extends Layer {
  readonly className = 'MultiHeadAttention';
  override supportsMasking = true;
  /** Number of heads. */
  readonly numHeads: number;
  /** Per-head query/key size. */
  readonly keyDim: number;
  /** Per-head value size. */
  readonly valueDim: number;
  /** Attention dropout rate. */
  readonly dropout: number;
  /** Whether a causal mask is applied. */
  readonly useCausalMask: boolean;
  /** Whether scores are returned too. */
  readonly returnAttentionScores: boolean;
  private readonly opts: MultiHeadAttentionOptions;
  private readonly w: Record<string, LayerWeight> = {};
  private dropoutCalls = 0;

  constructor(opts: MultiHeadAttentionOptions) {
    super(opts);
    this.opts = opts;
    for (const k of ['numHeads', 'keyDim'] as const) {
      if (!Number.isInteger(opts?.[k]) || opts[k] <= 0) throw new ValueError(`${this.label}: '${k}' must be a positive integer; got ${String(opts?.[k])}`);
    }
    this.numHeads = opts.numHeads;
    this.keyDim = opts.keyDim;
    this.valueDim = opts.valueDim ?? opts.keyDim;
    if (!Number.isInteger(this.valueDim) || this.valueDim <= 0) throw new ValueError(`${this.label}: 'valueDim' must be a positive integer; got ${String(opts.valueDim)}`);
    if (opts.outputShape !== undefined && !(Number.isInteger(opts.outputShape) && opts.outputShape > 0)) {
      throw new ValueError(`${this.label}: 'outputShape' must be a positive integer; got ${String(opts.outputShape)}`);
    }
    const d = opts.dropout ?? 0;
    if (typeof d !== 'number' || !(d >= 0 && d < 1)) throw new ValueError(`${this.label}: 'dropout' must be a number in [0, 1); got ${String(opts.dropout)}`);
    this.dropout = d;
    this.useCausalMask = opts.useCausalMask ?? false;
    this.returnAttentionScores = opts.returnAttentionScores ?? false;
    getInitializer(opts.kernelInitializer ?? 'glorotUniform', this.label, 'kernelInitializer');
    getInitializer(opts.biasInitializer ?? 'zeros', this.label, 'biasInitializer');
  }

  private shapes(inputShape: Shape | Shape[]): { q: Shape; v: Shape; k: Shape } {
    if (!isShapeList(inputShape) || inputShape.length < 2 || inputShape.length > 4) {
      throw new ShapeError(`${this.label}: expected inputs [query, value], [query, value, key] or [query, value, key, attentionMask]; got ${isShapeList(inputShape) ? inputShape.length : 1} input(s)`);
    }
    const [q, v, k] = inputShape as [Shape, Shape, Shape?];
    for (const s of [q, v, k ?? v]) {
      if (s.length !== 3) throw new ShapeError(`${this.label}: query, value and key must be [batch, time, features]; got ${fmtShape(s)}`);
    }
    if (k && k[1] !== null && v[1] !== null && k[1] !== v[1]) throw new ShapeError(`${this.label}: key and value must have the same length; got ${fmtShape(k)} and ${fmtShape(v)}`);
    return { q, v, k: k ?? v };
  }

  protected override build(inputShape: Shape | Shape[]): void {
    const { q, v, k } = this.shapes(inputShape);
    const dims = { query: q[2], key: k[2], value: v[2] };
    const o = this.opts;
    const kInit = o.kernelInitializer ?? 'glorotUniform';
    const bInit = o.biasInitializer ?? 'zeros';
    const useBias = o.useBias ?? true;
    for (const p of PROJ) {
      const d = dims[p];
      if (d === null || d === undefined) throw new ShapeError(`${this.label}: the ${p}'s feature dimension must be known`);
      const size = p === 'value' ? this.valueDim : this.keyDim;
      this.w[`${p}/kernel`] = this.addWeight(`${p}/kernel`, [d, this.numHeads, size], kInit);
      if (useBias) this.w[`${p}/bias`] = this.addWeight(`${p}/bias`, [this.numHeads, size], bInit);
    }
    const out = o.outputShape ?? (q[2] as number);
    this.w['attention_output/kernel'] = this.addWeight('attention_output/kernel', [this.numHeads, this.valueDim, out], kInit);
    if (useBias) this.w['attention_output/bias'] = this.addWeight('attention_output/bias', [out], bInit);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const { q, v } = this.shapes(inputShape);
    const out: Shape = [q[0] ?? null, q[1] ?? null, this.opts.outputShape ?? q[2] ?? null];
    return this.returnAttentionScores ? [out, [q[0] ?? null, this.numHeads, q[1] ?? null, v[1] ?? null]] : out;
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask: MaskInput | undefined): Mask | (Mask | null)[] | null {
    const m = firstMask(mask);
    const out = m ? tf.clone(m) : null;
    return this.returnAttentionScores ? [out, null] : out;
  }

  /** `[b, t, d]` → `[b, heads, t, size]` through the named projection. */
  private project(x: tf.Tensor, p: string): tf.Tensor {
    const [b, t, d] = x.shape as [number, number, number];
    const kernel = this.w[`${p}/kernel`]!.read();
    const size = kernel.shape[2]!;
    let y = tf.matMul(tf.reshape(x, [b * t, d]), tf.reshape(kernel, [d, this.numHeads * size]));
    const bias = this.w[`${p}/bias`];
    if (bias) y = tf.add(y, tf.reshape(bias.read(), [this.numHeads * size]));
    return tf.transpose(tf.reshape(y, [b, t, this.numHeads, size]), [0, 2, 1, 3]);
  }

  call(inputs: tf.Tensor | tf.Tensor[], ctx: CallContext): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const [query, value, keyIn, explicit] = list as [tf.Tensor, tf.Tensor, tf.Tensor?, tf.Tensor?];
    const key = keyIn ?? value;
    const [b, tq] = query.shape as [number, number];
    const tv = value.shape[1]!;
    const mask = attentionMask({
      queryMask: maskAt(ctx.mask, 0), valueMask: maskAt(ctx.mask, 1),
      keyMask: keyIn && keyIn !== value ? maskAt(ctx.mask, 2) : null,
      attentionMask: explicit ?? null, causal: this.useCausalMask, tq, tv,
    });
    const q = tf.mul(this.project(query, 'query'), 1 / Math.sqrt(this.keyDim));
    const k = this.project(key, 'key');
    const v = this.project(value, 'value');
    const drop = ctx.training && this.dropout > 0 ? (p: tf.Tensor) => {
      this.dropoutCalls += 1;
      const seed = this.opts.seed === undefined ? undefined : this.opts.seed + this.dropoutCalls;
      const keep = tf.cast(tf.greaterEqual(tf.randomUniform(p.shape, 0, 1, 'float32', seed), this.dropout), 'float32');
      return tf.mul(p, tf.div(keep, 1 - this.dropout));
    } : undefined;
    // Keras takes its fused dot-product path unless the scores are returned or dropout is set.
    const zeroMasked = this.returnAttentionScores || this.dropout > 0;
    const { output, scores } = scaledDotProduct(q, k, v, mask, drop, zeroMasked);
    const merged = tf.reshape(tf.transpose(output, [0, 2, 1, 3]), [b * tq, this.numHeads * this.valueDim]);
    const ok = this.w['attention_output/kernel']!.read();
    const outDim = ok.shape[2]!;
    let y = tf.matMul(merged, tf.reshape(ok, [this.numHeads * this.valueDim, outDim]));
    const ob = this.w['attention_output/bias'];
    if (ob) y = tf.add(y, ob.read());
    const out = tf.reshape(y, [b, tq, outDim]);
    return this.returnAttentionScores ? [out, scores] : out;
  }

  /**
   * Keras keeps the projections in EinsumDense sublayers: `query_dense`, `key_dense`,
   * `value_dense` (kernel, bias) and `output_dense`, beside the weightless `_softmax` and
   * `_dropout_layer`; the layer itself holds no variables.
   */
  override kerasVariables(): KerasVariables {
    const pair = (p: string): KerasVariables => ({ vars: [`${p}/kernel`, `${p}/bias`].flatMap((n) => (this.w[n] ? [this.w[n]] : [])) });
    return {
      vars: [],
      children: [
        ['query_dense', pair('query')], ['key_dense', pair('key')], ['value_dense', pair('value')],
        ['output_dense', pair('attention_output')], ['_softmax', { vars: [] }], ['_dropout_layer', { vars: [] }],
      ],
    };
  }

  override getConfig(): MultiHeadAttentionOptions {
    const o = this.opts;
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: o.useBias ?? true,
      ...(o.outputShape !== undefined ? { outputShape: o.outputShape } : {}),
      useCausalMask: this.useCausalMask,
      returnAttentionScores: this.returnAttentionScores,
      kernelInitializer: serializeInitializer(getInitializer(o.kernelInitializer ?? 'glorotUniform')),
      biasInitializer: serializeInitializer(getInitializer(o.biasInitializer ?? 'zeros')),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
    };
  }
}

/**
 * Multi-head attention.
 * @example
 * ```ts
 * const y = st.layers.multiHeadAttention({ numHeads: 4, keyDim: 16 }).apply([x, x]);
 * ```
 */
export function multiHeadAttention(opts: MultiHeadAttentionOptions): MultiHeadAttention {
  return new MultiHeadAttention(opts);
}
