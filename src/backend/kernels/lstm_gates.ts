/**
 * One LSTM time step after its products, as two kernels of strata's own for wasm
 * (`lstm_gates.ts` one level up calls them): the gates and new states from the
 * pre-activations, and their gradient. tfjs ops take a split, three sigmoids, two tanhs,
 * three products and an add forward, and about twenty kernels backward, for a few
 * thousand floats a step: the bench LSTM (100 steps) ran 6,604 kernel calls a batch, and
 * 1,707 with these two.
 *
 * Keras' gate order i, f, c, o; `z` `[b, 4u]` holds the four blocks of `u` columns, row by
 * row. Forward: `i = σ(z_i)`, `f = σ(z_f)`, `g = tanh(z_c)`, `o = σ(z_o)`,
 * `c' = f·c + i·g`, `h = o·tanh(c')`. Backward, from `dh` and `dc'`:
 * `dc'' = dc' + dh·o·(1 − tanh²c')`; `dz = [dc''·g·i(1−i), dc''·c·f(1−f), dc''·i·(1−g²),
 * dh·tanh c'·o(1−o)]`, `dc = dc''·f`. The activations run in the SIMD loops of
 * `simd_sigmoid.ts` (as `Sigmoid` and `Tanh` do on wasm), the rest in those of
 * `simd_lstm.ts`; where `u` is not a multiple of 4 (or without SIMD), `Math` and plain loops
 * take what the SIMD loops cannot.
 * @module
 */
import type { tf } from '../tf.js';
import { simdLstmFor } from './simd_lstm.js';
import { activationOn } from './simd_sigmoid.js';
import { alloc, f32, heapMemory, heapOffset, marked, requireFloat32, wasmBackend, type Info, type KernelArgs } from './wasm_util.js';

/** The forward kernel: inputs `z` `[b, 4u]` and `c` `[b, u]`; outputs `h`, `c'`, the activated gates `[b, 4u]` and `tanh c'`. */
export const LSTM_GATES = 'StrataLstmGates';
/** The gradient kernel: inputs `dh`, `dc` (of `c'`), `gates`, `c`, `tc` (`tanh c'`); outputs `dz` `[b, 4u]` and `dc` `[b, u]`. */
export const LSTM_GATES_GRAD = 'StrataLstmGatesGrad';

function forward(args: KernelArgs): Info[] {
  const backend = wasmBackend(args);
  const { z, c } = args.inputs as { z: Info; c: Info };
  requireFloat32(LSTM_GATES, { z, c });
  const [b, u] = c.shape as [number, number];
  const gates = alloc(backend, [b, 4 * u]);
  const tc = alloc(backend, [b, u]);
  const cNew = alloc(backend, [b, u]);
  const h = alloc(backend, [b, u]);
  const apply = activationOn(heapMemory(backend)!);
  const [zAt, gAt] = [heapOffset(backend, z), heapOffset(backend, gates)];
  const row = 16 * u;
  for (let r = 0; r < b; r++) {
    // i and f side by side, then g, then o.
    apply('sigmoid', zAt + r * row, gAt + r * row, 2 * u);
    apply('tanh', zAt + r * row + 8 * u, gAt + r * row + 8 * u, u);
    apply('sigmoid', zAt + r * row + 12 * u, gAt + r * row + 12 * u, u);
  }
  const simd = u % 4 === 0 ? simdLstmFor(heapMemory(backend)!) : null;
  if (simd) simd.cell(gAt, heapOffset(backend, c), heapOffset(backend, cNew), b, 4 * u);
  else {
    const [g, c0, c1] = [f32(backend, gates), f32(backend, c), f32(backend, cNew)];
    for (let r = 0; r < b; r++) {
      const at = r * 4 * u;
      for (let j = 0; j < u; j++) c1[r * u + j] = g[at + u + j]! * c0[r * u + j]! + g[at + j]! * g[at + 2 * u + j]!;
    }
  }
  apply('tanh', heapOffset(backend, cNew), heapOffset(backend, tc), b * u);
  if (simd) simd.out(gAt, heapOffset(backend, tc), heapOffset(backend, h), b, 4 * u);
  else {
    const [g, t, out] = [f32(backend, gates), f32(backend, tc), f32(backend, h)];
    for (let r = 0; r < b; r++) {
      const at = r * 4 * u + 3 * u;
      for (let j = 0; j < u; j++) out[r * u + j] = g[at + j]! * t[r * u + j]!;
    }
  }
  return [h, cNew, gates, tc];
}

function gradient(args: KernelArgs): Info[] {
  const backend = wasmBackend(args);
  const { dh, dc, gates, c, tc } = args.inputs as { dh: Info; dc: Info; gates: Info; c: Info; tc: Info };
  requireFloat32(LSTM_GATES_GRAD, { dh, dc, gates, c, tc });
  const [b, u] = c.shape as [number, number];
  const dzInfo = alloc(backend, [b, 4 * u]);
  const dcInfo = alloc(backend, [b, u]);
  const simd = u % 4 === 0 ? simdLstmFor(heapMemory(backend)!) : null;
  if (simd) {
    const at = (x: Info) => heapOffset(backend, x);
    simd.grad(at(dh), at(dc), at(gates), at(c), at(tc), at(dzInfo), at(dcInfo), b, 4 * u);
    return [dzInfo, dcInfo];
  }
  const [gH, gC, g, c0, t] = [f32(backend, dh), f32(backend, dc), f32(backend, gates), f32(backend, c), f32(backend, tc)];
  const [dz, dPrev] = [f32(backend, dzInfo), f32(backend, dcInfo)];
  for (let r = 0; r < b; r++) {
    for (let j = 0; j < u; j++) {
      const s = r * u + j;
      const at = r * 4 * u + j;
      const i = g[at]!, f = g[at + u]!, gg = g[at + 2 * u]!, o = g[at + 3 * u]!;
      const th = t[s]!;
      const d = gC[s]! + gH[s]! * o * (1 - th * th);
      dz[at] = d * gg * i * (1 - i);
      dz[at + u] = d * c0[s]! * f * (1 - f);
      dz[at + 2 * u] = d * i * (1 - gg * gg);
      dz[at + 3 * u] = gH[s]! * th * o * (1 - o);
      dPrev[s] = d * f;
    }
  }
  return [dzInfo, dcInfo];
}

/** Kernel configs for the LSTM step and its gradient on wasm. */
export const lstmGatesConfigs: tf.KernelConfig[] = [
  { kernelName: LSTM_GATES, backendName: 'wasm', kernelFunc: marked(forward as unknown as tf.KernelFunc) },
  { kernelName: LSTM_GATES_GRAD, backendName: 'wasm', kernelFunc: marked(gradient as unknown as tf.KernelFunc) },
];
