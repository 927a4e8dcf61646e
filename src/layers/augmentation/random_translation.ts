import { translationMatrices } from './affine.js';
import { RandomAffine, type RandomAffineOptions } from './random_affine.js';
import { factorRange, type FactorRange } from './random_layer.js';

/** Options of {@link randomTranslation}. */
export interface RandomTranslationOptions extends RandomAffineOptions {
  /** Range of vertical shifts as fractions of the height (positive: down); `f` means `[-f, f]`, within [-1, 1]. Required. */
  heightFactor: number | FactorRange;
  /** Range of horizontal shifts as fractions of the width (positive: right); `f` means `[-f, f]`, within [-1, 1]. Required. */
  widthFactor: number | FactorRange;
}

/** Shifts each image by its own random offset while training (Keras `RandomTranslation`). */
export class RandomTranslation extends RandomAffine {
  // A getter, not a field: the base constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'RandomTranslation';
  }
  /** Vertical shift range, fractions of the height. */
  readonly heightFactor: FactorRange;
  /** Horizontal shift range, fractions of the width. */
  readonly widthFactor: FactorRange;

  constructor(opts: RandomTranslationOptions) {
    super(opts);
    this.heightFactor = factorRange(opts?.heightFactor, this.label, 'heightFactor', [-1, 1]);
    this.widthFactor = factorRange(opts.widthFactor, this.label, 'widthFactor', [-1, 1]);
  }

  /** One translation matrix per image. */
  sampleParams(n: number, h: number, w: number): Float32Array {
    const dy = this.uniform(n, this.heightFactor[0], this.heightFactor[1]).map((f) => f * h);
    const dx = this.uniform(n, this.widthFactor[0], this.widthFactor[1]).map((f) => f * w);
    return translationMatrices(dy, dx);
  }

  override getConfig(): RandomTranslationOptions {
    return { ...this.affineConfig(), heightFactor: [...this.heightFactor], widthFactor: [...this.widthFactor] };
  }
}

/**
 * Random shifts for data augmentation.
 * @example
 * ```ts
 * st.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 })
 * ```
 */
export function randomTranslation(opts: RandomTranslationOptions): RandomTranslation {
  return new RandomTranslation(opts);
}
