import { ValueError } from '../../engine/errors.js';
import { zoomMatrices } from './affine.js';
import { RandomAffine, type RandomAffineOptions } from './random_affine.js';
import { factorRange, type FactorRange } from './random_layer.js';

/** Options of {@link randomZoom}. */
export interface RandomZoomOptions extends RandomAffineOptions {
  /**
   * Range of vertical zoom, as a fraction: the image is scaled by a factor in
   * `[1 + lower, 1 + upper]`, where a positive value zooms out (more of the scene, smaller)
   * and a negative one zooms in. `f` means `[-f, f]`; within (-1, 1]. Required.
   */
  heightFactor: number | FactorRange;
  /** Range of horizontal zoom, as `heightFactor`. Default: none, the vertical zoom is used (aspect ratio kept). */
  widthFactor?: number | FactorRange;
}

/** Zooms each image in or out about its centre by its own random amount while training (Keras `RandomZoom`). */
export class RandomZoom extends RandomAffine {
  // A getter, not a field: the base constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'RandomZoom';
  }
  /** Vertical zoom range. */
  readonly heightFactor: FactorRange;
  /** Horizontal zoom range; undefined when the vertical zoom is reused. */
  readonly widthFactor?: FactorRange;

  constructor(opts: RandomZoomOptions) {
    super(opts);
    const read = (v: unknown, arg: string) => {
      const r = factorRange(v, this.label, arg, [-1, 1]);
      if (r[0] <= -1) throw new ValueError(`${this.label}: '${arg}' must be above -1 (a zoom factor of 0); got ${JSON.stringify(v)}`);
      return r;
    };
    this.heightFactor = read(opts?.heightFactor, 'heightFactor');
    if (opts.widthFactor !== undefined && opts.widthFactor !== null) this.widthFactor = read(opts.widthFactor, 'widthFactor');
  }

  /** One zoom matrix per image. */
  sampleParams(n: number, h: number, w: number): Float32Array {
    const zy = this.uniform(n, 1 + this.heightFactor[0], 1 + this.heightFactor[1]);
    const zx = this.widthFactor ? this.uniform(n, 1 + this.widthFactor[0], 1 + this.widthFactor[1]) : zy;
    return zoomMatrices(zy, zx, h, w);
  }

  override getConfig(): RandomZoomOptions {
    return {
      ...this.affineConfig(), heightFactor: [...this.heightFactor],
      ...(this.widthFactor ? { widthFactor: [...this.widthFactor] as FactorRange } : {}),
    };
  }
}

/**
 * Random zoom for data augmentation.
 * @example
 * ```ts
 * st.layers.randomZoom({ heightFactor: 0.1 }) // 0.9-1.1, aspect ratio kept
 * ```
 */
export function randomZoom(opts: RandomZoomOptions): RandomZoom {
  return new RandomZoom(opts);
}
