import { rotationMatrices } from './affine.js';
import { RandomAffine, type RandomAffineOptions } from './random_affine.js';
import { factorRange, type FactorRange } from './random_layer.js';

/** Options of {@link randomRotation}. */
export interface RandomRotationOptions extends RandomAffineOptions {
  /**
   * Range of rotations as fractions of a full turn: `f` means `[-f, f]` (0.1 is ±36°), or
   * `[lower, upper]`; positive turns counter-clockwise. Within [-1, 1]. Required.
   */
  factor: number | FactorRange;
}

/**
 * Rotates each image by its own random angle about the centre while training (Keras
 * `RandomRotation`); passes images through at inference.
 */
export class RandomRotation extends RandomAffine {
  // A getter, not a field: the base constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'RandomRotation';
  }
  /** Range of rotations, fractions of a turn. */
  readonly factor: FactorRange;

  constructor(opts: RandomRotationOptions) {
    super(opts);
    this.factor = factorRange(opts?.factor, this.label, 'factor', [-1, 1]);
  }

  /** One rotation matrix per image, angles uniform in the factor range. */
  sampleParams(n: number, h: number, w: number): Float32Array {
    const turns = this.uniform(n, this.factor[0], this.factor[1]);
    return rotationMatrices(turns.map((t) => t * 2 * Math.PI), h, w);
  }

  override getConfig(): RandomRotationOptions {
    return { ...this.affineConfig(), factor: [...this.factor] };
  }
}

/**
 * Random rotations for data augmentation.
 * @example
 * ```ts
 * st.layers.randomRotation({ factor: 0.1, fillMode: 'constant' }) // up to ±36°
 * ```
 */
export function randomRotation(opts: RandomRotationOptions): RandomRotation {
  return new RandomRotation(opts);
}
