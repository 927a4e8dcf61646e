/**
 * Wasm SIMD loops for the elementwise part of an LSTM step (`lstm_gates.ts`), four floats
 * at a time, on the wasm backend's heap. The gates `[rows, 4u]` hold the activated blocks
 * i, f, g, o of `u` floats each, row by row; states are `[rows, u]`. `uBytes` is `4u`, a
 * multiple of 16.
 *
 * - `cell`: `c' = f·c + i·g`;
 * - `out`: `h = o·tc` (`tc = tanh c'`);
 * - `grad`: from `dh` and `dc'`, `d = dc' + dh·o·(1 − tc²)`, then
 *   `dz = [d·g·i(1−i), d·c·f(1−f), d·i·(1−g²), dh·tc·o(1−o)]` and `dc = d·f`.
 * @module
 */
import { BLOCK, END, I32, LOOP, V128, add, breakIfDone, addConst, compiledFor, get, i32add, load, mul, set, sized, store, sub, vec, wasmModule } from './wasm_asm.js';

const i32mul = [0x6c];
const ONE = [0x43, 0x00, 0x00, 0x80, 0x3f, 0xfd, 0x13]; // f32.const 1, f32x4.splat

/** Sums of the i32 locals given, then v128.load. */
const loadAt = (...parts: number[]) => [...addrOf(...parts), ...load];
function addrOf(...parts: number[]): number[] {
  const [first, ...rest] = parts;
  return [...get(first!), ...rest.flatMap((p) => [...get(p), ...i32add])];
}

/**
 * A function over `rows` rows of `uBytes`: `setup` runs once (after `rowOff` = r·4·uBytes and
 * `s` = r·uBytes are set for the row and `k` for the column), `step` once per 16 bytes.
 * Locals after the params: k, r, rowOff, s, u2, u3 (i32), then `v128s` v128 locals.
 */
function rowLoop(params: number, v128s: number, step: (l: Locals) => number[]): number[] {
  const rows = params - 2;
  const uBytes = params - 1;
  const l: Locals = { k: params, r: params + 1, rowOff: params + 2, s: params + 3, u2: params + 4, u3: params + 5, v: params + 6, uBytes };
  return sized([
    ...vec(v128s > 0 ? [[6, I32], [v128s, V128]] : [[6, I32]]),
    ...get(uBytes), ...get(uBytes), ...i32add, ...set(l.u2),
    ...get(l.u2), ...get(uBytes), ...i32add, ...set(l.u3),
    ...BLOCK, ...LOOP, ...breakIfDone(l.r, rows),
    ...get(l.r), ...get(uBytes), ...i32mul, ...set(l.s),
    ...get(l.s), 0x41, 0x04, ...i32mul, ...set(l.rowOff),
    0x41, 0x00, ...set(l.k),
    ...BLOCK, ...LOOP, ...breakIfDone(l.k, uBytes),
    ...step(l),
    ...addConst(l.k, 16), 0x0c, 0x00, ...END, ...END,
    ...addConst(l.r, 1), 0x0c, 0x00, ...END, ...END,
    ...END,
  ]);
}

interface Locals {
  k: number;
  r: number;
  rowOff: number;
  s: number;
  u2: number;
  u3: number;
  /** First v128 local. */
  v: number;
  uBytes: number;
}

/** `cell(gates, c, cNew, rows, uBytes)`: c' = f·c + i·g. */
function cell(): number[] {
  const [gates, c, cNew] = [0, 1, 2];
  return rowLoop(5, 0, (l) => [
    ...addrOf(cNew, l.s, l.k),
    ...loadAt(gates, l.rowOff, l.uBytes, l.k), ...loadAt(c, l.s, l.k), ...mul,
    ...loadAt(gates, l.rowOff, l.k), ...loadAt(gates, l.rowOff, l.u2, l.k), ...mul,
    ...add, ...store,
  ]);
}

/** `out(gates, tc, h, rows, uBytes)`: h = o·tc. */
function out(): number[] {
  const [gates, tc, h] = [0, 1, 2];
  return rowLoop(5, 0, (l) => [
    ...addrOf(h, l.s, l.k), ...loadAt(gates, l.rowOff, l.u3, l.k), ...loadAt(tc, l.s, l.k), ...mul, ...store,
  ]);
}

/** `grad(dh, dc, gates, c, tc, dz, dPrev, rows, uBytes)`. */
function grad(): number[] {
  const [dh, dc, gates, c, tc, dz, dPrev] = [0, 1, 2, 3, 4, 5, 6];
  return rowLoop(9, 8, (l) => {
    const [I, F, G, O, TH, GH, D, ONE_] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => l.v + i) as number[];
    const oneMinus = (x: number) => [...get(ONE_!), ...get(x), ...sub]; // 1 − x
    return [
      ...ONE, ...set(ONE_!),
      ...loadAt(gates, l.rowOff, l.k), ...set(I!),
      ...loadAt(gates, l.rowOff, l.uBytes, l.k), ...set(F!),
      ...loadAt(gates, l.rowOff, l.u2, l.k), ...set(G!),
      ...loadAt(gates, l.rowOff, l.u3, l.k), ...set(O!),
      ...loadAt(tc, l.s, l.k), ...set(TH!),
      ...loadAt(dh, l.s, l.k), ...set(GH!),
      // d = dc + dh·o·(1 − tc²)
      ...loadAt(dc, l.s, l.k), ...get(GH!), ...get(O!), ...mul, ...get(ONE_!), ...get(TH!), ...get(TH!), ...mul, ...sub, ...mul, ...add, ...set(D!),
      ...addrOf(dz, l.rowOff, l.k), ...get(D!), ...get(G!), ...mul, ...get(I!), ...mul, ...oneMinus(I!), ...mul, ...store,
      ...addrOf(dz, l.rowOff, l.uBytes, l.k), ...get(D!), ...loadAt(c, l.s, l.k), ...mul, ...get(F!), ...mul, ...oneMinus(F!), ...mul, ...store,
      ...addrOf(dz, l.rowOff, l.u2, l.k), ...get(D!), ...get(I!), ...mul, ...get(ONE_!), ...get(G!), ...get(G!), ...mul, ...sub, ...mul, ...store,
      ...addrOf(dz, l.rowOff, l.u3, l.k), ...get(GH!), ...get(TH!), ...mul, ...get(O!), ...mul, ...oneMinus(O!), ...mul, ...store,
      ...addrOf(dPrev, l.s, l.k), ...get(D!), ...get(F!), ...mul, ...store,
    ];
  });
}

const TYPE5 = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0x00];
const TYPE9 = [0x60, ...vec(Array.from({ length: 9 }, () => [I32])), 0x00];

function moduleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return wasmModule(shared, [TYPE5, TYPE9], [['cell', 0, cell()], ['out', 0, out()], ['grad', 1, grad()]]);
}

/** The loops, on byte offsets into the heap. */
export interface SimdLstm {
  cell(gates: number, c: number, cNew: number, rows: number, uBytes: number): void;
  out(gates: number, tc: number, h: number, rows: number, uBytes: number): void;
  grad(dh: number, dc: number, gates: number, c: number, tc: number, dz: number, dPrev: number, rows: number, uBytes: number): void;
}

const instances = new WeakMap<WebAssembly.Memory, SimdLstm | null>();

/** The loops bound to `memory` (the wasm backend's heap); null where wasm SIMD is unavailable. */
export function simdLstmFor(memory: WebAssembly.Memory): SimdLstm | null {
  return compiledFor(instances, memory, moduleBytes, (e) => e as unknown as SimdLstm);
}
