import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier } from '../../engine/initializers.js';
import type { CallContext } from '../../engine/layer.js';
import { getRegularizer, serializeRegularizer, type RegularizerIdentifier } from '../../engine/regularizers.js';
import type { Shape } from '../../engine/shape.js';
import type { LayerWeight } from '../../engine/weight.js';
import { atrousTranspose, type SpatialPads } from './atrous.js';
import { BaseConv, type BaseConvOptions } from './base_conv.js';
import {
  checkPositiveInt, deconvOutputLength, dilatedSize, normalizePair, samePadding, toChannelsLast, type IntOrPair,
} from './conv_utils.js';

/** Options of {@link conv2dTranspose}. */
export interface Conv2DTransposeOptions extends BaseConvOptions {
  /** Number of output channels (a positive integer). Required. */
  filters: number;
  /** Kernel initializer. Default `'glorotUniform'`. */
  kernelInitializer?: InitializerIdentifier;
  /** Penalty on the kernel added to the loss. Default none. */
  kernelRegularizer?: RegularizerIdentifier;
  /**
   * Extra rows and columns added to one side of the output, `p` or `[height, width]`, each
   * below the stride along its axis; it picks among the output sizes that map back to the
   * input size. Output length: `(in − 1) · stride + kernel − 2 · pad + outputPadding`, with
   * `pad = floor(kernel / 2)` for `'same'` and 0 for `'valid'`. Default: none (the formula
   * in the class description).
   */
  outputPadding?: IntOrPair;
}

/**
 * A transposed 2-D convolution (sometimes called deconvolution): the gradient of a
 * convolution with respect to its input, used to upsample. Its kernel has shape
 * `[kernelHeight, kernelWidth, filters, inChannels]`; with `'same'` padding the output is
 * `stride` times larger, with `'valid'` it is `in · stride + max(kernel − stride, 0)`.
 */
