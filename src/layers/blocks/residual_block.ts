import { tf } from '../../backend/tf.js';
import { ShapeError, fmtShape } from '../../engine/errors.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../../engine/initializers.js';
import { canonicalActivation, getActivation, type ActivationName } from '../../engine/activations.js';
import type { CallContext, LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { Conv2D } from '../conv/conv2d.js';
import { checkPositiveInt, normalizePair, type IntOrPair } from '../conv/conv_utils.js';
import { BatchNormalization } from '../norm/batch_normalization.js';
import { CompositeLayer } from './composite.js';

/** Options of {@link residualBlock}. */
export interface ResidualBlockOptions extends LayerOptions {
  /** Channels of the inner convolutions; the output has `filters` channels, or `4 · filters` with `bottleneck`. Required. */
  filters: number;
  /** Window of the main (non-1×1) convolutions, `k` or `[height, width]`. Default 3. */
  kernelSize?: IntOrPair;
  /** Stride of the first convolution and of the shortcut projection. Default 1. */
  strides?: IntOrPair;
  /** ResNet-50 style 1×1 → k×k → 1×1 (`4 · filters` out) instead of two k×k convolutions. Default false. */
  bottleneck?: boolean;
  /** Activation after each inner normalization and after the addition. Default `'relu'`. */
  activation?: ActivationName;
  /** Whether each convolution is followed by batch normalization (the convolutions then have no bias). Default true. */
  useBatchNorm?: boolean;
  /**
   * Initializer of every convolution kernel in the block (the shortcut projection's too).
   * One instance serves them all, so a seeded one makes the block reproducible.
   * Default `'glorotUniform'`.
   */
  kernelInitializer?: InitializerIdentifier;
}

type Stage = { conv: Conv2D; bn?: BatchNormalization };

/**
 * A ResNet block for channels-last images: conv-BN-act-conv-BN (or the 1×1-k×k-1×1
 * bottleneck) added to the shortcut, then the activation. The shortcut is the input
 * itself, or a strided 1×1 projection (+BN) when the stride or channel count changes.
 * All convolutions use 'same' padding, so the output is `ceil(size / strides)` in space.
 */
export class ResidualBlock extends CompositeLayer {
  readonly className = 'ResidualBlock';
  /** Channels of the inner convolutions (the output has `4 · filters` with `bottleneck`). */
  readonly filters: number;
  /** Window `[height, width]` of the main convolutions. */
  readonly kernelSize: [number, number];
  /** Stride `[height, width]` of the first convolution and of the shortcut projection. */
  readonly strides: [number, number];
  /** Whether the block is the 1×1 → k×k → 1×1 bottleneck form. */
  readonly bottleneck: boolean;
  /** Canonical name of the activation after each normalization and after the addition. */
  readonly activation: string;
  /** Whether each convolution is followed by batch normalization. */
  readonly useBatchNorm: boolean;
  /** Initializer shared by every convolution kernel of the block. */
  readonly kernelInitializer: Initializer;
  private readonly stages: Stage[] = [];
  private shortcut?: Stage;

  constructor(opts: ResidualBlockOptions) {
    super(opts);
    this.filters = checkPositiveInt(opts?.filters, this.label, 'filters');
    this.kernelSize = normalizePair(opts.kernelSize, 3, this.label, 'kernelSize');
    this.strides = normalizePair(opts.strides, 1, this.label, 'strides');
    const act = opts.activation ?? 'relu';
    getActivation(act, this.label);
    this.activation = canonicalActivation(act)!;
    this.bottleneck = opts.bottleneck ?? false;
    this.useBatchNorm = opts.useBatchNorm ?? true;
    this.kernelInitializer = getInitializer(opts.kernelInitializer ?? 'glorotUniform', this.label, 'kernelInitializer');
    this.inputSpec = { ndim: 4 };

    const f = this.filters;
    const specs: { filters: number; kernelSize: [number, number]; strides: [number, number] }[] = this.bottleneck
      ? [
        { filters: f, kernelSize: [1, 1], strides: this.strides },
        { filters: f, kernelSize: this.kernelSize, strides: [1, 1] },
        { filters: 4 * f, kernelSize: [1, 1], strides: [1, 1] },
      ]
      : [
        { filters: f, kernelSize: this.kernelSize, strides: this.strides },
        { filters: f, kernelSize: this.kernelSize, strides: [1, 1] },
      ];
    specs.forEach((s, i) => this.stages.push(this.makeStage(`${i + 1}`, s.filters, s.kernelSize, s.strides)));
  }

  /** Output channels: `filters`, or `4 · filters` for a bottleneck block. */
  get outputChannels(): number {
    return this.bottleneck ? 4 * this.filters : this.filters;
  }

  private makeStage(suffix: string, filters: number, kernelSize: [number, number], strides: [number, number]): Stage {
    const conv = this.own(`conv${suffix}`, new Conv2D({ filters, kernelSize, strides, padding: 'same', useBias: !this.useBatchNorm, kernelInitializer: this.kernelInitializer }));
    const bn = this.useBatchNorm ? this.own(`bn${suffix}`, new BatchNormalization()) : undefined;
    return { conv, bn };
  }

  protected override build(inputShape: Shape): void {
    const inC = inputShape[3];
    if (inC === null || inC === undefined) {
      throw new ShapeError(`${this.label}: the channel dimension must be known; got input shape ${fmtShape(inputShape)}`);
    }
    this.dropChildren(['conv_shortcut', 'bn_shortcut']);
    this.shortcut = undefined;
    const strided = this.strides[0] !== 1 || this.strides[1] !== 1;
    if (strided || inC !== this.outputChannels) {
      this.shortcut = this.makeStage('_shortcut', this.outputChannels, [1, 1], this.strides);
    }
    let s = inputShape;
    for (const st of this.stages) s = buildStage(st, s);
    if (this.shortcut) buildStage(this.shortcut, inputShape);
    this.inputSpec = { ndim: 4, axes: { 3: inC } };
  }

  call(inputs: tf.Tensor | tf.Tensor[], ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const act = getActivation(this.activation);
    let y = x;
    this.stages.forEach((st, i) => {
      y = runStage(st, y, ctx);
      if (i < this.stages.length - 1) y = act(y);
    });
    const s = this.shortcut ? runStage(this.shortcut, x, ctx) : x;
    return act(tf.add(y, s));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    let s = inputShape;
    for (const st of this.stages) s = st.conv.computeOutputShape(s);
    return s;
  }

  override getConfig(): ResidualBlockOptions {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      bottleneck: this.bottleneck,
      activation: this.activation as ActivationName,
      useBatchNorm: this.useBatchNorm,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
    };
  }
}

/** Builds a conv (+BN) stage for `shape` and returns its output shape. */
function buildStage(st: Stage, shape: Shape): Shape {
  st.conv.ensureBuilt(shape);
  const out = st.conv.computeOutputShape(shape);
  st.bn?.ensureBuilt(out);
  return out;
}

function runStage(st: Stage, x: tf.Tensor, ctx: CallContext): tf.Tensor {
  const y = st.conv.apply(x, ctx) as tf.Tensor;
  return st.bn ? (st.bn.apply(y, ctx) as tf.Tensor) : y;
}

/**
 * A ResNet residual block.
 * @example
 * ```ts
 * st.layers.residualBlock({ filters: 64, strides: 2 })               // basic block, downsampling
 * st.layers.residualBlock({ filters: 64, bottleneck: true })         // 256 channels out
 * ```
 */
export function residualBlock(opts: ResidualBlockOptions): ResidualBlock {
  return new ResidualBlock(opts);
}
