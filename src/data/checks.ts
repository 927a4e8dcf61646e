// Argument checks shared by the dataset helpers; each error names the calling function.
import { tf } from '../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../engine/errors.js';

/** Describes a value for an error message without dumping large contents. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof tf.Tensor) return `a ${v.dtype} tensor of shape ${fmtShape(v.shape)}`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'object') return `an object (${Object.prototype.toString.call(v)})`;
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}

/** Throws unless `v` is a tensor. */
export function checkTensor(fn: string, arg: string, v: unknown): asserts v is tf.Tensor {
  if (!(v instanceof tf.Tensor)) {
    throw new ValueError(`${fn}: argument '${arg}' must be a tensor; got ${describe(v)}`);
  }
  if (v.isDisposed) throw new ValueError(`${fn}: argument '${arg}' is a disposed tensor`);
}

/** Throws unless `v` is a tensor of rank at least 1 (a batch of samples). */
export function checkSamples(fn: string, arg: string, v: unknown): asserts v is tf.Tensor {
  checkTensor(fn, arg, v);
  if (v.rank < 1) {
    throw new ShapeError(`${fn}: argument '${arg}' must have rank >= 1 (samples on axis 0); got shape ${fmtShape(v.shape)}`);
  }
}

/** Throws unless `x` and `y` hold the same number of samples. */
export function checkPaired(fn: string, x: tf.Tensor, y: tf.Tensor): void {
  if (x.shape[0] !== y.shape[0]) {
    throw new ShapeError(
      `${fn}: 'x' and 'y' must have the same number of samples (axis 0); got x ${fmtShape(x.shape)} and y ${fmtShape(y.shape)}`,
    );
  }
}

/** Throws unless `v` is an integer in `[min, max]`. */
export function checkInt(fn: string, arg: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ValueError(`${fn}: argument '${arg}' must be an integer ${range}; got ${describe(v)}`);
  }
}

/** Throws unless `v` is undefined or an integer seed. */
export function checkSeed(fn: string, v: unknown): asserts v is number | undefined {
  if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v))) {
    throw new ValueError(`${fn}: option 'seed' must be an integer; got ${describe(v)}`);
  }
}

/** Gathers the samples at `indices` (axis 0) from each tensor, disposing the index tensor. */
export function gatherRows<T extends tf.Tensor>(t: T, indices: Int32Array): T {
  return tf.tidy(() => tf.gather(t, tf.tensor1d(indices, 'int32'), 0)) as T;
}
