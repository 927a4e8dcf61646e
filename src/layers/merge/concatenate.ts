import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import type { LayerOptions } from '../../engine/layer.js';
import type { Mask, MaskInput } from '../../engine/mask.js';
import type { Shape } from '../../engine/shape.js';
import { Merge, commonDim } from './merge.js';

/** Options of {@link concatenate}. */
export interface ConcatenateOptions extends LayerOptions {
  /** The axis to join along, batch dimension included; negative counts from the end. Default -1. */
  axis?: number;
}

/** Joins a list of tensors along one axis; all other axes must have equal sizes. */
export class Concatenate extends Merge {
  readonly className = 'Concatenate';
  /** The axis joined along, batch dimension included (negative counts from the end). */
  readonly axis: number;

  constructor(opts: ConcatenateOptions = {}) {
    super(opts);
    this.axis = opts.axis ?? -1;
    if (!Number.isInteger(this.axis)) {
      throw new ValueError(`${this.label}: 'axis' must be an integer; got ${String(opts.axis)}`);
    }
  }

  /** The axis as a non-negative index for inputs of rank `rank`. */
  private positiveAxis(rank: number): number {
    const a = this.axis < 0 ? rank + this.axis : this.axis;
    if (a < 1 || a >= rank) {
      throw new ValueError(`${this.label}: 'axis' ${this.axis} is out of range (or the batch axis) for inputs of rank ${rank}`);
    }
    return a;
  }

  protected mergedShape(shapes: Shape[]): Shape {
    const fail = (why: string): never => {
      throw new ShapeError(`${this.label}: ${why}; got shapes ${shapes.map(fmtShape).join(', ')}`);
    };
    const rank = shapes[0]!.length;
    if (shapes.some((s) => s.length !== rank)) fail('inputs must have the same rank');
    const a = this.positiveAxis(rank);
    return shapes[0]!.map((_, i) => {
      const dims = shapes.map((s) => s[i] ?? null);
      if (i === a) return dims.includes(null) ? null : (dims as number[]).reduce((x, y) => x + y, 0);
      const d = commonDim(dims);
      if (d === undefined) fail(`inputs must have equal sizes on every axis but the concatenation axis ${this.axis}`);
      return d ?? null;
    });
  }

  protected merge(xs: tf.Tensor[]): tf.Tensor {
    return tf.concat(xs, this.positiveAxis(xs[0]!.rank));
  }

  /**
   * Keras 3's rule: each input's mask spread over its last axis (all real for an input without
   * one), concatenated as the data, and a step is real if any entry along the last axis is.
   * Joining features, a step is real where any masked input has it real (all steps, when an
   * input has no mask); joining time, the masks are concatenated.
   */
  override computeMask(inputs: tf.Tensor | tf.Tensor[], mask: MaskInput | undefined): Mask | null {
    const masks = mask === undefined || mask === null ? [] : Array.isArray(mask) ? mask : [mask];
    if (!masks.some((m) => m !== null && m !== undefined)) return null;
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    return tf.tidy(() => {
      const spread = xs.map((x, i) => {
        const m = masks[i];
        if (!m) return tf.ones(x.shape);
        const f = tf.cast(m, 'float32');
        return f.rank < x.rank ? tf.mul(tf.expandDims(f, -1), tf.ones(x.shape)) : f;
      });
      return tf.greater(tf.max(tf.concat(spread, this.positiveAxis(xs[0]!.rank)), -1), 0);
    });
  }

  override getConfig(): ConcatenateOptions {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/**
 * Joins a list of tensors along `axis` (the last, by default).
 * @example
 * ```ts
 * const both = st.layers.concatenate().apply([branchA, branchB]);
 * ```
 */
export function concatenate(opts: ConcatenateOptions = {}): Concatenate {
  return new Concatenate(opts);
}
