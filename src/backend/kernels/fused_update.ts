/**
 * Fused optimizer updates for the wasm backend: one pass over a variable, its slots and
 * its gradient, written in place on the heap, instead of the ~10 tensor ops (each a pass
 * and an allocation) the op-by-op formulas cost. Nothing is read back to the host.
 *
 * In place is safe only when nothing else sees the buffers: each variable and slot must be
 * the sole owner of its data (tfjs shares data between tensors, e.g. `clone`), all float32
 * on the wasm backend. Otherwise the functions return false and the optimizer runs its ops.
 * @module
 */
import { tf } from '../tf.js';
import { simdUpdatesFor, type SimdUpdates } from './simd_update.js';
import { sharedCall } from './gemm.js';
import { CALL_ADAM } from './pool_calls.js';
import { alloc, f32, free, heapMemory, heapOffset, type Info, type WasmBackend } from './wasm_util.js';

/** The wasm backend if it is the active one, else undefined. */
function activeWasm(): WasmBackend | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  return tf.backend() as unknown as WasmBackend;
}

/** Whether `t` is float32 on this backend with no other tensor sharing its data. */
function soleOwner(backend: WasmBackend, t: tf.Tensor): boolean {
  if (t.dtype !== 'float32' || t.isDisposed) return false;
  const dataId = t.dataId as object;
  if (!backend.dataIdMap.has(dataId)) return false;
  // The backend counts every tensor and variable holding the data (tfjs shares data on
  // `clone`, `reshape`, `tf.variable(x)` and `assign`).
  return backend.refCount(dataId) === 1;
}

interface WasmData {
  id: number;
  memoryOffset: number;
}

interface WasmModuleTfjs {
  tfjs: { disposeData(id: number): void; registerTensor(id: number, size: number, memoryOffset: number): void };
}

/**
 * Tells the backend's C++ side that the tensors' data changed in place. tfjs assumes
 * tensors never change: its XNNPACK operators (matMul, convolutions) pack a weight once
 * and cache the packed copy under the weight's id until the id is disposed. Re-registering
 * the id at the same memory drops those caches, so the next product packs the new values
 * (as it would for the new tensor an op-by-op update makes).
 */
export function invalidatePacked(tensors: tf.Tensor[]): void {
  const backend = activeWasm();
  if (!backend) return;
  const module = backend.wasm as unknown as WasmModuleTfjs;
  for (const t of tensors) {
    const d = backend.dataIdMap.get(t.dataId as object) as unknown as WasmData | undefined;
    if (!d) continue;
    module.tfjs.disposeData(d.id);
    module.tfjs.registerTensor(d.id, t.size, d.memoryOffset);
  }
}

/** Heap views of the targets (written) and the gradient (read), or undefined if not fusable. */
function views(targets: tf.Tensor[], g: tf.Tensor): Float32Array[] | undefined {
  const backend = activeWasm();
  if (!backend || g.dtype !== 'float32' || !backend.dataIdMap.has(g.dataId as object)) return undefined;
  if (!targets.every((t) => soleOwner(backend, t) && t.size === g.size)) return undefined;
  // Distinct buffers only: a slot aliasing the variable would be updated twice.
  if (new Set(targets.map((t) => t.dataId)).size !== targets.length) return undefined;
  return [...targets, g].map((t) => backend.typedArrayFromHeap(t as unknown as tf.TensorInfo) as Float32Array);
}

/**
 * The SIMD loops bound to the active wasm backend's heap, and the byte offsets of the
 * tensors; undefined where they are unavailable (the JavaScript loops then do all).
 */
function simd(tensors: tf.Tensor[]): { f: SimdUpdates; at: number[] } | undefined {
  const backend = activeWasm();
  const memory = backend ? heapMemory(backend) : undefined;
  if (!backend || !memory) return undefined;
  const f = simdUpdatesFor(memory);
  if (!f) return undefined;
  return { f, at: tensors.map((t) => heapOffset(backend, t as unknown as Info)) };
}

/** Parameters of one Adam step (Keras formulas; the bias correction folded into `alpha`). */
export interface AdamStep {
  /** `lr · sqrt(1 - beta2^t) / (1 - beta1^t)`. */
  alpha: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Factor applied to the variable before the update (decoupled weight decay); 1 for none. */
  decay: number;
}

/**
 * `m = b1·m + (1-b1)·g; v = b2·v + (1-b2)·g²; [vHat = max(vHat, v)];
 * w = decay·w - alpha·m / (sqrt(vHat or v) + eps)`, in one pass. False when not fusable.
 */
