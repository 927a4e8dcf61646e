import { tf } from '../../backend/tf.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier } from '../../engine/initializers.js';
import type { CallContext } from '../../engine/layer.js';
import { getRegularizer, serializeRegularizer, type RegularizerIdentifier } from '../../engine/regularizers.js';
import type { Shape } from '../../engine/shape.js';
import type { LayerWeight } from '../../engine/weight.js';
import { BaseConv, type BaseConvOptions } from './base_conv.js';
import { checkPositiveInt, fromChannelsLast, toChannelsLast } from './conv_utils.js';

/** Options of {@link separableConv2d}. */
export interface SeparableConv2DOptions extends BaseConvOptions {
  /** Number of output channels (a positive integer). Required. */
  filters: number;
  /** Depthwise output channels per input channel (a positive integer). Default 1. */
  depthMultiplier?: number;
  /** Initializer of the depthwise kernel. Default `'glorotUniform'`. */
  depthwiseInitializer?: InitializerIdentifier;
  /** Initializer of the pointwise (1×1) kernel. Default `'glorotUniform'`. */
  pointwiseInitializer?: InitializerIdentifier;
  /** Penalty on the depthwise kernel added to the loss. Default none. */
  depthwiseRegularizer?: RegularizerIdentifier;
  /** Penalty on the pointwise kernel added to the loss. Default none. */
  pointwiseRegularizer?: RegularizerIdentifier;
}

/**
 * A depthwise separable 2-D convolution: a depthwise convolution (kernel
 * `[kh, kw, inChannels, depthMultiplier]`) followed by a 1×1 pointwise convolution
 * (kernel `[1, 1, inChannels · depthMultiplier, filters]`), then bias and activation.
 */
export class SeparableConv2D extends BaseConv {
  // A getter, not a field: BaseConv's constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'SeparableConv2D';
  }
  /** Number of output channels. */
  readonly filters: number;
  /** Depthwise output channels per input channel. */
  readonly depthMultiplier: number;
  private readonly opts: SeparableConv2DOptions;
  private depthwiseKernel?: LayerWeight;
  private pointwiseKernel?: LayerWeight;

  constructor(opts: SeparableConv2DOptions) {
    super(opts);
    this.opts = opts;
    this.filters = checkPositiveInt(opts.filters, this.label, 'filters');
    this.depthMultiplier = checkPositiveInt(opts.depthMultiplier ?? 1, this.label, 'depthMultiplier');
    for (const k of ['depthwise', 'pointwise'] as const) {
      getInitializer(opts[`${k}Initializer`] ?? 'glorotUniform', this.label, `${k}Initializer`);
      const r = opts[`${k}Regularizer`];
      if (r) getRegularizer(r, this.label, `${k}Regularizer`);
    }
  }

  protected outputChannels(): number {
    return this.filters;
  }

  protected override build(inputShape: Shape): void {
    const o = this.opts;
    this.buildCommon(inputShape, (inC) => {
      this.depthwiseKernel = this.addWeight(
        'depthwise_kernel', [...this.kernelSize, inC, this.depthMultiplier], o.depthwiseInitializer ?? 'glorotUniform',
        { regularizer: o.depthwiseRegularizer ? getRegularizer(o.depthwiseRegularizer) : undefined },
      );
      this.pointwiseKernel = this.addWeight(
        'pointwise_kernel', [1, 1, inC * this.depthMultiplier, this.filters], o.pointwiseInitializer ?? 'glorotUniform',
        { regularizer: o.pointwiseRegularizer ? getRegularizer(o.pointwiseRegularizer) : undefined },
      );
      return this.filters;
    });
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = toChannelsLast((Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D, this.dataFormat);
    const dk = this.depthwiseKernel!.read() as tf.Tensor4D;
    const pk = this.pointwiseKernel!.read() as tf.Tensor4D;
    const depthwise = this.windowed(x, (t, strides, pad) => tf.depthwiseConv2d(t, dk, strides, pad));
    if (!this.fusable) return this.biasActivation(tf.conv2d(depthwise, pk, 1, 'valid'));
    const y = tf.fused.conv2d({
      x: depthwise, filter: pk, strides: 1, pad: 'valid', bias: this.bias?.read(), activation: this.fusedActivation,
    });
    return fromChannelsLast(y, this.dataFormat);
  }

  override getConfig(): SeparableConv2DOptions {
    const o = this.opts;
    const reg = (r: RegularizerIdentifier | undefined) => (r ? serializeRegularizer(getRegularizer(r)) : undefined);
    const dr = reg(o.depthwiseRegularizer);
    const pr = reg(o.pointwiseRegularizer);
    return {
      ...this.baseConvConfig(),
      filters: this.filters,
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: serializeInitializer(getInitializer(o.depthwiseInitializer ?? 'glorotUniform')),
      pointwiseInitializer: serializeInitializer(getInitializer(o.pointwiseInitializer ?? 'glorotUniform')),
      ...(dr ? { depthwiseRegularizer: dr } : {}),
      ...(pr ? { pointwiseRegularizer: pr } : {}),
    };
  }
}

/**
 * A depthwise separable 2-D convolution layer (depthwise, then 1×1 pointwise), as in Xception.
 * @example
 * ```ts
 * st.layers.separableConv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' })
 * ```
 */
export function separableConv2d(opts: SeparableConv2DOptions): SeparableConv2D {
  return new SeparableConv2D(opts);
}
