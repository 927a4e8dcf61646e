/**
 * `GatherV2` along the first axis for wasm, row by row on the heap. The backend's kernel
 * computes every output element's source index in a scalar loop; `fit` gathers each
 * shuffled batch this way, and for an MLP batch of 128 × 784 floats that took about 1.8 ms
 * a call, half of a whole training step. Copying whole rows takes tens of microseconds.
 * Other axes, batch dimensions and dtypes, and indices out of range (the backend reports
 * them) go to the backend's kernel.
 * @module
 */
import { tf } from '../tf.js';
import { sizeOf, wasmBackend, type Info, type KernelArgs } from './wasm_util.js';

const ROW_DTYPES = new Set(['float32', 'int32', 'bool']);

/** Wraps the backend's `GatherV2` with the row copy for `axis` 0 and no batch dimensions. */
export function withRowGather(original: tf.KernelFunc): tf.KernelFunc {
  const gather = (args: KernelArgs) => {
    const backend = wasmBackend(args);
    const { x, indices } = args.inputs as { x: Info; indices: Info };
    const { axis, batchDims } = (args.attrs ?? {}) as { axis?: number; batchDims?: number };
    const rank = x.shape.length;
    const ax = axis === undefined ? 0 : axis < 0 ? axis + rank : axis;
    const fallback = () => original(args as unknown as Parameters<tf.KernelFunc>[0]);
    if (ax !== 0 || (batchDims ?? 0) !== 0 || rank === 0 || !ROW_DTYPES.has(x.dtype) || indices.dtype !== 'int32') return fallback();
    const rows = x.shape[0]!;
    const row = sizeOf(x.shape.slice(1));
    const ids = backend.typedArrayFromHeap(indices) as Int32Array;
    for (let i = 0; i < ids.length; i++) if (!(ids[i]! >= 0 && ids[i]! < rows)) return fallback();
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    if (row === 0 || ids.length === 0) return out;
    // Views only after the output is allocated: an allocation may grow (and move) the heap.
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    const at = backend.typedArrayFromHeap(indices) as Int32Array;
    if (row === 1) {
      for (let i = 0; i < at.length; i++) dst[i] = src[at[i]!]!;
    } else {
      for (let i = 0; i < at.length; i++) dst.set(src.subarray(at[i]! * row, at[i]! * row + row), i * row);
    }
    return out;
  };
  return gather as unknown as tf.KernelFunc;
}
