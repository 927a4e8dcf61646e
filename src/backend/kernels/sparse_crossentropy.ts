/**
 * Sparse categorical cross-entropy from probabilities, as two kernels of strata's own for
 * wasm (`sparse_crossentropy.ts` one level up calls them): the per-entry loss, and its
 * gradient with respect to the probabilities. Keras renormalises the probabilities of each
 * entry to sum to 1 and clips the label's to `[ε, 1 − ε]` before the log; tfjs ops take
 * about 40 kernels (one-hot, sum, divide, clip, log, their gradients) for what is a few
 * thousand floats a batch, each kernel call costing more than its arithmetic.
 *
 * Entry `i` with label `y` in `[0, classes)`: `s = Σ_j p_ij`, `q = clip(p_iy / s, ε, 1 − ε)`,
 * loss `−log q`; gradient `dL/dp_ij = dy_i · g · (δ_jy / s − p_iy / s²)` with `g = −1/q` where
 * `ε ≤ p_iy / s ≤ 1 − ε` (the clip passes the gradient there, ends included) and 0 elsewhere.
 * A label outside `[0, classes)` contributes 0, as its all-zero one-hot row does in the
 * composite form (`fit` rejects such labels before training).
 * @module
 */
import type { tf } from '../tf.js';
import { alloc, f32, marked, requireFloat32, sizeOf, wasmBackend, type Info, type KernelArgs } from './wasm_util.js';

/** The loss kernel: inputs `probs` `[m, classes]` float32 and `labels` `[m]` int32; output `[m]`. */
export const SPARSE_CROSSENTROPY = 'StrataSparseCrossentropy';
/** The gradient kernel: inputs `dy` `[m]`, `probs`, `labels`; output `[m, classes]`. */
export const SPARSE_CROSSENTROPY_GRAD = 'StrataSparseCrossentropyGrad';

/** The attributes of both kernels. */
export interface SparseCrossentropyAttrs {
  /** The clip ε (Keras' `epsilon()`, 1e-7). */
  epsilon: number;
}

function labelOf(labels: Int32Array, i: number, classes: number): number {
  const y = labels[i]!;
  return y >= 0 && y < classes ? y : -1;
}

/** `Σ_j p_ij` in float32, in order (as the composite's `Sum`). */
function rowSum(p: Float32Array, at: number, classes: number): number {
  let s = 0;
  for (let j = 0; j < classes; j++) s = Math.fround(s + p[at + j]!);
  return s;
}

function forward(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { probs, labels } = args.inputs as { probs: Info; labels: Info };
  const { epsilon } = args.attrs as unknown as SparseCrossentropyAttrs;
  requireFloat32(SPARSE_CROSSENTROPY, { probs });
  const classes = probs.shape[probs.shape.length - 1]!;
  const m = sizeOf(labels.shape);
  const out = alloc(backend, [m]);
  const p = f32(backend, probs);
  const y = backend.typedArrayFromHeap(labels) as Int32Array;
  const loss = f32(backend, out);
  const lo = Math.fround(epsilon);
  const hi = Math.fround(1 - epsilon);
  for (let i = 0; i < m; i++) {
    const label = labelOf(y, i, classes);
    if (label < 0) {
      loss[i] = 0;
      continue;
    }
    const q = Math.fround(p[i * classes + label]! / rowSum(p, i * classes, classes));
    loss[i] = -Math.log(q > hi ? hi : q < lo ? lo : q);
  }
  return out;
}

function gradient(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { dy, probs, labels } = args.inputs as { dy: Info; probs: Info; labels: Info };
  const { epsilon } = args.attrs as unknown as SparseCrossentropyAttrs;
  requireFloat32(SPARSE_CROSSENTROPY_GRAD, { dy, probs });
  const classes = probs.shape[probs.shape.length - 1]!;
  const m = sizeOf(labels.shape);
  const out = alloc(backend, [...probs.shape]);
  const p = f32(backend, probs);
  const y = backend.typedArrayFromHeap(labels) as Int32Array;
  const g = f32(backend, dy);
  const dp = f32(backend, out);
  const lo = Math.fround(epsilon);
  const hi = Math.fround(1 - epsilon);
  for (let i = 0; i < m; i++) {
    const at = i * classes;
    const label = labelOf(y, i, classes);
    const s = label < 0 ? 0 : rowSum(p, at, classes);
    const q = label < 0 ? 0 : Math.fround(p[at + label]! / s);
    if (label < 0 || !(q >= lo && q <= hi)) {
      dp.fill(0, at, at + classes);
      continue;
    }
    // dL/dq = −dy/q; dq/dp_j = δ_jy/s − p_y/s².
    const dq = -g[i]! / q;
    const common = -dq * (p[at + label]! / (s * s));
    for (let j = 0; j < classes; j++) dp[at + j] = common;
    dp[at + label] = common + dq / s;
  }
  return out;
}

/** The wasm kernel configs. */
export const sparseCrossentropyConfigs: tf.KernelConfig[] = [
  { kernelName: SPARSE_CROSSENTROPY, backendName: 'wasm', kernelFunc: marked(forward) as unknown as tf.KernelFunc },
  { kernelName: SPARSE_CROSSENTROPY_GRAD, backendName: 'wasm', kernelFunc: marked(gradient) as unknown as tf.KernelFunc },
];
