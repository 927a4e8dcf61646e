/**
 * `OneHot` for wasm. The backend's kernel of tfjs 4.22 ignores the requested dtype and
 * writes int32 bits into float32 outputs, so `tf.oneHot(i, n, 1, 0, 'float32')` reads
 * back as 1.4e-45 instead of 1. This one writes values of the requested dtype.
 * @module
 */
import { tf } from '../tf.js';
import { marked, wasmBackend, type Info, type KernelArgs } from './wasm_util.js';

function oneHot(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { indices } = args.inputs as { indices: Info };
  const { depth, onValue, offValue, dtype } = args.attrs as unknown as tf.OneHotAttrs;
  const outDtype = (dtype ?? 'int32') as 'float32' | 'int32';
  const out = backend.makeOutput([...indices.shape, depth], outDtype);
  const ids = backend.typedArrayFromHeap(indices);
  const values = backend.typedArrayFromHeap(out);
  values.fill(offValue);
  for (let i = 0; i < ids.length; i++) {
    const k = ids[i]!;
    // Out-of-range indices give an all-off row, as TensorFlow does.
    if (k >= 0 && k < depth) values[i * depth + k] = onValue;
  }
  return out;
}

/** Kernel config for `OneHot` on wasm. */
export const oneHotConfig: tf.KernelConfig = {
  kernelName: 'OneHot',
  backendName: 'wasm',
  kernelFunc: marked(oneHot as unknown as tf.KernelFunc),
};
