import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';

/** Options of {@link dropout}. */
export interface DropoutOptions extends LayerOptions {
  /** Fraction of the inputs to zero while training, in [0, 1). Required. */
  rate: number;
  /**
   * Shape of the binary mask, batch dimension included, broadcast against the input;
   * `null` entries take the input's size. E.g. `[null, 1, 1, null]` drops whole channels
   * of an image. Default: the input's shape (every element drawn independently).
   */
  noiseShape?: (number | null)[];
  /**
   * Seed for reproducible masks: the k-th training call uses `seed + k`, so two layers
   * made with the same seed draw the same sequence of masks. Default: unseeded.
   */
  seed?: number;
}

/**
 * Randomly zeroes a fraction `rate` of its inputs while training and scales the rest by
 * `1 / (1 - rate)`, so the expected sum is unchanged; the identity in inference.
 */
export class Dropout extends Layer {
  readonly className = 'Dropout';
  override supportsMasking = true;
  /** Fraction of the inputs zeroed while training. */
  readonly rate: number;
  /** Shape of the mask (batch included, `null` = the input's size); undefined for the input's shape. */
  readonly noiseShape?: (number | null)[];
  /** Seed of the first mask; undefined when unseeded. */
  readonly seed?: number;
  private calls = 0;

  constructor(opts: DropoutOptions) {
    super(opts);
    const rate = opts?.rate;
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate >= 1) {
      throw new ValueError(`${this.label}: 'rate' must be a number in [0, 1); got ${String(rate)}`);
    }
    this.rate = rate;
    if (opts.noiseShape !== undefined) {
      const ns = opts.noiseShape;
      if (!Array.isArray(ns) || ns.some((d) => d !== null && !(Number.isInteger(d) && d > 0))) {
        throw new ValueError(`${this.label}: 'noiseShape' must be a list of positive integers or null; got ${JSON.stringify(ns)}`);
      }
      this.noiseShape = [...ns];
    }
    if (opts.seed !== undefined && !Number.isInteger(opts.seed)) {
      throw new ValueError(`${this.label}: 'seed' must be an integer; got ${String(opts.seed)}`);
    }
    this.seed = opts.seed;
  }

  /** The concrete mask shape for an input of `shape`. */
  private maskShape(shape: number[]): number[] {
    const ns = this.noiseShape;
    if (!ns) return shape;
    if (ns.length !== shape.length) {
      throw new ShapeError(`${this.label}: 'noiseShape' ${fmtShape(ns)} must have the input's rank ${shape.length}; input shape ${fmtShape(shape)}`);
    }
    return ns.map((d, i) => {
      const s = shape[i]!;
      if (d !== null && d !== 1 && d !== s) {
        throw new ShapeError(`${this.label}: 'noiseShape' ${fmtShape(ns)} does not broadcast to input shape ${fmtShape(shape)}`);
      }
      return d ?? s;
    });
  }

  call(inputs: tf.Tensor | tf.Tensor[], ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (!ctx.training || this.rate === 0) return tf.clone(x);
    const seed = this.seed === undefined ? undefined : this.seed + this.calls++;
    const u = tf.randomUniform(this.maskShape(x.shape), 0, 1, 'float32', seed);
    const keep = tf.cast(tf.greaterEqual(u, this.rate), 'float32');
    return tf.mul(x, tf.mul(keep, 1 / (1 - this.rate)));
  }

  override getConfig(): DropoutOptions {
    return {
      ...super.getConfig(),
      rate: this.rate,
      ...(this.noiseShape ? { noiseShape: [...this.noiseShape] } : {}),
      ...(this.seed !== undefined ? { seed: this.seed } : {}),
    };
  }
}

/**
 * Dropout: zeroes a random fraction `rate` of the inputs while training.
 * @example
 * ```ts
 * st.layers.dropout({ rate: 0.25 })
 * ```
 */
export function dropout(opts: DropoutOptions): Dropout {
  return new Dropout(opts);
}
