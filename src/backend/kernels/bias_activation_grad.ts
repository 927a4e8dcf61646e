/**
 * `StrataBiasActivationGrad`, strata's own kernel for the backward pass of a layer's
 * bias and activation (`fused.ts` calls it from the gradients of fused dense and
 * convolution layers): from the incoming gradient `dy` and the activation's output `y`
 * (same shape, channels last) it returns `dz = dy · act'(y)` (for `softmax` over the last
 * axis, `y · (dy − Σ dy·y)`) and, with `hasBias`, the bias gradient `db` (the sum of `dz`
 * over every axis but the last).
 *
 * On wasm it is one SIMD pass (`simd_activation_grad.ts`) where the channel count is a
 * multiple of 4, blocks of rows shared across strata's product threads, and a JS loop
 * otherwise. The bias sums add blocks of 256 rows in float32, then the blocks in order in
 * float64, so a convolution's tens of thousands of rows do not drift and the sums do not
 * depend on the thread count.
 * @module
 */
import type { tf } from '../tf.js';
import { sharedCall } from './gemm.js';
import { callActivationGrad } from './pool_calls.js';
import { simdActivationGradFor, SIMD_GRAD_ACTIVATIONS, type GradActivation } from './simd_activation_grad.js';
import { alloc, f32, free, heapMemory, heapOffset, marked, requireFloat32, sizeOf, wasmBackend, zeroFill, type Info, type KernelArgs } from './wasm_util.js';

/** The kernel's registered name. */
export const BIAS_ACTIVATION_GRAD = 'StrataBiasActivationGrad';

/** Activations the kernel differentiates: the SIMD ones, and `softmax` over the last axis. */
export type TailActivation = GradActivation | 'softmax';

/** The kernel's attributes. */
export interface BiasActivationGradAttrs {
  /** The layer's activation: `linear`, `relu`, `relu6`, `sigmoid`, `elu` or `softmax`. */
  activation: TailActivation;
  /** Whether to return the bias gradient as a second output. */
  hasBias: boolean;
}

/** Whether `name` is an activation this kernel differentiates. */
export function isGradActivation(name: string): name is TailActivation {
  return name === 'softmax' || (SIMD_GRAD_ACTIVATIONS as readonly string[]).includes(name);
}

/** `dz = y · (dy − Σ_j dy_j y_j)` row by row (the softmax's gradient), with the column sums. */
function softmaxLoop(dy: Float32Array, y: Float32Array, dz: Float32Array, sums: Float64Array): void {
  const c = sums.length;
  for (let i = 0; i < dy.length; i += c) {
    let dot = 0;
    for (let j = 0; j < c; j++) dot += dy[i + j]! * y[i + j]!;
    for (let j = 0; j < c; j++) {
      const d = Math.fround(y[i + j]! * (dy[i + j]! - dot));
      dz[i + j] = d;
      sums[j] = sums[j]! + d;
    }
  }
}

const BLOCK_ROWS = 256;

/** The derivative of `activation` at output `v`, times `g`, as TensorFlow defines it. */
function scalarGrad(activation: GradActivation, g: number, v: number): number {
  switch (activation) {
    case 'linear': return g;
    case 'relu': return v > 0 ? g : 0;
    case 'relu6': return v > 0 && v < 6 ? g : 0;
    case 'sigmoid': return g * (v * (1 - v));
    case 'elu': return v > 0 ? g : g * (v + 1);
  }
}

/** The scalar loop; `dz` null for `linear` (whose `dz` is `dy`). */
function jsLoop(activation: GradActivation, dy: Float32Array, y: Float32Array, dz: Float32Array | null, sums: Float64Array): void {
  const c = sums.length;
  for (let i = 0; i < dy.length; i += c) {
    for (let j = 0; j < c; j++) {
      const d = Math.fround(scalarGrad(activation, dy[i + j]!, y[i + j]!));
      if (dz) dz[i + j] = d;
      sums[j] = sums[j]! + d;
    }
  }
}

function biasActivationGrad(args: KernelArgs): Info[] {
  const backend = wasmBackend(args);
  const { dy, y } = args.inputs as { dy: Info; y: Info };
  const { activation, hasBias } = args.attrs as unknown as BiasActivationGradAttrs;
  requireFloat32(BIAS_ACTIVATION_GRAD, { dy, y });
  const c = dy.shape.length === 0 ? 1 : dy.shape[dy.shape.length - 1]!;
  const rows = c === 0 ? 0 : sizeOf(dy.shape) / c;
  let dz: Info;
  if (activation === 'linear') {
    backend.incRef(dy.dataId);
    dz = { dataId: dy.dataId, shape: dy.shape, dtype: 'float32' };
  } else {
    dz = alloc(backend, [...dy.shape]);
  }
  const db = alloc(backend, [c]);
  const sums = new Float64Array(c);
  const memory = heapMemory(backend);
  const loops = memory && c % 4 === 0 && activation !== 'softmax' ? simdActivationGradFor(memory) : null;
  if (activation === 'softmax') {
    softmaxLoop(f32(backend, dy), f32(backend, y), f32(backend, dz), sums);
  } else if (loops) {
    // Each block of rows sums into a row of its own, whichever thread takes it; the blocks
    // are then added in order, so the result does not depend on the threads. The rows are
    // cache lines apart: blocks on different threads adding into one line (every row of the
    // block adds to it) ran slower on 2 threads than on one.
    const rowBytes = c * 4;
    const sumStride = Math.ceil(rowBytes / 64) * 64 + 64;
    const blocks = Math.ceil(rows / BLOCK_ROWS);
    const partial = alloc(backend, [Math.max(blocks, 1) * (sumStride / 4)]);
    zeroFill(backend, partial);
    const [pDy, pY, pDz, pPartial] = [heapOffset(backend, dy), heapOffset(backend, y), heapOffset(backend, dz), heapOffset(backend, partial)];
    const full = Math.floor(rows / BLOCK_ROWS);
    const blockBytes = BLOCK_ROWS * rowBytes;
    const args = [pDy, pY, pDz, pPartial, BLOCK_ROWS, rowBytes];
    const fn = callActivationGrad(activation as GradActivation);
    if (full > 0 && !sharedCall(backend, fn, args, [blockBytes, blockBytes, blockBytes, sumStride, 0, 0], full, 8 * full * BLOCK_ROWS * c)) {
      for (let b = 0; b < full; b++) loops[activation as GradActivation](pDy + b * blockBytes, pY + b * blockBytes, pDz + b * blockBytes, pPartial + b * sumStride, BLOCK_ROWS, rowBytes);
    }
    if (full < blocks) {
      const at = full * blockBytes;
      loops[activation as GradActivation](pDy + at, pY + at, pDz + at, pPartial + full * sumStride, rows - full * BLOCK_ROWS, rowBytes);
    }
    const view = f32(backend, partial);
    for (let b = 0; b < blocks; b++) {
      for (let j = 0; j < c; j++) sums[j] = sums[j]! + view[b * (sumStride / 4) + j]!;
    }
    free(backend, partial);
  } else {
    jsLoop(activation as GradActivation, f32(backend, dy), f32(backend, y), activation === 'linear' ? null : f32(backend, dz), sums);
  }
  if (!hasBias) {
    free(backend, db);
    return [dz];
  }
  f32(backend, db).set(sums);
  return [dz, db];
}

/** The wasm kernel config. */
export const biasActivationGradConfig: tf.KernelConfig = {
  kernelName: BIAS_ACTIVATION_GRAD,
  backendName: 'wasm',
  kernelFunc: marked(biasActivationGrad) as unknown as tf.KernelFunc,
};
