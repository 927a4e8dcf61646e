import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { canonicalActivation, getActivation, type ActivationName } from '../../engine/activations.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier } from '../../engine/initializers.js';
import { Layer, type LayerOptions } from '../../engine/layer.js';
import { getRegularizer, serializeRegularizer, type RegularizerIdentifier } from '../../engine/regularizers.js';
import type { Shape } from '../../engine/shape.js';
import type { LayerWeight } from '../../engine/weight.js';
import { atrous, type SpatialPads } from './atrous.js';
import {
  FUSABLE_ACTIVATIONS, checkDataFormat, checkOutputSize, checkPadding, checkStridesDilation, convOutputLength, dilatedSize,
  fromChannelsLast, imageAxes, knownChannels, makeImageShape, normalizePair, samePadding,
  type DataFormat, type IntOrPair, type PaddingMode,
} from './conv_utils.js';

/** Options shared by the 2-D convolution layers. */
export interface BaseConvOptions extends LayerOptions {
  /** Window size, `k` or `[height, width]` (positive integers). Required. */
  kernelSize: IntOrPair;
  /** Step of the window, `s` or `[height, width]`. Default 1. */
  strides?: IntOrPair;
  /** `'valid'` (no padding) or `'same'` (output size `ceil(in / stride)`). Default `'valid'`. */
  padding?: PaddingMode;
  /** `'channelsLast'` (NHWC) or `'channelsFirst'` (NCHW). Default `'channelsLast'`. */
  dataFormat?: DataFormat;
  /** Spacing between kernel taps, `d` or `[height, width]`; above 1 needs strides 1. Default 1. */
  dilationRate?: IntOrPair;
  /** Activation applied to the output. Default `'linear'`. */
  activation?: ActivationName;
  /** Whether to add a bias per output channel. Default true. */
  useBias?: boolean;
  /** Bias initializer. Default `'zeros'`. */
  biasInitializer?: InitializerIdentifier;
  /** Penalty on the bias added to the loss. Default none. */
  biasRegularizer?: RegularizerIdentifier;
}

/**
 * What the 2-D convolution layers share: window options, their checks, the output shape
 * arithmetic, the bias and activation, and dilated windows.
 */
export abstract class BaseConv extends Layer {
  /** Window size `[height, width]`. */
  readonly kernelSize: [number, number];
  /** Window step `[height, width]`. */
  readonly strides: [number, number];
  /** Border handling. */
  readonly padding: PaddingMode;
  /** Channel axis position. */
  readonly dataFormat: DataFormat;
  /** Kernel tap spacing `[height, width]`. */
  readonly dilationRate: [number, number];
  /** Canonical activation name. */
  readonly activation: string;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  /** The bias, one per output channel; undefined without `useBias` or before `build`. */
  protected bias?: LayerWeight;
  private readonly baseOpts: BaseConvOptions;

  constructor(opts: BaseConvOptions) {
    super(opts);
    this.baseOpts = opts;
    if (opts?.kernelSize === undefined) {
      throw new ValueError(`${this.label}: 'kernelSize' is required (a positive integer or [height, width])`);
    }
    this.kernelSize = normalizePair(opts.kernelSize, 1, this.label, 'kernelSize');
    this.strides = normalizePair(opts.strides, 1, this.label, 'strides');
    this.dilationRate = normalizePair(opts.dilationRate, 1, this.label, 'dilationRate');
    checkStridesDilation(this.strides, this.dilationRate, this.label);
    this.padding = checkPadding(opts.padding, this.label);
    this.dataFormat = checkDataFormat(opts.dataFormat, this.label);
    const act = opts.activation ?? 'linear';
    getActivation(act, this.label);
    this.activation = canonicalActivation(act)!;
    this.useBias = opts.useBias ?? true;
    getInitializer(opts.biasInitializer ?? 'zeros', this.label, 'biasInitializer');
    if (opts.biasRegularizer) getRegularizer(opts.biasRegularizer, this.label, 'biasRegularizer');
    this.inputSpec = { ndim: 4 };
  }

