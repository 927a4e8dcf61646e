/**
 * Keras 3 functional graphs may hold plain `keras.ops` calls on a tensor and a number, such
 * as `x + 3.0` and `x * (1 / 6)` in keras.applications' MobileNetV3 (its hard sigmoid). Keras
 * saves them as `{ module: 'keras.src.ops.numpy', class_name: 'Add', inbound_nodes: [{ args:
 * [tensor, 3.0] }] }`. `KerasScalarOp` is the weightless layer strata rebuilds them as, and
 * writes back in the same form.
 * @module
 */
import { tf } from '../../backend/tf.js';
import { SerializationError } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';

/** The module path Keras 3 saves its numpy-style operations under. */
export const KERAS_NUMPY_MODULE = 'keras.src.ops.numpy';

/** The operations read, by Keras class name. */
const OPS = {
  Add: (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b),
  Subtract: (a: tf.Tensor, b: tf.Tensor) => tf.sub(a, b),
  Multiply: (a: tf.Tensor, b: tf.Tensor) => tf.mul(a, b),
  Divide: (a: tf.Tensor, b: tf.Tensor) => tf.div(a, b),
  TrueDivide: (a: tf.Tensor, b: tf.Tensor) => tf.div(a, b),
} as const;

/** Keras class names of the numpy operations strata reads. */
export type ScalarOpName = keyof typeof OPS;

/** The Keras class names of the numpy operations strata reads, in a stable order. */
export const SCALAR_OPS: readonly ScalarOpName[] = Object.keys(OPS) as ScalarOpName[];

/** True when `name` is a numpy operation strata reads. */
export function isScalarOp(name: unknown): name is ScalarOpName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(OPS, name);
}

/** Options of {@link KerasScalarOp}. */
export interface KerasScalarOpOptions extends LayerOptions {
  /** The Keras operation class. Required. */
  op: ScalarOpName;
  /** The number the tensor is combined with. Required. */
  constant: number;
  /** Whether the number is the first operand (`3 - x`) rather than the second (`x - 3`). Default false. */
  constantFirst?: boolean;
}

/** A Keras numpy operation between a tensor and a number (`x + 3.0`), as one weightless layer. */
export class KerasScalarOp extends Layer {
  readonly className = 'KerasScalarOp';
  /** The Keras operation class. */
  readonly op: ScalarOpName;
  /** The number the tensor is combined with. */
  readonly constant: number;
  /** Whether the number is the first operand. */
  readonly constantFirst: boolean;

  constructor(opts: KerasScalarOpOptions) {
    super(opts);
    if (!isScalarOp(opts.op)) {
      throw new SerializationError(`${this.label}: Keras operation '${String(opts.op)}' is not supported; expected one of ${Object.keys(OPS).join(', ')}`);
    }
    if (typeof opts.constant !== 'number' || !Number.isFinite(opts.constant)) {
      throw new SerializationError(`${this.label}: the constant of '${opts.op}' must be a finite number; got ${String(opts.constant)}`);
    }
    this.op = opts.op;
    this.constant = opts.constant;
    this.constantFirst = opts.constantFirst ?? false;
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const c = tf.scalar(this.constant);
    return this.constantFirst ? OPS[this.op](c, x) : OPS[this.op](x, c);
  }

  override getConfig(): KerasScalarOpOptions {
    return { ...super.getConfig(), op: this.op, constant: this.constant, constantFirst: this.constantFirst };
  }
}