export function fusedAdam(w: tf.Variable, m: tf.Variable, v: tf.Variable, vHat: tf.Variable | undefined, g: tf.Tensor, p: AdamStep): boolean {
  const vs = views(vHat ? [w, m, v, vHat] : [w, m, v], g);
  if (!vs) return false;
  const [W, M, V] = vs as [Float32Array, Float32Array, Float32Array];
  const G = vs[vs.length - 1]!;
  if (vHat) {
    adamLoopAmsgrad(W, M, V, vs[3]!, G, p);
    invalidatePacked([w]);
    return true;
  }
  // Four at a time in wasm SIMD (runs of ADAM_RUN across the pool's threads for a large
  // variable), the last n mod 4 in JavaScript.
  const s = simd([w, m, v, g]);
  const head = s ? G.length & ~3 : 0;
  if (s) {
    const [pw, pm, pv, pg] = s.at as [number, number, number, number];
    const scalars = [p.alpha, p.beta1, 1 - p.beta1, p.beta2, 1 - p.beta2, p.epsilon, p.decay] as const;
    const done = head >= 2 * ADAM_RUN ? sharedAdam(s.at, head, scalars) : 0;
    if (head > done) s.f.adam(pw + 4 * done, pm + 4 * done, pv + 4 * done, pg + 4 * done, (head - done) * 4, ...scalars);
  }
  adamLoop(W, M, V, G, p, head);
  invalidatePacked([w]);
  return true;
}

/** Floats of one part of a shared Adam update: four runs of 64 KiB stay in a core's cache. */
const ADAM_RUN = 16384;
/**
 * The cost an element is given when deciding whether to wake the pool's workers: variables
 * of 2¹⁷ elements or more wake them, smaller ones run on the calling thread. Measured
 * (paired runs in one process, two threads, per step, against the update on the calling
 * thread alone): MLP fit at batch 128 2.661 → 2.581 ms and 2.986 → 2.918 ms (its first layer
 * has 200,704 weights), batch 32 1.429 → 1.411 and 1.190 → 1.171 ms, LSTM fit −1.8 %, CNN
 * fit unchanged (+1.1 %, within the noise). Costed at 16 an element (never waking), the
 * MLP ran 2–3 % slower than alone.
 */
const ADAM_COST = 128;

/**
 * Adam over the first whole runs of `ADAM_RUN` floats of the variable at heap offsets `at`
 * (w, m, v, g) as a call job of the pool (`adamPacked`, the scalars written to the heap),
 * shared across the threads; returns how many floats it updated (0 where the pool's loops
 * are unavailable). Elementwise, so the bits do not depend on who updates what.
 */
function sharedAdam(at: number[], head: number, scalars: readonly number[]): number {
  const backend = activeWasm()!;
  const runs = Math.floor(head / ADAM_RUN);
  const params = alloc(backend, [scalars.length]);
  try {
    f32(backend, params).set(scalars);
    const bytes = 4 * ADAM_RUN;
    const args = [...at, bytes, heapOffset(backend, params)];
    return sharedCall(backend, CALL_ADAM, args, [bytes, bytes, bytes, bytes, 0, 0], runs, ADAM_COST * runs * ADAM_RUN) ? runs * ADAM_RUN : 0;
  } finally {
    free(backend, params);
  }
}

// Separate monomorphic loops (no optional slot inside the loop) let V8 keep them tight:
// about a quarter faster than one loop with a branch, measured on 269k-element variables.
function adamLoop(W: Float32Array, M: Float32Array, V: Float32Array, G: Float32Array, p: AdamStep, from = 0): void {
  const { alpha, beta1, beta2, epsilon, decay } = p;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const n = G.length;
  for (let i = from; i < n; i++) {
    const gi = G[i]!;
    const mi = beta1 * M[i]! + c1 * gi;
    const vi = beta2 * V[i]! + c2 * gi * gi;
    M[i] = mi;
    V[i] = vi;
    W[i] = decay * W[i]! - (alpha * mi) / (Math.sqrt(vi) + epsilon);
  }
}

function adamLoopAmsgrad(W: Float32Array, M: Float32Array, V: Float32Array, H: Float32Array, G: Float32Array, p: AdamStep): void {
  const { alpha, beta1, beta2, epsilon, decay } = p;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const n = G.length;
  for (let i = 0; i < n; i++) {
    const gi = G[i]!;
    const mi = beta1 * M[i]! + c1 * gi;
    const vi = beta2 * V[i]! + c2 * gi * gi;
    M[i] = mi;
    V[i] = vi;
    const d = Math.max(H[i]!, vi);
    H[i] = d;
    W[i] = decay * W[i]! - (alpha * mi) / (Math.sqrt(d) + epsilon);
  }
}

