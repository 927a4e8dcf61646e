import { tf } from '../../backend/tf.js';
import { RandomLayer, factorRange, perImage, type FactorRange, type RandomLayerOptions } from './random_layer.js';
import { checkValueRange } from './value_range.js';

/** Options of {@link randomBrightness}. */
export interface RandomBrightnessOptions extends RandomLayerOptions {
  /**
   * Range of the brightness shift as a fraction of the value range: `f` means `[-f, f]`,
   * or `[lower, upper]`; within [-1, 1]. Required.
   */
  factor: number | FactorRange;
  /** The range pixel values live in; the shift scales with its width and outputs are clipped to it. Default `[0, 255]`. */
  valueRange?: [number, number];
}

/** Adds a random amount to every pixel of each image while training, then clips (Keras `RandomBrightness`). */
export class RandomBrightness extends RandomLayer<Float32Array> {
  // A getter, not a field: the base constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'RandomBrightness';
  }
  /** Shift range, fractions of the value range. */
  readonly factor: FactorRange;
  /** Range outputs are clipped to. */
  readonly valueRange: [number, number];

  constructor(opts: RandomBrightnessOptions) {
    super(opts);
    this.factor = factorRange(opts?.factor, this.label, 'factor', [-1, 1]);
    this.valueRange = checkValueRange(opts.valueRange, this.label);
  }

  /** One shift per image, in pixel units. */
  sampleParams(n: number): Float32Array {
    const width = this.valueRange[1] - this.valueRange[0];
    return this.uniform(n, this.factor[0], this.factor[1]).map((f) => f * width);
  }

  applyParams(x: tf.Tensor4D, deltas: Float32Array): tf.Tensor4D {
    return tf.clipByValue(tf.add(x, perImage(deltas)), this.valueRange[0], this.valueRange[1]) as tf.Tensor4D;
  }

  override getConfig(): RandomBrightnessOptions {
    return { ...super.getConfig(), factor: [...this.factor], valueRange: [...this.valueRange] };
  }
}

/**
 * Random brightness changes for data augmentation.
 * @example
 * ```ts
 * st.layers.randomBrightness({ factor: 0.2, valueRange: [0, 1] }) // ±0.2
 * ```
 */
export function randomBrightness(opts: RandomBrightnessOptions): RandomBrightness {
  return new RandomBrightness(opts);
}
