import { tf } from '../backend/tf.js';
import { StateError, ValueError } from './errors.js';

/**
 * Checks that every item is a live tensor: a disposed one raises a StateError, anything
 * else (a plain array, `undefined`) a ValueError, both naming `owner` and `what`, instead
 * of a raw TypeError deep inside a kernel.
 * @param owner - the call, e.g. `Sequential 'm'.predict`.
 * @param what - the argument, e.g. `x`.
 */
export function assertTensors(ts: readonly unknown[], owner: string, what: string): asserts ts is tf.Tensor[] {
  ts.forEach((t, i) => {
    const where = ts.length > 1 ? `${what}[${i}]` : what;
    if (!(t instanceof tf.Tensor)) {
      throw new ValueError(`${owner}: '${where}' must be a tensor; got ${describe(t)}`);
    }
    if (t.isDisposed) {
      throw new StateError(`${owner}: '${where}' is a disposed tensor (shape ${JSON.stringify(t.shape)}); it was freed before this call`);
    }
  });
}

/** A short description of a value for messages (never its full contents). */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length} item(s)`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as unknown as { length?: number }).length ?? v.byteLength}`;
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  if (typeof v === 'string') return `the string '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  return `${typeof v} ${String(v)}`;
}

/** Deepest nesting of plain arrays accepted (tensor rank). */
const MAX_RANK = 16;

/** Plain numeric data accepted where a tensor is expected: nested number arrays or a typed array. */
export type PlainData = number[] | number[][] | number[][][] | number[][][][] | number[][][][][] | Float32Array | Int32Array | Uint8Array;

/** True for nested number arrays and typed arrays (what {@link toTensor} converts). */
export function isPlainData(v: unknown): v is PlainData {
  if (v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array) return true;
  if (!Array.isArray(v)) return false;
  let x: unknown = v;
  for (let depth = 0; Array.isArray(x); depth++) {
    if (depth > MAX_RANK) return true; // toTensor reports the depth
    x = x[0];
  }
  return typeof x === 'number' || (x === undefined && (v as unknown[]).length === 0);
}

/**
 * Converts plain data to a new tensor (the caller owns and frees it): nested arrays take
 * their own shape; a typed array is read as samples of `sampleShape` (batch dim omitted)
 * when that is fully known, else as one value per sample. Int32Array gives int32,
 * everything else float32. Ragged arrays and non-numbers raise a ValueError.
 */
export function toTensor(v: PlainData, owner: string, what: string, sampleShape?: readonly (number | null)[]): tf.Tensor {
  if (!Array.isArray(v)) {
    const dtype = v instanceof Int32Array ? 'int32' : 'float32';
    const data = v instanceof Uint8Array ? Float32Array.from(v) : v;
    const known = sampleShape && sampleShape.every((d): d is number => d !== null && d > 0);
    const per = known ? sampleShape.reduce((a: number, d) => a * (d as number), 1) : 1;
    if (data.length % per !== 0) {
      throw new ValueError(`${owner}: '${what}' is a ${v.constructor.name} of ${data.length} values, not a whole number of samples of shape ${JSON.stringify(sampleShape)}`);
    }
    return tf.tensor(data, [data.length / per, ...(known ? (sampleShape as number[]) : [])], dtype);
  }
  const shape: number[] = [];
  let x: unknown = v;
  while (Array.isArray(x)) {
    shape.push(x.length);
    if (shape.length > MAX_RANK) {
      throw new ValueError(`${owner}: '${what}' is nested more than ${MAX_RANK} arrays deep; a tensor has at most ${MAX_RANK} dimensions here`);
    }
    x = x[0];
  }
  const flat: number[] = [];
  const walk = (a: unknown, depth: number): boolean => {
    if (depth === shape.length) {
      if (typeof a !== 'number') return false;
      flat.push(a);
      return true;
    }
    if (!Array.isArray(a) || a.length !== shape[depth]) return false;
    for (const e of a) if (!walk(e, depth + 1)) return false;
    return true;
  };
  if (!walk(v, 0)) {
    throw new ValueError(`${owner}: '${what}' must be a tensor or a rectangular nested array of numbers (shape ${JSON.stringify(shape)} from its first items); it is ragged or holds non-numbers`);
  }
  return tf.tensor(flat, shape, 'float32');
}
