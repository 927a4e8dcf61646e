import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { RandomLayer, perImage, type RandomLayerOptions } from './random_layer.js';

/** Which flips {@link randomFlip} may apply (Keras spellings). */
export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

/** Options of {@link randomFlip}. */
export interface RandomFlipOptions extends RandomLayerOptions {
  /** `'horizontal'` (left-right), `'vertical'` (up-down) or both. Default `'horizontal_and_vertical'`. */
  mode?: FlipMode;
}

/** Per image: whether to flip left-right and whether to flip up-down (1 or 0). */
export interface FlipParams {
  /** 1 where the image is flipped left-right. */
  horizontal: Float32Array;
  /** 1 where the image is flipped up-down. */
  vertical: Float32Array;
}

/**
 * Flips each image left-right and/or up-down with probability 1/2 while training (Keras
 * `RandomFlip`). With both directions the two draws are independent (Keras 3 uses one draw
 * for both, so it only ever rotates by 180°).
 */
export class RandomFlip extends RandomLayer<FlipParams> {
  // A getter, not a field: the base constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'RandomFlip';
  }
  /** Flip directions. */
  readonly mode: FlipMode;

  constructor(opts: RandomFlipOptions = {}) {
    super(opts);
    const m = opts.mode ?? 'horizontal_and_vertical';
    if (m !== 'horizontal' && m !== 'vertical' && m !== 'horizontal_and_vertical') {
      throw new ValueError(`${this.label}: 'mode' must be 'horizontal', 'vertical' or 'horizontal_and_vertical'; got ${JSON.stringify(opts.mode)}`);
    }
    this.mode = m;
  }

  /** Coin flips per image for each allowed direction. */
  sampleParams(n: number): FlipParams {
    const coin = (on: boolean) => (on ? this.uniform(n, 0, 1).map((u) => (u < 0.5 ? 1 : 0)) : new Float32Array(n));
    return { horizontal: coin(this.mode !== 'vertical'), vertical: coin(this.mode !== 'horizontal') };
  }

  applyParams(x: tf.Tensor4D, p: FlipParams): tf.Tensor4D {
    let y = x;
    for (const [flags, axis] of [[p.horizontal, 2], [p.vertical, 1]] as const) {
      if (!flags.some((f) => f === 1)) continue;
      if (flags.every((f) => f === 1)) {
        y = tf.reverse(y, axis);
        continue;
      }
      const m = perImage(flags);
      // A blend with 0/1 weights is exact and keeps the gradient flowing to both branches.
      y = tf.add(tf.mul(m, tf.reverse(y, axis)), tf.mul(tf.sub(1, m), y));
    }
    return y;
  }

  override getConfig(): RandomFlipOptions {
    return { ...super.getConfig(), mode: this.mode };
  }
}

/**
 * Random flips for data augmentation.
 * @example
 * ```ts
 * st.layers.randomFlip({ mode: 'horizontal', seed: 1 })
 * ```
 */
export function randomFlip(opts: RandomFlipOptions = {}): RandomFlip {
  return new RandomFlip(opts);
}
