import { tf } from '../../backend/tf.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier } from '../../engine/initializers.js';
import type { CallContext } from '../../engine/layer.js';
import { getRegularizer, serializeRegularizer, type RegularizerIdentifier } from '../../engine/regularizers.js';
import type { Shape } from '../../engine/shape.js';
import type { LayerWeight } from '../../engine/weight.js';
import { BaseConv, type BaseConvOptions } from './base_conv.js';
import { checkPositiveInt, fromChannelsLast, toChannelsLast } from './conv_utils.js';

/** Options of {@link depthwiseConv2d}. */
export interface DepthwiseConv2DOptions extends BaseConvOptions {
  /** Output channels per input channel (a positive integer). Default 1. */
  depthMultiplier?: number;
  /** Initializer of the depthwise kernel. Default `'glorotUniform'`. */
  depthwiseInitializer?: InitializerIdentifier;
  /** Penalty on the depthwise kernel added to the loss. Default none. */
  depthwiseRegularizer?: RegularizerIdentifier;
}

/**
 * A depthwise 2-D convolution: each input channel is convolved with its own
 * `depthMultiplier` filters, with a kernel of shape `[kh, kw, inChannels, depthMultiplier]`;
 * the output has `inChannels · depthMultiplier` channels.
 */
export class DepthwiseConv2D extends BaseConv {
  // A getter, not a field: BaseConv's constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'DepthwiseConv2D';
  }
  /** Output channels per input channel. */
  readonly depthMultiplier: number;
  private readonly opts: DepthwiseConv2DOptions;
  private depthwiseKernel?: LayerWeight;

  constructor(opts: DepthwiseConv2DOptions) {
    super(opts);
    this.opts = opts;
    this.depthMultiplier = checkPositiveInt(opts.depthMultiplier ?? 1, this.label, 'depthMultiplier');
    getInitializer(opts.depthwiseInitializer ?? 'glorotUniform', this.label, 'depthwiseInitializer');
    if (opts.depthwiseRegularizer) getRegularizer(opts.depthwiseRegularizer, this.label, 'depthwiseRegularizer');
  }

  protected outputChannels(inChannels: number | null): number | null {
    return inChannels === null ? null : inChannels * this.depthMultiplier;
  }

  protected override build(inputShape: Shape): void {
    const o = this.opts;
    this.buildCommon(inputShape, (inC) => {
      this.depthwiseKernel = this.addWeight(
        'depthwise_kernel', [...this.kernelSize, inC, this.depthMultiplier], o.depthwiseInitializer ?? 'glorotUniform',
        { regularizer: o.depthwiseRegularizer ? getRegularizer(o.depthwiseRegularizer) : undefined },
      );
      return inC * this.depthMultiplier;
    });
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = toChannelsLast((Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D, this.dataFormat);
    const k = this.depthwiseKernel!.read() as tf.Tensor4D;
    if (this.fusable) {
      return fromChannelsLast(this.windowed(x, (t, strides, pad) => tf.fused.depthwiseConv2d({
        x: t, filter: k, strides, pad, bias: this.bias?.read(), activation: this.fusedActivation,
      })), this.dataFormat);
    }
    return this.biasActivation(this.windowed(x, (t, strides, pad) => tf.depthwiseConv2d(t, k, strides, pad)));
  }

  override getConfig(): DepthwiseConv2DOptions {
    const o = this.opts;
    return {
      ...this.baseConvConfig(),
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: serializeInitializer(getInitializer(o.depthwiseInitializer ?? 'glorotUniform')),
      ...(o.depthwiseRegularizer
        ? { depthwiseRegularizer: serializeRegularizer(getRegularizer(o.depthwiseRegularizer)) } : {}),
    };
  }
}

/**
 * A depthwise 2-D convolution layer (one set of filters per input channel), as in MobileNet.
 * @example
 * ```ts
 * st.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 1, padding: 'same' })
 * ```
 */
export function depthwiseConv2d(opts: DepthwiseConv2DOptions): DepthwiseConv2D {
  return new DepthwiseConv2D(opts);
}
