/**
 * `UnsortedSegmentSum` for wasm (the backend ships none). It is the gradient of `gather`,
 * so embedding lookups need it to train.
 * @module
 */
import { tf } from '../tf.js';
import { ValueError } from '../../engine/errors.js';
import { marked, sizeOf, wasmBackend, type Info, type KernelArgs } from './wasm_util.js';

function unsortedSegmentSum(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { x, segmentIds } = args.inputs as { x: Info; segmentIds: Info };
  const { numSegments } = args.attrs as unknown as tf.UnsortedSegmentSumAttrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new ValueError(`wasm kernel UnsortedSegmentSum: input 'x' must be float32 or int32; got ${x.dtype}`);
  }
  const idRank = segmentIds.shape.length;
  const inner = sizeOf(x.shape.slice(idRank));
  const outShape = [numSegments, ...x.shape.slice(idRank)];
  const out = backend.makeOutput(outShape, x.dtype);
  const acc = new Float64Array(numSegments * inner);
  const xv = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  for (let r = 0; r < ids.length; r++) {
    const s = ids[r];
    // Out-of-range ids are dropped, as TensorFlow does.
    if (s < 0 || s >= numSegments) continue;
    const src = r * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) acc[dst + j] += xv[src + j];
  }
  backend.typedArrayFromHeap(out).set(acc);
  return out;
}

/** Kernel config for `UnsortedSegmentSum` on wasm. */
export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: marked(unsortedSegmentSum as unknown as tf.KernelFunc),
};
