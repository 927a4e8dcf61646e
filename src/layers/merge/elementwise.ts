import { tf } from '../../backend/tf.js';
import { ShapeError, fmtShape } from '../../engine/errors.js';
import type { LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { Merge, commonDim } from './merge.js';

/**
 * The base of the elementwise merges. Shapes broadcast as in Keras: the batch sizes must
 * agree; the other axes are aligned from the right (a lower-rank input gets size-1 axes
 * inserted after the batch axis), and a size-1 axis stretches to the other's size.
 */
export abstract class ElementwiseMerge extends Merge {
  protected mergedShape(shapes: Shape[]): Shape {
    const fail = (): never => {
      throw new ShapeError(`${this.label}: inputs have incompatible shapes ${shapes.map(fmtShape).join(', ')}`);
    };
    const batch = commonDim(shapes.map((s) => s[0] ?? null));
    if (batch === undefined) fail();
    const rank = Math.max(...shapes.map((s) => s.length));
    const out: Shape = [batch ?? null];
    for (let k = rank - 1; k >= 1; k -= 1) {
      const dims = shapes.map((s): number | null => {
        const j = s.length - (rank - k);
        return j >= 1 ? s[j] ?? null : 1;
      });
      if (dims.includes(null)) {
        out.splice(1, 0, null);
        continue;
      }
      const big = commonDim(dims.filter((d) => d !== 1));
      if (big === undefined) fail();
      out.splice(1, 0, big ?? 1);
    }
    return out;
  }

  protected merge(xs: tf.Tensor[]): tf.Tensor {
    const rank = Math.max(...xs.map((x) => x.rank));
    const aligned = xs.map((x) => {
      let y = x;
      while (y.rank < rank) y = tf.expandDims(y, 1);
      return y;
    });
    return this.combine(aligned);
  }

  /** The math on inputs of equal rank, which broadcast against each other. */
  protected abstract combine(xs: tf.Tensor[]): tf.Tensor;
}

/** Adds its inputs elementwise. */
export class Add extends ElementwiseMerge {
  readonly className = 'Add';
  protected combine(xs: tf.Tensor[]): tf.Tensor {
    return xs.length === 2 ? tf.add(xs[0]!, xs[1]!) : xs.reduce((a, b) => tf.add(a, b));
  }
}

/** Subtracts its second input from its first, elementwise (exactly two inputs). */
export class Subtract extends ElementwiseMerge {
  readonly className = 'Subtract';
  protected override readonly maxInputs = 2;
  protected combine(xs: tf.Tensor[]): tf.Tensor {
    return tf.sub(xs[0]!, xs[1]!);
  }
}

/** Multiplies its inputs elementwise. */
export class Multiply extends ElementwiseMerge {
  readonly className = 'Multiply';
  protected combine(xs: tf.Tensor[]): tf.Tensor {
    return xs.reduce((a, b) => tf.mul(a, b));
  }
}

/** Averages its inputs elementwise. */
export class Average extends ElementwiseMerge {
  readonly className = 'Average';
  protected combine(xs: tf.Tensor[]): tf.Tensor {
    return tf.div(xs.reduce((a, b) => tf.add(a, b)), xs.length);
  }
}

/**
 * Broadcasts inputs of equal rank to their common shape. tfjs-core's Maximum and Minimum
 * gradients do not reduce over broadcast axes, so those two need their inputs expanded.
 */
function broadcastAll(xs: tf.Tensor[]): tf.Tensor[] {
  const shape = xs[0]!.shape.map((_, k) => Math.max(...xs.map((x) => x.shape[k]!)));
  return xs.map((x) => (x.shape.every((d, k) => d === shape[k]) ? x : tf.broadcastTo(x, shape)));
}

/** The elementwise maximum of its inputs. */
export class Maximum extends ElementwiseMerge {
  readonly className = 'Maximum';
  protected combine(xs: tf.Tensor[]): tf.Tensor {
    return broadcastAll(xs).reduce((a, b) => tf.maximum(a, b));
  }
}

/** The elementwise minimum of its inputs. */
export class Minimum extends ElementwiseMerge {
  readonly className = 'Minimum';
  protected combine(xs: tf.Tensor[]): tf.Tensor {
    return broadcastAll(xs).reduce((a, b) => tf.minimum(a, b));
  }
}

/**
 * Adds a list of tensors: `st.layers.add().apply([a, b])`.
 * @example
 * ```ts
 * const out = st.layers.add().apply([shortcut, residual]);
 * ```
 */
export function add(opts: LayerOptions = {}): Add {
  return new Add(opts);
}
/** Subtracts the second of two tensors from the first: `st.layers.subtract().apply([a, b])`. */
export function subtract(opts: LayerOptions = {}): Subtract {
  return new Subtract(opts);
}
/** Multiplies a list of tensors elementwise. */
export function multiply(opts: LayerOptions = {}): Multiply {
  return new Multiply(opts);
}
/** Averages a list of tensors elementwise. */
export function average(opts: LayerOptions = {}): Average {
  return new Average(opts);
}
/** The elementwise maximum of a list of tensors. */
export function maximum(opts: LayerOptions = {}): Maximum {
  return new Maximum(opts);
}
/** The elementwise minimum of a list of tensors. */
export function minimum(opts: LayerOptions = {}): Minimum {
  return new Minimum(opts);
}
