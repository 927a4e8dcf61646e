/**
 * Small helpers for kernels that work on the wasm backend's heap from JavaScript.
 * @module
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../tf.js';
import { StrataError } from '../../engine/errors.js';
import { zeroHeap } from './heap_fill.js';

/** The wasm backend as kernels receive it. */
export type WasmBackend = BackendWasm;

/** A kernel's tensor handle: data id, shape and dtype. */
export type Info = tf.TensorInfo;

/** The argument every kernel function receives. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** Marks kernel and gradient functions installed by strata, so registration can tell them apart. */
export const STRATA_MARK = Symbol.for('strata.wasmKernel');

/** Tags a function as strata's and returns it. */
export function marked<F extends object>(fn: F): F {
  Object.defineProperty(fn, STRATA_MARK, { value: true });
  return fn;
}

/** Whether a function was installed by strata (from any copy of this module). */
export function isMarked(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[STRATA_MARK] === true;
}

/** The wasm backend handed to a kernel. */
export function wasmBackend(args: KernelArgs): WasmBackend {
  return args.backend as WasmBackend;
}

/** Runs the wasm kernel currently registered under `name`; the caller owns the result. */
export function runKernel(
  backend: WasmBackend,
  name: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): Info {
  const config = tf.getKernel(name, 'wasm');
  if (!config) {
    throw new StrataError(`wasm kernels: kernel '${name}' is not registered for backend 'wasm'`);
  }
  return config.kernelFunc({ inputs, backend, attrs }) as Info;
}

/**
 * A Float32Array over a tensor's bytes on the heap. Any allocation may grow (and so
 * move) the heap, so take views only after every buffer of a step is allocated.
 */
export function f32(backend: WasmBackend, info: Info): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** The wasm backend's heap as a `WebAssembly.Memory` (shared on the threaded build), if the module exposes it. */
export function heapMemory(backend: WasmBackend): WebAssembly.Memory | undefined {
  const module = backend.wasm as unknown as { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  return module.wasmMemory ?? module.asm?.memory;
}

/** A tensor's byte offset in the heap. */
export function heapOffset(backend: WasmBackend, info: Info): number {
  return (backend.dataIdMap.get(info.dataId as object) as { memoryOffset: number }).memoryOffset;
}

/** A new uninitialised float32 tensor on the heap. */
export function alloc(backend: WasmBackend, shape: number[]): Info {
  return backend.makeOutput(shape, 'float32');
}

/** Zeroes a tensor's bytes on the heap (fast on shared memory too: see `heap_fill.ts`). */
export function zeroFill(backend: WasmBackend, info: Info): void {
  const memory = heapMemory(backend);
  const bytes = sizeOf(info.shape) * 4;
  if (memory) zeroHeap(memory, heapOffset(backend, info), bytes);
  else f32(backend, info).fill(0);
}

/** A new float32 tensor of zeros. */
export function zeros(backend: WasmBackend, shape: number[]): Info {
  const out = alloc(backend, shape);
  zeroFill(backend, out);
  return out;
}

/** Releases intermediate tensors a kernel made. */
export function free(backend: WasmBackend, ...infos: Info[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** The same data seen with another shape of equal size; only for passing to kernels. */
export function viewAs(info: Info, shape: number[]): Info {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** Transposes with the wasm kernel; the caller owns the result. */
export function transpose(backend: WasmBackend, x: Info, perm: number[]): Info {
  return runKernel(backend, 'Transpose', { x }, { perm });
}

/** A fresh copy of a tensor's data (a new data id). */
export function copy(backend: WasmBackend, x: Info, shape: number[] = x.shape): Info {
  const out = backend.makeOutput(shape, x.dtype);
  const src = backend.typedArrayFromHeap(x);
  (backend.typedArrayFromHeap(out) as Float32Array).set(src as Float32Array);
  return out;
}

/** Matrix product through the registered `BatchMatMul` (strata's wrapper); the caller owns the result. */
export function matMul(backend: WasmBackend, a: Info, b: Info, transposeA = false, transposeB = false): Info {
  return runKernel(backend, 'BatchMatMul', { a, b }, { transposeA, transposeB });
}

/** Product of a shape's dimensions. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Throws unless every input is float32 (the only dtype these kernels compute in). */
export function requireFloat32(kernel: string, inputs: Record<string, Info>): void {
  for (const [name, info] of Object.entries(inputs)) {
    if (info.dtype !== 'float32') {
      throw new StrataError(`wasm kernel ${kernel}: input '${name}' must be float32; got ${info.dtype}`);
    }
  }
}