  /** Number of output channels for `inChannels` input channels. */
  protected abstract outputChannels(inChannels: number | null): number | null;

  /** Output height and width for input height and width. */
  protected outputSpatial(h: number | null, w: number | null): [number | null, number | null] {
    return [
      convOutputLength(h, this.kernelSize[0], this.padding, this.strides[0], this.dilationRate[0]),
      convOutputLength(w, this.kernelSize[1], this.padding, this.strides[1], this.dilationRate[1]),
    ];
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const ax = imageAxes(this.dataFormat);
    const [oh, ow] = this.outputSpatial(inputShape[ax.h] ?? null, inputShape[ax.w] ?? null);
    checkOutputSize([oh, ow], inputShape, this.label, this.dilationRate.some((d) => d > 1) ? 'dilated kernel' : 'kernel');
    return makeImageShape(this.dataFormat, inputShape[0] ?? null, oh, ow, this.outputChannels(inputShape[ax.c] ?? null));
  }

  /**
   * Checks the input shape, lets `addKernels` create the kernels (Keras orders them
   * before the bias) and return the number of output channels, creates the bias, and pins
   * the channel dimension in the input spec.
   */
  protected buildCommon(inputShape: Shape, addKernels: (inChannels: number) => number): void {
    const inC = knownChannels(inputShape, this.dataFormat, this.label);
    this.computeOutputShape(inputShape);
    const outC = addKernels(inC);
    if (this.useBias) {
      this.bias = this.addWeight('bias', [outC], this.baseOpts.biasInitializer ?? 'zeros', {
        regularizer: this.baseOpts.biasRegularizer ? getRegularizer(this.baseOpts.biasRegularizer) : undefined,
      });
    }
    this.inputSpec = { ndim: 4, axes: { [imageAxes(this.dataFormat).c]: inC } };
  }

  /** Whether tfjs-core can apply this layer's activation inside its kernel. */
  protected get fusable(): boolean {
    return FUSABLE_ACTIVATIONS.has(this.activation);
  }

  /** The fused-kernel name of this layer's activation (valid when {@link fusable}). */
  protected get fusedActivation(): 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' {
    return this.activation as 'linear';
  }

  /**
   * Runs a window op on NHWC `x` with this layer's strides, padding and dilation. `op`
   * gets the strides and padding to use; a dilated window runs as undilated ones on phase
   * images (see `atrous`), so `op` never sees a dilation.
   */
  protected windowed(
    x: tf.Tensor4D,
    op: (x: tf.Tensor4D, strides: [number, number], pad: PaddingMode) => tf.Tensor4D,
  ): tf.Tensor4D {
    const d = this.dilationRate;
    if (d[0] === 1 && d[1] === 1) return op(x, this.strides, this.padding);
    const pads: SpatialPads = this.padding === 'same'
      ? [samePadding(x.shape[1], dilatedSize(this.kernelSize[0], d[0]), 1),
        samePadding(x.shape[2], dilatedSize(this.kernelSize[1], d[1]), 1)]
      : [[0, 0], [0, 0]];
    return atrous(x, d, pads, (p) => op(p, [1, 1], 'valid'));
  }

  /**
   * The unfused tail: adds the bias to NHWC `y`, returns it to the layer's data format, then
   * applies the activation there (so a softmax runs over the last axis, as in Keras).
   */
  protected biasActivation(y: tf.Tensor4D): tf.Tensor {
    const z = this.bias ? tf.add(y, this.bias.read()) : y;
    return getActivation(this.activation)(fromChannelsLast(z, this.dataFormat));
  }

  /** The shared part of the config, in canonical form. */
  protected baseConvConfig(): BaseConvOptions {
    const o = this.baseOpts;
    return {
      ...super.getConfig(),
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      activation: this.activation as ActivationName,
      useBias: this.useBias,
      biasInitializer: serializeInitializer(getInitializer(o.biasInitializer ?? 'zeros')),
      ...(o.biasRegularizer ? { biasRegularizer: serializeRegularizer(getRegularizer(o.biasRegularizer)) } : {}),
    };
  }
}
