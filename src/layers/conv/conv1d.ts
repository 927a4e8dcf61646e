import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import { canonicalActivation, getActivation, type ActivationName } from '../../engine/activations.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier } from '../../engine/initializers.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import type { LayerWeight } from '../../engine/weight.js';
import { atrous } from './atrous.js';
import { checkPositiveInt, convOutputLength, dilatedSize, samePadding } from './conv_utils.js';

/** Options of {@link conv1d}. */
export interface Conv1DOptions extends LayerOptions {
  /** Number of output channels. Required. */
  filters: number;
  /** Window length (a positive integer, or `[k]`). Required. */
  kernelSize: number | [number];
  /** Window step. Default 1. */
  strides?: number | [number];
  /** `'valid'`, `'same'`, or `'causal'` (pad only the past, so step t sees steps ≤ t). Default `'valid'`. */
  padding?: 'valid' | 'same' | 'causal';
  /** Spacing between kernel taps; above 1 needs strides 1. Default 1. */
  dilationRate?: number | [number];
  /** Activation applied to the output. Default `'linear'`. */
  activation?: ActivationName;
  /** Whether to add a bias per output channel. Default true. */
  useBias?: boolean;
  /** Kernel initializer. Default `'glorotUniform'`. */
  kernelInitializer?: InitializerIdentifier;
  /** Bias initializer. Default `'zeros'`. */
  biasInitializer?: InitializerIdentifier;
}

const one = (v: number | [number] | undefined, label: string, arg: string, fallback: number): number =>
  checkPositiveInt(Array.isArray(v) ? v[0] : (v ?? fallback), label, arg);

/**
 * A 1-D convolution over `[batch, time, channels]` (Keras `Conv1D`, kernel
 * `[kernelSize, inChannels, filters]`), with `'causal'` padding and dilation for
 * WaveNet-style temporal models.
 */
export class Conv1D extends Layer {
  readonly className = 'Conv1D';
  /** Number of output channels. */
  readonly filters: number;
  /** Window length. */
  readonly kernelSize: number;
  /** Window step. */
  readonly strides: number;
  /** Border handling. */
  readonly padding: 'valid' | 'same' | 'causal';
  /** Tap spacing. */
  readonly dilationRate: number;
  /** Canonical activation name. */
  readonly activation: string;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  private readonly opts: Conv1DOptions;
  private kernel?: LayerWeight;
  private bias?: LayerWeight;

  constructor(opts: Conv1DOptions) {
    super(opts);
    this.opts = opts;
    this.filters = checkPositiveInt(opts?.filters, this.label, 'filters');
    this.kernelSize = one(opts.kernelSize, this.label, 'kernelSize', NaN);
    this.strides = one(opts.strides, this.label, 'strides', 1);
    this.dilationRate = one(opts.dilationRate, this.label, 'dilationRate', 1);
    if (this.strides > 1 && this.dilationRate > 1) {
      throw new ValueError(`${this.label}: 'strides' > 1 and 'dilationRate' > 1 cannot be combined; got strides ${this.strides}, dilationRate ${this.dilationRate}`);
    }
    const p = opts.padding ?? 'valid';
    if (!['valid', 'same', 'causal'].includes(p)) throw new ValueError(`${this.label}: 'padding' must be 'valid', 'same' or 'causal'; got '${String(p)}'`);
    this.padding = p;
    const act = opts.activation ?? 'linear';
    getActivation(act, this.label);
    this.activation = canonicalActivation(act)!;
    this.useBias = opts.useBias ?? true;
    getInitializer(opts.kernelInitializer ?? 'glorotUniform', this.label, 'kernelInitializer');
    getInitializer(opts.biasInitializer ?? 'zeros', this.label, 'biasInitializer');
    this.inputSpec = { ndim: 3 };
  }

  protected override build(inputShape: Shape): void {
    const c = inputShape[2];
    if (c === null || c === undefined) throw new ValueError(`${this.label}: the channel dimension must be known; got ${fmtShape(inputShape)}`);
    this.computeOutputShape(inputShape);
    this.kernel = this.addWeight('kernel', [this.kernelSize, c, this.filters], this.opts.kernelInitializer ?? 'glorotUniform');
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.opts.biasInitializer ?? 'zeros');
    this.inputSpec = { ndim: 3, axes: { [-1]: c } };
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const pad = this.padding === 'causal' ? 'same' : this.padding;
    const t = convOutputLength(inputShape[1] ?? null, this.kernelSize, pad, this.strides, this.dilationRate);
    if (t !== null && t <= 0) {
      throw new ShapeError(`${this.label}: input of ${inputShape[1]} steps is shorter than the ${dilatedSize(this.kernelSize, this.dilationRate)}-step (dilated) kernel; input shape ${fmtShape(inputShape)}`);
    }
    return [inputShape[0] ?? null, t, this.filters];
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor3D;
    const kd = dilatedSize(this.kernelSize, this.dilationRate);
    const t = x.shape[1];
    // Padding of the time axis, then every conv runs 'valid' on [batch, 1, time, channels].
    const pads: [number, number] = this.padding === 'causal' ? [kd - 1, 0]
      : this.padding === 'same' ? samePadding(t, kd, this.strides) : [0, 0];
    const x4 = tf.expandDims(x, 1) as tf.Tensor4D;
    const k4 = tf.expandDims(this.kernel!.read(), 0) as tf.Tensor4D;
    let y: tf.Tensor4D;
    if (this.dilationRate > 1) {
      y = atrous(x4, [1, this.dilationRate], [[0, 0], pads], (p) => tf.conv2d(p, k4, 1, 'valid'));
    } else {
      const padded = pads[0] || pads[1] ? tf.pad(x4, [[0, 0], [0, 0], pads, [0, 0]]) : x4;
      y = tf.conv2d(padded, k4, [1, this.strides], 'valid');
    }
    let z: tf.Tensor = tf.squeeze(y, [1]);
    if (this.bias) z = tf.add(z, this.bias.read());
    return getActivation(this.activation)(z);
  }

  override getConfig(): Conv1DOptions {
    const o = this.opts;
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [this.kernelSize],
      strides: [this.strides],
      padding: this.padding,
      dilationRate: [this.dilationRate],
      activation: this.activation as ActivationName,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(getInitializer(o.kernelInitializer ?? 'glorotUniform')),
      biasInitializer: serializeInitializer(getInitializer(o.biasInitializer ?? 'zeros')),
    };
  }
}

/**
 * A 1-D convolution.
 * @example
 * ```ts
 * st.layers.conv1d({ filters: 32, kernelSize: 3, padding: 'causal', dilationRate: 2 })
 * ```
 */
export function conv1d(opts: Conv1DOptions): Conv1D {
  return new Conv1D(opts);
}
