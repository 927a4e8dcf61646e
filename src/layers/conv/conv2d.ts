import { fusedConv2d } from '../../backend/fused.js';
import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier } from '../../engine/initializers.js';
import type { CallContext } from '../../engine/layer.js';
import { getRegularizer, serializeRegularizer, type RegularizerIdentifier } from '../../engine/regularizers.js';
import type { Shape } from '../../engine/shape.js';
import type { LayerWeight } from '../../engine/weight.js';
import { BaseConv, type BaseConvOptions } from './base_conv.js';
import { checkPositiveInt, fromChannelsLast, toChannelsLast } from './conv_utils.js';

/** Options of {@link conv2d}. */
export interface Conv2DOptions extends BaseConvOptions {
  /** Number of output channels (a positive integer). Required. */
  filters: number;
  /** Kernel initializer. Default `'glorotUniform'`. */
  kernelInitializer?: InitializerIdentifier;
  /** Penalty on the kernel added to the loss. Default none. */
  kernelRegularizer?: RegularizerIdentifier;
  /**
   * Number of channel groups, each convolved separately (grouped convolution): input
   * channels and `filters` must both divide by it. The kernel is then
   * `[kernelHeight, kernelWidth, inChannels / groups, filters]`, as in Keras. Default 1.
   */
  groups?: number;
}

/**
 * A 2-D convolution: `activation(conv(x, kernel) + bias)`, with a kernel of shape
 * `[kernelHeight, kernelWidth, inChannels, filters]`.
 */
export class Conv2D extends BaseConv {
  // A getter, not a field: BaseConv's constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'Conv2D';
  }
  /** Number of output channels. */
  readonly filters: number;
  /** Number of channel groups. */
  readonly groups: number;
  private readonly opts: Conv2DOptions;
  private kernel?: LayerWeight;

  constructor(opts: Conv2DOptions) {
    super(opts);
    this.opts = opts;
    this.filters = checkPositiveInt(opts.filters, this.label, 'filters');
    this.groups = checkPositiveInt(opts.groups ?? 1, this.label, 'groups');
    if (this.filters % this.groups !== 0) {
      throw new ValueError(`${this.label}: 'filters' (${this.filters}) must be divisible by 'groups' (${this.groups})`);
    }
    getInitializer(opts.kernelInitializer ?? 'glorotUniform', this.label, 'kernelInitializer');
    if (opts.kernelRegularizer) getRegularizer(opts.kernelRegularizer, this.label, 'kernelRegularizer');
  }

  protected outputChannels(): number {
    return this.filters;
  }

  protected override build(inputShape: Shape): void {
    const o = this.opts;
    this.buildCommon(inputShape, (inC) => {
      if (inC % this.groups !== 0) {
        throw new ShapeError(`${this.label}: input channels (${inC}) must be divisible by 'groups' (${this.groups}); got input shape ${fmtShape(inputShape)}`);
      }
      this.kernel = this.addWeight('kernel', [...this.kernelSize, inC / this.groups, this.filters], o.kernelInitializer ?? 'glorotUniform', {
        regularizer: o.kernelRegularizer ? getRegularizer(o.kernelRegularizer) : undefined,
      });
      return this.filters;
    });
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = toChannelsLast((Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D, this.dataFormat);
    const k = this.kernel!.read() as tf.Tensor4D;
    if (this.groups > 1) {
      // tfjs-core has no grouped convolution: one convolution per group, outputs concatenated.
      const xs = tf.split(x, this.groups, 3) as tf.Tensor4D[];
      const ks = tf.split(k, this.groups, 3) as tf.Tensor4D[];
      return this.biasActivation(tf.concat(xs.map((xg, g) => this.windowed(xg, (t, strides, pad) => tf.conv2d(t, ks[g]!, strides, pad))), 3) as tf.Tensor4D);
    }
    if (this.fusable) {
      return fromChannelsLast(this.windowed(x, (t, strides, pad) => fusedConv2d({
        x: t, filter: k, strides, pad, bias: this.bias?.read(), activation: this.fusedActivation,
      })), this.dataFormat);
    }
    return this.biasActivation(this.windowed(x, (t, strides, pad) => tf.conv2d(t, k, strides, pad)));
  }

  override getConfig(): Conv2DOptions {
    const o = this.opts;
    return {
      ...this.baseConvConfig(),
      filters: this.filters,
      ...(this.groups !== 1 ? { groups: this.groups } : {}),
      kernelInitializer: serializeInitializer(getInitializer(o.kernelInitializer ?? 'glorotUniform')),
      ...(o.kernelRegularizer ? { kernelRegularizer: serializeRegularizer(getRegularizer(o.kernelRegularizer)) } : {}),
    };
  }
}

/**
 * A 2-D convolution layer.
 * @example
 * ```ts
 * st.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' })
 * ```
 */
export function conv2d(opts: Conv2DOptions): Conv2D {
  return new Conv2D(opts);
}
