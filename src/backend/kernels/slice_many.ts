/**
 * `Unpack` (`tf.unstack`) and `SplitV` (`tf.split`) for wasm on {@link heapSlice}. The
 * backend's kernels of tfjs 4.22 call its own `slice` function directly, not the
 * registered `Slice`, so each of their outputs starts with a copy of the whole input off
 * the heap: `n` outputs cost `n` full copies. A recurrent layer unstacks its projected
 * inputs `[batch, time, 4·units]` along time once per call; for an LSTM of 128 units over
 * 100 steps at batch 64 that was 1.3 GB copied per training step, two thirds of the step.
 * @module
 */
import { tf } from '../tf.js';
import { heapSlice, heapSliceable } from './slice.js';
import { wasmBackend, type Info, type KernelArgs } from './wasm_util.js';

type Original = Parameters<tf.KernelFunc>[0];

/** Wraps the backend's `Unpack`: numeric tensors are sliced on the heap, others go to it. */
export function withHeapUnpack(original: tf.KernelFunc): tf.KernelFunc {
  const unpack = (args: KernelArgs) => {
    const { value } = args.inputs as { value: Info };
    if (!heapSliceable(value)) return original(args as unknown as Original);
    const rank = value.shape.length;
    const axis = tf.util.parseAxisParam((args.attrs as unknown as tf.UnpackAttrs).axis, value.shape)[0]!;
    const outShape = value.shape.filter((_, d) => d !== axis);
    const begin = new Array<number>(rank).fill(0);
    const size = [...value.shape];
    size[axis] = 1;
    const outs: Info[] = [];
    for (let i = 0; i < value.shape[axis]!; i++) {
      begin[axis] = i;
      const { dataId, dtype } = heapSlice(wasmBackend(args), value, begin, size);
      // The data is already laid out as outShape; only the handle's shape drops the axis.
      outs.push({ dataId, dtype, shape: outShape });
    }
    return outs;
  };
  return unpack as unknown as tf.KernelFunc;
}

/** Wraps the backend's `SplitV`: numeric tensors are sliced on the heap, others go to it. */
export function withHeapSplitV(original: tf.KernelFunc): tf.KernelFunc {
  const splitV = (args: KernelArgs) => {
    const { x } = args.inputs as { x: Info };
    if (!heapSliceable(x)) return original(args as unknown as Original);
    const { numOrSizeSplits, axis } = args.attrs as unknown as tf.SplitVAttrs;
    const ax = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[ax] = s;
      const out = heapSlice(wasmBackend(args), x, begin, size);
      begin[ax] += s;
      return out;
    });
  };
  return splitV as unknown as tf.KernelFunc;
}
