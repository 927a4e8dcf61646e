/**
 * `Slice` for wasm without a copy of the whole input. The backend's kernel of tfjs 4.22
 * starts with `readSync(x)`, which copies every element of `x` off the heap before taking
 * the few rows it needs, so taking batch `b` of an `n`-sample tensor costs O(n): `fit`
 * with `shuffle: false` (which slices each batch) was quadratic in the data set size.
 * This kernel reads the input through a view of the heap and copies only the slice.
 * @module
 */
import { tf } from '../tf.js';
import { wasmBackend, type Info, type KernelArgs, type WasmBackend } from './wasm_util.js';

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1]! * shape[i + 1]!;
  return strides;
}

/** Whether {@link heapSlice} handles tensors of this dtype (strings and complex numbers go to the backend). */
export function heapSliceable(x: Info): boolean {
  return x.dtype !== 'string' && x.dtype !== 'complex64';
}

/**
 * `x[begin : begin + size]` as a new tensor on the heap, copying only the elements taken.
 * `x` must be numeric ({@link heapSliceable}).
 */
export function heapSlice(backend: WasmBackend, x: Info, begin: tf.SliceAttrs['begin'], size: tf.SliceAttrs['size']): Info {
  const [begin_, size_] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  const out = backend.makeOutput(size_, x.dtype);
  const count = tf.util.sizeFromShape(size_);
  if (count === 0) return out;
  // Views only after the output is allocated: an allocation may grow (and move) the heap.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const strides = stridesOf(x.shape);
  const rank = x.shape.length;
  // The innermost run of dimensions that the slice covers fully is copied as one block.
  let inner = rank - 1;
  let block = size_[rank - 1] ?? 1;
  while (inner > 0 && size_[inner] === x.shape[inner]) {
    inner--;
    block *= size_[inner]!;
  }
  if (rank === 0) {
    dst.set(src.subarray(0, 1));
    return out;
  }
  // Odometer over the outer dimensions [0, inner); each position copies `block` elements.
  const index = new Array<number>(inner).fill(0);
  let offset = 0;
  for (let d = 0; d < rank; d++) offset += begin_[d]! * strides[d]!;
  for (let written = 0; written < count; written += block) {
    let from = offset;
    for (let d = 0; d < inner; d++) from += index[d]! * strides[d]!;
    dst.set(src.subarray(from, from + block), written);
    for (let d = inner - 1; d >= 0; d--) {
      if (++index[d]! < size_[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}

/** Wraps the backend's `Slice`: strings and complex numbers still go to it. */
export function withHeapSlice(original: tf.KernelFunc): tf.KernelFunc {
  const slice = (args: KernelArgs) => {
    const { x } = args.inputs as { x: Info };
    if (!heapSliceable(x)) return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    const { begin, size } = args.attrs as unknown as tf.SliceAttrs;
    return heapSlice(wasmBackend(args), x, begin, size);
  };
  return slice as unknown as tf.KernelFunc;
}
