/**
 * `Identity` for wasm without the copy. The backend's copies the whole tensor; tfjs
 * tensors are immutable, so sharing the data (one more reference, as the wasm `Reshape`
 * and the cpu `Identity` do) is enough. Gradients call it often (`cast` to the same
 * dtype, `clone`): in a small MNIST CNN's training step it copied about 40 MB per step.
 * @module
 */
import { tf } from '../tf.js';
import { wasmBackend, type Info, type KernelArgs } from './wasm_util.js';

/** Wraps the wasm `Identity` kernel function so that numeric tensors share their data. */
export function withSharedData(original: tf.KernelFunc): tf.KernelFunc {
  const identity = (args: KernelArgs) => {
    const { x } = args.inputs as { x: Info };
    if (x.dtype === 'string') return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    wasmBackend(args).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return identity as unknown as tf.KernelFunc;
}
