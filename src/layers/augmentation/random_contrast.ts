import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { RandomLayer, perImage, type FactorRange, type RandomLayerOptions } from './random_layer.js';
import { checkValueRange } from './value_range.js';

/** Options of {@link randomContrast}. */
export interface RandomContrastOptions extends RandomLayerOptions {
  /**
   * How much contrast may change: each image's contrast is multiplied by a factor in
   * `[1 − lower, 1 + upper]`. A number `f` means `[f, f]`, i.e. `[1 − f, 1 + f]`. Within [0, 1]. Required.
   */
  factor: number | FactorRange;
  /** The range pixel values live in; outputs are clipped to it. Default `[0, 255]`. */
  valueRange?: [number, number];
}

/**
 * Scales each image's deviation from its own mean (per channel) by a random factor while
 * training, then clips to `valueRange` (Keras `RandomContrast`).
 */
export class RandomContrast extends RandomLayer<Float32Array> {
  // A getter, not a field: the base constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'RandomContrast';
  }
  /** `[lower, upper]`: factors are drawn from `[1 − lower, 1 + upper]`. */
  readonly factor: FactorRange;
  /** Range outputs are clipped to. */
  readonly valueRange: [number, number];

  constructor(opts: RandomContrastOptions) {
    super(opts);
    const f = opts?.factor;
    const ok = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 1;
    if (ok(f)) this.factor = [f, f];
    else if (Array.isArray(f) && f.length === 2 && f.every(ok)) this.factor = [f[0], f[1]];
    else throw new ValueError(`${this.label}: 'factor' must be a number or a [lower, upper] pair within [0, 1]; got ${JSON.stringify(f)}`);
    this.valueRange = checkValueRange(opts.valueRange, this.label);
  }

  /** One contrast factor per image. */
  sampleParams(n: number): Float32Array {
    return this.uniform(n, 1 - this.factor[0], 1 + this.factor[1]);
  }

  applyParams(x: tf.Tensor4D, factors: Float32Array): tf.Tensor4D {
    const mean = tf.mean(x, [1, 2], true);
    const y = tf.add(tf.mul(tf.sub(x, mean), perImage(factors)), mean);
    return tf.clipByValue(y, this.valueRange[0], this.valueRange[1]) as tf.Tensor4D;
  }

  override getConfig(): RandomContrastOptions {
    return { ...super.getConfig(), factor: [...this.factor], valueRange: [...this.valueRange] };
  }
}

/**
 * Random contrast changes for data augmentation.
 * @example
 * ```ts
 * st.layers.randomContrast({ factor: 0.2, valueRange: [0, 1] }) // contrast × 0.8-1.2
 * ```
 */
export function randomContrast(opts: RandomContrastOptions): RandomContrast {
  return new RandomContrast(opts);
}