export class Conv2DTranspose extends BaseConv {
  // A getter, not a field: BaseConv's constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'Conv2DTranspose';
  }
  /** Number of output channels. */
  readonly filters: number;
  /** Extra output rows and columns `[height, width]`; undefined when not set. */
  readonly outputPadding?: [number, number];
  private readonly opts: Conv2DTransposeOptions;
  private kernel?: LayerWeight;

  constructor(opts: Conv2DTransposeOptions) {
    super(opts);
    this.opts = opts;
    this.filters = checkPositiveInt(opts.filters, this.label, 'filters');
    if (opts.outputPadding !== undefined && opts.outputPadding !== null) {
      const p = normalizePair(opts.outputPadding, 0, this.label, 'outputPadding', 0);
      if (p.some((v, i) => v >= this.strides[i]!)) {
        throw new ValueError(`${this.label}: 'outputPadding' must be smaller than 'strides' along each axis; got outputPadding ${JSON.stringify(p)} and strides ${JSON.stringify(this.strides)}`);
      }
      this.outputPadding = p;
    }
    getInitializer(opts.kernelInitializer ?? 'glorotUniform', this.label, 'kernelInitializer');
    if (opts.kernelRegularizer) getRegularizer(opts.kernelRegularizer, this.label, 'kernelRegularizer');
  }

  protected outputChannels(): number {
    return this.filters;
  }

  protected override outputSpatial(h: number | null, w: number | null): [number | null, number | null] {
    const op = this.outputPadding;
    if (op) {
      const len = (n: number | null, i: 0 | 1) => {
        if (n === null) return null;
        const k = dilatedSize(this.kernelSize[i], this.dilationRate[i]);
        const pad = this.padding === 'same' ? Math.floor(k / 2) : 0;
        return (n - 1) * this.strides[i] + k - 2 * pad + op[i];
      };
      return [len(h, 0), len(w, 1)];
    }
    return [
      deconvOutputLength(h, this.kernelSize[0], this.padding, this.strides[0], this.dilationRate[0]),
      deconvOutputLength(w, this.kernelSize[1], this.padding, this.strides[1], this.dilationRate[1]),
    ];
  }

  protected override build(inputShape: Shape): void {
    const o = this.opts;
    this.buildCommon(inputShape, (inC) => {
      this.kernel = this.addWeight('kernel', [...this.kernelSize, this.filters, inC], o.kernelInitializer ?? 'glorotUniform', {
        regularizer: o.kernelRegularizer ? getRegularizer(o.kernelRegularizer) : undefined,
      });
      return this.filters;
    });
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = toChannelsLast((Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D, this.dataFormat);
    const k = this.kernel!.read() as tf.Tensor4D;
    const [n, h, w] = x.shape;
    const [oh, ow] = this.outputSpatial(h, w) as [number, number];
    const [dh, dw] = this.dilationRate;
    let y: tf.Tensor4D;
    if (this.outputPadding && dh === 1 && dw === 1) {
      y = this.paddedTranspose(x, k, oh, ow);
    } else if (dh === 1 && dw === 1) {
      y = tf.conv2dTranspose(x, k, [n, oh, ow, this.filters], this.strides, this.padding);
    } else {
      // Strides are 1 here; pads are those of the forward convolution from the output size.
      const pads: SpatialPads = this.padding === 'same'
        ? [samePadding(oh, dilatedSize(this.kernelSize[0], dh), 1), samePadding(ow, dilatedSize(this.kernelSize[1], dw), 1)]
        : [[0, 0], [0, 0]];
      const [kh, kw] = this.kernelSize;
      y = atrousTranspose(x, this.dilationRate, pads, (p) =>
        tf.conv2dTranspose(p, k, [p.shape[0], p.shape[1] + kh - 1, p.shape[2] + kw - 1, this.filters], 1, 'valid'));
    }
    return this.biasActivation(y);
  }

  /**
   * The transposed convolution with output padding: the full ('valid', uncropped) result,
   * then the window Keras' padding arithmetic selects, zero-filled where it runs past the end.
   */
  private paddedTranspose(x: tf.Tensor4D, k: tf.Tensor4D, oh: number, ow: number): tf.Tensor4D {
    const [n, h, w] = x.shape;
    const [kh, kw] = this.kernelSize;
    const [sh, sw] = this.strides;
    const fullH = (h - 1) * sh + kh;
    const fullW = (w - 1) * sw + kw;
    const full = tf.conv2dTranspose(x, k, [n, fullH, fullW, this.filters], this.strides, 'valid');
    // Keras (via JAX) pads the stride-dilated input by `before` on the leading side; the full
    // result carries `k − 1`, so the output starts `k − 1 − before` rows in.
    const skip = (kSize: number, i: 0 | 1) => {
      if (this.padding === 'valid') return 0;
      const padLen = kSize + (kSize % 2) - 2 + this.outputPadding![i];
      const before = Math.min(Math.floor(padLen / 2) + (padLen % 2), kSize - 1);
      return kSize - 1 - before;
    };
    const top = skip(kh, 0);
    const left = skip(kw, 1);
    const takeH = Math.min(oh, fullH - top);
    const takeW = Math.min(ow, fullW - left);
    const cut = tf.slice(full, [0, top, left, 0], [-1, takeH, takeW, -1]);
    if (takeH === oh && takeW === ow) return cut;
    return tf.pad(cut, [[0, 0], [0, oh - takeH], [0, ow - takeW], [0, 0]]);
  }

  override getConfig(): Conv2DTransposeOptions {
    const o = this.opts;
    return {
      ...this.baseConvConfig(),
      filters: this.filters,
      ...(this.outputPadding ? { outputPadding: [...this.outputPadding] as [number, number] } : {}),
      kernelInitializer: serializeInitializer(getInitializer(o.kernelInitializer ?? 'glorotUniform')),
      ...(o.kernelRegularizer ? { kernelRegularizer: serializeRegularizer(getRegularizer(o.kernelRegularizer)) } : {}),
    };
  }
}

/**
 * A transposed 2-D convolution layer, for learned upsampling (decoders, GAN generators).
 * @example
 * ```ts
 * st.layers.conv2dTranspose({ filters: 32, kernelSize: 4, strides: 2, padding: 'same' })
 * ```
 */
export function conv2dTranspose(opts: Conv2DTransposeOptions): Conv2DTranspose {
  return new Conv2DTranspose(opts);
}
