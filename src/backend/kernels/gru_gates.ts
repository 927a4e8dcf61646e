/**
 * One GRU time step after its products (Keras 3's default `resetAfter`), as two kernels
 * of strata's own for wasm (`gru_gates.ts` one level up calls them), as `lstm_gates.ts` does
 * for the LSTM. Gate order z, r, h; `xp` `[b, 3u]` is the projected input with its bias,
 * `inner` `[b, 3u]` the recurrent product `h·U` with the recurrent bias.
 *
 * Forward: `z = σ(xp_z + inner_z)`, `r = σ(xp_r + inner_r)`,
 * `ĥ = tanh(xp_h + r·inner_h)`, `h' = z·h + (1 − z)·ĥ`; it also returns `[z, r, ĥ]` for the
 * gradient. Backward, from `dh'`: `a = dh'·(1 − z)·(1 − ĥ²)` (the tanh's input),
 * `dxp = [dh'·(h − ĥ)·z(1 − z), a·inner_h·r(1 − r), a]`, `dinner = [dxp_z, dxp_r, a·r]`,
 * `dh = dh'·z`. Activations in the SIMD loops of `simd_sigmoid.ts`, the rest in plain loops.
 * @module
 */
import type { tf } from '../tf.js';
import { activationOn } from './simd_sigmoid.js';
import { alloc, f32, heapMemory, heapOffset, marked, requireFloat32, wasmBackend, type Info, type KernelArgs } from './wasm_util.js';

/** The forward kernel: inputs `xp`, `inner` `[b, 3u]`, `h` `[b, u]`; outputs `h'` and the gates `[z, r, ĥ]` `[b, 3u]`. */
export const GRU_GATES = 'StrataGruGates';
/** The gradient kernel: inputs `dh` (of `h'`), `gates`, `inner`, `h`; outputs `dxp`, `dinner` `[b, 3u]` and `dh` `[b, u]`. */
export const GRU_GATES_GRAD = 'StrataGruGatesGrad';

function forward(args: KernelArgs): Info[] {
  const backend = wasmBackend(args);
  const { xp, inner, h } = args.inputs as { xp: Info; inner: Info; h: Info };
  requireFloat32(GRU_GATES, { xp, inner, h });
  const [b, u] = h.shape as [number, number];
  const gatesInfo = alloc(backend, [b, 3 * u]);
  const hInfo = alloc(backend, [b, u]);
  const apply = activationOn(heapMemory(backend)!);
  const [x, m, h0, g, out] = [f32(backend, xp), f32(backend, inner), f32(backend, h), f32(backend, gatesInfo), f32(backend, hInfo)];
  // Pre-activations into the gates' buffer, then the activations in place.
  for (let r = 0; r < b; r++) {
    const at = r * 3 * u;
    for (let j = 0; j < 2 * u; j++) g[at + j] = x[at + j]! + m[at + j]!;
  }
  const gAt = heapOffset(backend, gatesInfo);
  const act = (kind: 'sigmoid' | 'tanh', start: number, count: number) => apply(kind, gAt + 4 * start, gAt + 4 * start, count);
  for (let r = 0; r < b; r++) act('sigmoid', r * 3 * u, 2 * u);
  for (let r = 0; r < b; r++) {
    const at = r * 3 * u;
    for (let j = 0; j < u; j++) g[at + 2 * u + j] = x[at + 2 * u + j]! + g[at + u + j]! * m[at + 2 * u + j]!;
  }
  for (let r = 0; r < b; r++) act('tanh', r * 3 * u + 2 * u, u);
  for (let r = 0; r < b; r++) {
    const at = r * 3 * u;
    for (let j = 0; j < u; j++) {
      const z = g[at + j]!;
      out[r * u + j] = z * h0[r * u + j]! + (1 - z) * g[at + 2 * u + j]!;
    }
  }
  return [hInfo, gatesInfo];
}

function gradient(args: KernelArgs): Info[] {
  const backend = wasmBackend(args);
  const { dh, gates, inner, h } = args.inputs as { dh: Info; gates: Info; inner: Info; h: Info };
  requireFloat32(GRU_GATES_GRAD, { dh, gates, inner, h });
  const [b, u] = h.shape as [number, number];
  const dxpInfo = alloc(backend, [b, 3 * u]);
  const dInnerInfo = alloc(backend, [b, 3 * u]);
  const dhInfo = alloc(backend, [b, u]);
  const [d, g, m, h0] = [f32(backend, dh), f32(backend, gates), f32(backend, inner), f32(backend, h)];
  const [dx, di, dPrev] = [f32(backend, dxpInfo), f32(backend, dInnerInfo), f32(backend, dhInfo)];
  for (let r = 0; r < b; r++) {
    for (let j = 0; j < u; j++) {
      const s = r * u + j;
      const at = r * 3 * u + j;
      const z = g[at]!, rr = g[at + u]!, hh = g[at + 2 * u]!;
      const dOut = d[s]!;
      const a = dOut * (1 - z) * (1 - hh * hh);
      const dz = dOut * (h0[s]! - hh) * z * (1 - z);
      const dr = a * m[at + 2 * u]! * rr * (1 - rr);
      dx[at] = dz;
      dx[at + u] = dr;
      dx[at + 2 * u] = a;
      di[at] = dz;
      di[at + u] = dr;
      di[at + 2 * u] = a * rr;
      dPrev[s] = dOut * z;
    }
  }
  return [dxpInfo, dInnerInfo, dhInfo];
}

/** Kernel configs for the GRU step and its gradient on wasm. */
export const gruGatesConfigs: tf.KernelConfig[] = [
  { kernelName: GRU_GATES, backendName: 'wasm', kernelFunc: marked(forward as unknown as tf.KernelFunc) },
  { kernelName: GRU_GATES_GRAD, backendName: 'wasm', kernelFunc: marked(gradient as unknown as tf.KernelFunc) },
];