/** Parameters of one SGD-with-momentum step (Keras formulas). */
export interface MomentumStep {
  lr: number;
  momentum: number;
  nesterov: boolean;
  /** Factor applied to the variable before the update (decoupled weight decay); 1 for none. */
  decay: number;
}

/**
 * `u = mu·u - lr·g; w = decay·w + (nesterov ? mu·u - lr·g : u)`, in one pass. False when
 * not fusable.
 */
export function fusedMomentum(w: tf.Variable, u: tf.Variable, g: tf.Tensor, p: MomentumStep): boolean {
  const vs = views([w, u], g);
  if (!vs) return false;
  const [W, U, G] = vs as [Float32Array, Float32Array, Float32Array];
  const { lr, momentum: mu, nesterov, decay } = p;
  const n = G.length;
  const s = simd([w, u, g]);
  const head = s ? n & ~3 : 0;
  if (s) {
    const [pw, pu, pg] = s.at as [number, number, number];
    s.f.momentum(pw, pu, pg, head * 4, lr, mu, decay, nesterov ? mu : 1, nesterov ? lr : 0);
  }
  if (nesterov) {
    for (let i = head; i < n; i++) {
      const step = lr * G[i]!;
      const ui = mu * U[i]! - step;
      U[i] = ui;
      W[i] = decay * W[i]! + mu * ui - step;
    }
  } else {
    for (let i = head; i < n; i++) {
      const ui = mu * U[i]! - lr * G[i]!;
      U[i] = ui;
      W[i] = decay * W[i]! + ui;
    }
  }
  invalidatePacked([w]);
  return true;
}

/** Parameters of one RMSprop step (Keras formulas). */
export interface RmspropStep {
  lr: number;
  rho: number;
  epsilon: number;
  /** Momentum factor; 0 for none (then `mom` is absent). */
  momentum: number;
  /** Factor applied to the variable before the update (decoupled weight decay); 1 for none. */
  decay: number;
}

/**
 * `v = rho·v + (1-rho)·g²; [a = rho·a + (1-rho)·g; d = v - a²]; inc = lr·g / sqrt(d + eps);
 * [mom = momentum·mom + inc; inc = mom]; w = decay·w - inc`, in one pass. `avg` is the
 * centered variant's mean gradient. False when not fusable.
 */
export function fusedRmsprop(
  w: tf.Variable, vel: tf.Variable, avg: tf.Variable | undefined, mom: tf.Variable | undefined, g: tf.Tensor, p: RmspropStep,
): boolean {
  const targets = [w, vel, ...(avg ? [avg] : []), ...(mom ? [mom] : [])];
  const vs = views(targets, g);
  if (!vs) return false;
  const W = vs[0]!;
  const V = vs[1]!;
  const A = avg ? vs[2]! : undefined;
  const P = mom ? vs[avg ? 3 : 2]! : undefined;
  const G = vs[vs.length - 1]!;
  const { lr, rho, epsilon, momentum, decay } = p;
  const c = 1 - rho;
  const n = G.length;
  if (!A && !P) {
    // The default (plain) RMSprop: four at a time in wasm SIMD, the rest in JavaScript.
    const s = simd([w, vel, g]);
    const head = s ? n & ~3 : 0;
    if (s) {
      const [pw, pv, pg] = s.at as [number, number, number];
      s.f.rmsprop(pw, pv, pg, head * 4, lr, rho, c, epsilon, decay);
    }
    for (let i = head; i < n; i++) {
      const gi = G[i]!;
      const vi = rho * V[i]! + c * gi * gi;
      V[i] = vi;
      W[i] = decay * W[i]! - (lr * gi) / Math.sqrt(vi + epsilon);
    }
    invalidatePacked([w]);
    return true;
  }
  for (let i = 0; i < n; i++) {
    const gi = G[i]!;
    const vi = Math.fround(rho * V[i]! + c * gi * gi);
    V[i] = vi;
    let d = vi;
    if (A) {
      const ai = Math.fround(rho * A[i]! + c * gi);
      A[i] = ai;
      d = vi - ai * ai;
    }
    let inc = (lr * gi) / Math.sqrt(d + epsilon);
    if (P) {
      inc = Math.fround(momentum * P[i]! + inc);
      P[i] = inc;
    }
    W[i] = decay * W[i]! - inc;
  }
  invalidatePacked([w]);
  return true;
}
