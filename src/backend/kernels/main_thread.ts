/**
 * `Softmax` and `ClipByValue` for float32 on the calling thread. The backend runs both as
 * XNNPACK operators on its thread pool, and on the threaded build a pool job leaves the
 * pool's workers spinning for a while afterwards: a cross-entropy loss (one clip, one
 * softmax a step) kept a second core busy through the matrix products that followed and
 * slowed them. A loss's few thousand elements take microseconds on one thread.
 * @module
 */
import { tf } from '../tf.js';
import { sizeOf, wasmBackend, type Info, type KernelArgs } from './wasm_util.js';

/** `Softmax` along the last axis (the only one tfjs' kernel takes), in float64 per row. */
export function withMainThreadSoftmax(original: tf.KernelFunc): tf.KernelFunc {
  const softmax = (args: KernelArgs) => {
    const backend = wasmBackend(args);
    const { logits } = args.inputs as { logits: Info };
    const dim = (args.attrs as { dim?: number } | undefined)?.dim ?? -1;
    const rank = logits.shape.length;
    if (logits.dtype !== 'float32' || rank === 0 || (dim !== -1 && dim !== rank - 1)) {
      return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    }
    const out = backend.makeOutput([...logits.shape], 'float32');
    const cols = logits.shape[rank - 1]!;
    const n = sizeOf(logits.shape);
    if (n === 0) return out;
    const x = backend.typedArrayFromHeap(logits) as Float32Array;
    const y = backend.typedArrayFromHeap(out) as Float32Array;
    for (let start = 0; start < n; start += cols) {
      let max = -Infinity;
      for (let j = start; j < start + cols; j++) max = x[j]! > max || Number.isNaN(x[j]!) ? x[j]! : max;
      let sum = 0;
      for (let j = start; j < start + cols; j++) sum += (y[j] = Math.exp(x[j]! - max));
      for (let j = start; j < start + cols; j++) y[j] = y[j]! / sum;
    }
    return out;
  };
  return softmax as unknown as tf.KernelFunc;
}

/** `ClipByValue`: NaN stays NaN, as on the cpu backend. */
export function withMainThreadClip(original: tf.KernelFunc): tf.KernelFunc {
  const clip = (args: KernelArgs) => {
    const backend = wasmBackend(args);
    const { x } = args.inputs as { x: Info };
    const { clipValueMin, clipValueMax } = args.attrs as unknown as tf.ClipByValueAttrs;
    if (x.dtype !== 'float32') return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    const out = backend.makeOutput([...x.shape], 'float32');
    const src = backend.typedArrayFromHeap(x) as Float32Array;
    const dst = backend.typedArrayFromHeap(out) as Float32Array;
    const lo = Math.fround(clipValueMin);
    const hi = Math.fround(clipValueMax);
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      dst[i] = v > hi ? hi : v < lo ? lo : v;
    }
    return out;
  };
  return clip as unknown as tf.KernelFunc;
}
