import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import { canonicalActivation, getActivation, type ActivationName } from '../../engine/activations.js';
import type { CallContext, LayerOptions } from '../../engine/layer.js';
import { firstMask, type Mask, type MaskInput } from '../../engine/mask.js';
import type { Shape } from '../../engine/shape.js';
import { MultiHeadAttention } from '../attention/multi_head_attention.js';
import { checkPositiveInt } from '../conv/conv_utils.js';
import { Dense } from '../core/dense.js';
import { Dropout } from '../core/dropout.js';
import { LayerNormalization } from '../norm/layer_normalization.js';
import { CompositeLayer } from './composite.js';

/** Options of {@link transformerEncoderBlock}. */
export interface TransformerEncoderOptions extends LayerOptions {
  /** Width of the feed-forward hidden layer. Required. */
  intermediateDim: number;
  /** Number of attention heads; must divide the input's feature size. Required. */
  numHeads: number;
  /** Dropout after attention and after the feed-forward network (and on attention probabilities), in [0, 1). Default 0. */
  dropout?: number;
  /** Activation of the feed-forward hidden layer. Default `'relu'`. */
  activation?: ActivationName;
  /** Epsilon of the layer norms. Default 1e-5 (keras-hub). */
  layerNormEpsilon?: number;
  /** Normalize before each sub-block (pre-LN) rather than after the residual (post-LN). Default false. */
  normalizeFirst?: boolean;
}

/**
 * A transformer encoder block (as keras-hub's `TransformerEncoder`): self-attention with
 * `keyDim = features / numHeads`, dropout, residual, layer norm; then a two-layer
 * feed-forward network, dropout, residual, layer norm. Padding masks reach the attention
 * (padded keys get no weight) and pass through. Children: `self_attention`,
 * `self_attention_layer_norm`, `feedforward_intermediate_dense`, `feedforward_output_dense`,
 * `feedforward_layer_norm`.
 */
export class TransformerEncoder extends CompositeLayer {
  readonly className = 'TransformerEncoder';
  override supportsMasking = true;
  /** Feed-forward width. */
  readonly intermediateDim: number;
  /** Attention heads. */
  readonly numHeads: number;
  /** Dropout rate. */
  readonly dropout: number;
  /** Feed-forward activation. */
  readonly activation: string;
  /** Layer-norm epsilon. */
  readonly layerNormEpsilon: number;
  /** Pre-LN (true) or post-LN (false). */
  readonly normalizeFirst: boolean;
  private parts?: {
    attention: MultiHeadAttention; attentionNorm: LayerNormalization; attentionDropout: Dropout;
    inner: Dense; outer: Dense; ffNorm: LayerNormalization; ffDropout: Dropout;
  };

  constructor(opts: TransformerEncoderOptions) {
    super(opts);
    this.intermediateDim = checkPositiveInt(opts?.intermediateDim, this.label, 'intermediateDim');
    this.numHeads = checkPositiveInt(opts.numHeads, this.label, 'numHeads');
    const d = opts.dropout ?? 0;
    if (typeof d !== 'number' || !(d >= 0 && d < 1)) throw new ValueError(`${this.label}: 'dropout' must be a number in [0, 1); got ${String(opts.dropout)}`);
    this.dropout = d;
    const act = opts.activation ?? 'relu';
    getActivation(act, this.label);
    this.activation = canonicalActivation(act)!;
    this.layerNormEpsilon = opts.layerNormEpsilon ?? 1e-5;
    this.normalizeFirst = opts.normalizeFirst ?? false;
    this.inputSpec = { ndim: 3 };
  }

  protected override build(inputShape: Shape): void {
    const dim = inputShape[2];
    if (dim === null || dim === undefined) throw new ShapeError(`${this.label}: the feature dimension must be known; got ${fmtShape(inputShape)}`);
    if (dim % this.numHeads !== 0) throw new ShapeError(`${this.label}: 'numHeads' ${this.numHeads} must divide the feature size ${dim}`);
    const eps = this.layerNormEpsilon;
    this.parts = {
      attention: this.own('self_attention', new MultiHeadAttention({ numHeads: this.numHeads, keyDim: dim / this.numHeads, dropout: this.dropout })),
      attentionNorm: this.own('self_attention_layer_norm', new LayerNormalization({ epsilon: eps })),
      attentionDropout: this.own('self_attention_dropout', new Dropout({ rate: this.dropout })),
      inner: this.own('feedforward_intermediate_dense', new Dense({ units: this.intermediateDim, activation: this.activation as ActivationName })),
      outer: this.own('feedforward_output_dense', new Dense({ units: dim })),
      ffNorm: this.own('feedforward_layer_norm', new LayerNormalization({ epsilon: eps })),
      ffDropout: this.own('feedforward_dropout', new Dropout({ rate: this.dropout })),
    };
    const s3: Shape = [null, inputShape[1] ?? null, dim];
    this.parts.attention.ensureBuilt([s3, s3]);
    this.parts.attentionNorm.ensureBuilt(s3);
    this.parts.inner.ensureBuilt(s3);
    this.parts.outer.ensureBuilt([null, inputShape[1] ?? null, this.intermediateDim]);
    this.parts.ffNorm.ensureBuilt(s3);
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask: MaskInput | undefined): Mask | null {
    const m = firstMask(mask);
    return m ? tf.clone(m) : null;
  }

  call(inputs: tf.Tensor | tf.Tensor[], ctx: CallContext): tf.Tensor {
    const p = this.parts!;
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const mask = firstMask(ctx.mask);
    const sub = { training: ctx.training };
    let h = this.normalizeFirst ? p.attentionNorm.apply(x, sub) as tf.Tensor : x;
    h = p.attention.apply([h, h], { ...sub, mask: mask ? [mask, mask] : null }) as tf.Tensor;
    h = tf.add(p.attentionDropout.apply(h, sub) as tf.Tensor, x);
    if (!this.normalizeFirst) h = p.attentionNorm.apply(h, sub) as tf.Tensor;
    const r = h;
    let f = this.normalizeFirst ? p.ffNorm.apply(h, sub) as tf.Tensor : h;
    f = p.outer.apply(p.inner.apply(f, sub) as tf.Tensor, sub) as tf.Tensor;
    f = tf.add(p.ffDropout.apply(f, sub) as tf.Tensor, r);
    return this.normalizeFirst ? f : p.ffNorm.apply(f, sub) as tf.Tensor;
  }

  override getConfig(): TransformerEncoderOptions {
    return {
      ...super.getConfig(),
      intermediateDim: this.intermediateDim,
      numHeads: this.numHeads,
      dropout: this.dropout,
      activation: this.activation as ActivationName,
      layerNormEpsilon: this.layerNormEpsilon,
      normalizeFirst: this.normalizeFirst,
    };
  }
}

/**
 * A transformer encoder block.
 * @example
 * ```ts
 * st.layers.transformerEncoderBlock({ intermediateDim: 128, numHeads: 4, dropout: 0.1 })
 * ```
 */
export function transformerEncoderBlock(opts: TransformerEncoderOptions): TransformerEncoder {
  return new TransformerEncoder(opts);
}
