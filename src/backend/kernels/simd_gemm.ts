/**
 * Matrix-product loops in wasm SIMD, assembled here, working in place on the wasm
 * backend's heap. Unlike XNNPACK they read both operands where they lie, with no packing
 * pass, so any part of the output can be computed by any thread that shares the heap:
 * `gemm_pool.ts` splits a product by column strips across worker threads.
 *
 * Two forms, each for one tile of the output at a time:
 * - `bc` (broadcast form), `C = A·B` with `B` row-major (`acc`: `C += A·B`): for each `k`, one element of each
 *   of the tile's rows of `A` is splat and multiplied into 4, 8 or 16 contiguous floats of row
 *   `k` of `B`. `A` is addressed by a row stride and a `k` stride, so `Aᵀ·B` (weight
 *   gradients) is the same loop with the strides swapped. Tiles 2 rows by 16 columns do the
 *   most per splat without spilling V8's registers: alone in cache 63 GFLOP/s on one thread
 *   here, against 51 for 4 by 8 (6 by 8 and 4 by 12 spill: 34); in a 512³ product 56–59
 *   against 49–51. Each output element is the same sum in the same order in any tile, so
 *   the tile shape does not change a bit of the result.
 * - `dot` (dot form), `C = A·Bᵀ` with both operands row-major along `k`: 2×4 outputs
 *   accumulate four `k` at a time and are summed across lanes at the end.
 *
 * Every output element is one thread's sum in a fixed order, so results do not depend on
 * how the work is split. Floats sum in another order than XNNPACK's, so products agree
 * with it to rounding, not bit for bit.
 * @module
 */
import { BLOCK, END, F32, I32, LOOP, V128, addConst, addLocal, compiledFor, get, set, simd, sleb, uleb, vec, wasmModule } from './wasm_asm.js';

// --- instruction bytes -------------------------------------------------------------------

const i32c = (n: number) => [0x41, ...sleb(n)];
const ADD = [0x6a];
const MUL = [0x6c];
const EQZ = [0x45];
const LT_S = [0x48];
const brIf = (depth: number) => [0x0d, ...uleb(depth)];
const br = (depth: number) => [0x0c, ...uleb(depth)];
const call = (f: number) => [0x10, ...uleb(f)];
const vload = (offset = 0) => [...simd(0x00), 0x00, ...uleb(offset)];
const vstore = (offset = 0) => [...simd(0x0b), 0x00, ...uleb(offset)];
const vsplat32 = (offset = 0) => [...simd(0x09), 0x00, ...uleb(offset)]; // v128.load32_splat
const vzero = [...i32c(0), ...simd(0x11)]; // i32x4.splat 0
const fadd = simd(0xe4);
const fmul = simd(0xe6);
const lane = (l: number) => [...simd(0x1f), l]; // f32x4.extract_lane
const F32_ADD = [0x92];
const F32_MUL = [0x94];
const f32load = (offset = 0) => [0x2a, 0x00, ...uleb(offset)];
const f32store = (offset = 0) => [0x38, 0x00, ...uleb(offset)];
const F32_ZERO = [0x43, 0, 0, 0, 0];


function fn(locals: [number, number][], code: number[]): number[] {
  const all = [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...code, ...END];
  return [...uleb(all.length), ...all];
}

// --- broadcast form ------------------------------------------------------------------------

// Parameters of a `bc` tile: (a, b, c, K, aRow, aK, bRow, cRow), byte addresses and strides.
const [A, B, C, K, AROW, AK, BROW, CROW] = [0, 1, 2, 3, 4, 5, 6, 7];

// Further parameters of a gapped `bc` tile (`bcTile(..., true)`): the reduction runs over
// `K` runs of `RUN` indices of `k`, the operands' pointers moved on by `AGAP` and `BGAP` bytes
// between runs (the virtual columns of a convolution's filter gradient, skipped).
const [RUN, AGAP, BGAP] = [8, 9, 10];

/**
 * An `mr`×`4·nv` tile of `C = A·B`, overwriting `C`, or of `C += A·B` when `accumulate`;
 * `gapped`: over `K` runs of `RUN` indices of `k` with gaps between (params as above).
 */
function bcTile(mr: number, nv: number, accumulate: boolean, gapped = false): number[] {
  const first = gapped ? 11 : 8; // first local after the params
  const p = (r: number) => (r === 0 ? A : first + r - 1); // row pointers into A
  const base = first + mr - 1;
  const acc = (r: number, v: number) => base + r * nv + v;
  const bv = (v: number) => base + mr * nv + v;
  const av = base + mr * nv + nv;
  const cp = av + 1;
  const kk = cp + 1; // gapped: the count left in the current run
  const code: number[] = [];
  for (let r = 1; r < mr; r++) code.push(...get(p(r - 1)), ...get(AROW), ...ADD, ...set(p(r)));
  if (accumulate) {
    code.push(...get(C), ...set(cp));
    for (let r = 0; r < mr; r++) {
      for (let v = 0; v < nv; v++) code.push(...get(cp), ...vload(16 * v), ...set(acc(r, v)));
      if (r < mr - 1) code.push(...addLocal(cp, CROW));
    }
  } else {
    for (let r = 0; r < mr; r++) for (let v = 0; v < nv; v++) code.push(...vzero, ...set(acc(r, v)));
  }
  const counter = gapped ? kk : K;
  const step: number[] = [...BLOCK, ...LOOP, ...get(counter), ...EQZ, ...brIf(1)];
  for (let v = 0; v < nv; v++) step.push(...get(B), ...vload(16 * v), ...set(bv(v)));
  for (let r = 0; r < mr; r++) {
    step.push(...get(p(r)), ...vsplat32(), ...set(av));
    for (let v = 0; v < nv; v++) step.push(...get(acc(r, v)), ...get(av), ...get(bv(v)), ...fmul, ...fadd, ...set(acc(r, v)));
    step.push(...addLocal(p(r), AK));
  }
  step.push(...addLocal(B, BROW), ...addConst(counter, -1), ...br(0), ...END, ...END);
  if (gapped) {
    code.push(...BLOCK, ...LOOP, ...get(K), ...EQZ, ...brIf(1), ...get(RUN), ...set(kk), ...step);
    for (let r = 0; r < mr; r++) code.push(...addLocal(p(r), AGAP));
    code.push(...addLocal(B, BGAP), ...addConst(K, -1), ...br(0), ...END, ...END);
  } else {
    code.push(...step);
  }
  code.push(...get(C), ...set(cp));
  for (let r = 0; r < mr; r++) {
    for (let v = 0; v < nv; v++) code.push(...get(cp), ...get(acc(r, v)), ...vstore(16 * v));
    if (r < mr - 1) code.push(...addLocal(cp, CROW));
  }
  // Locals in declaration order: the `mr - 1` further row pointers, the v128s, the C pointer
  // (and the run's count).
  const locals: [number, number][] = [[mr - 1, I32], [mr * nv + nv + 1, V128], [gapped ? 2 : 1, I32]];
  return fn(locals.filter(([n]) => n > 0), code);
}

/** A column strip `4·nv` wide: `blocks` tiles of `tileRows` rows (4 or 2), one under the other; `gapped`: of gapped tiles. */
function bcStrip(tileFn: number, gapped = false, tileRows = 4): number[] {
  // Params: (a, b, c, blocks, K, aRow, aK, bRow, cRow[, run, aGap, bGap]); locals: a4, c4 (strides of a tile's rows).
  const [a, b, c, blocks, k, aRow, aK, bRow, cRow] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const extra = gapped ? [9, 10, 11] : [];
  const [a4, c4] = gapped ? [12, 13] : [9, 10];
  const shift = Math.log2(tileRows);
  return fn([[2, I32]], [
    ...get(aRow), ...i32c(shift), 0x74, ...set(a4), // i32.shl
    ...get(cRow), ...i32c(shift), 0x74, ...set(c4),
    ...BLOCK, ...LOOP, ...get(blocks), ...EQZ, ...brIf(1),
    ...get(a), ...get(b), ...get(c), ...get(k), ...get(aRow), ...get(aK), ...get(bRow), ...get(cRow), ...extra.flatMap((i) => get(i)), ...call(tileFn),
    ...addLocal(a, a4), ...addLocal(c, c4), ...addConst(blocks, -1), ...br(0), ...END, ...END,
  ]);
}

/** One column of `C = A·B` (`C += A·B` when `accumulate`) in scalar arithmetic, `rows` high: the last `n mod 4` columns. */
function bcColumn(accumulate: boolean): number[] {
  // Params: (a, b, c, rows, K, aRow, aK, bRow, cRow); locals: pa, pb, k, s.
  const [a, b, c, rows, K_, aRow, aK, bRow, cRow, pa, pb, k, s] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  return fn([[3, I32], [1, F32]], [
    ...BLOCK, ...LOOP, ...get(rows), ...EQZ, ...brIf(1),
    ...get(a), ...set(pa), ...get(b), ...set(pb), ...get(K_), ...set(k), ...(accumulate ? [...get(c), ...f32load()] : F32_ZERO), ...set(s),
    ...BLOCK, ...LOOP, ...get(k), ...EQZ, ...brIf(1),
    ...get(s), ...get(pa), ...f32load(), ...get(pb), ...f32load(), ...F32_MUL, ...F32_ADD, ...set(s),
    ...addLocal(pa, aK), ...addLocal(pb, bRow), ...addConst(k, -1), ...br(0), ...END, ...END,
    ...get(c), ...get(s), ...f32store(),
    ...addLocal(a, aRow), ...addLocal(c, cRow), ...addConst(rows, -1), ...br(0), ...END, ...END,
  ]);
}

// --- dot form ------------------------------------------------------------------------------

/**
 * An `mr`×`nr` tile of `C = A·Bᵀ` (`A` rows and `B` rows both run along `k`), overwriting
 * `C`. Params: (a, b, c, K, aRow, bRow, cRow); `K` a multiple of 4 (the caller adds the rest).
 */
function dotTile(mr: number, nr: number): number[] {
  const [a, b, c, K_, aRow, bRow, cRow] = [0, 1, 2, 3, 4, 5, 6];
  const pa = (r: number) => 7 + r;
  const pb = (j: number) => 7 + mr + j;
  const kk = 7 + mr + nr;
  const cp = kk + 1;
  const acc = (r: number, j: number) => cp + 1 + r * nr + j;
  const av = (r: number) => cp + 1 + mr * nr + r;
  const bvl = cp + 1 + mr * nr + mr;
  const code: number[] = [];
  for (let r = 0; r < mr; r++) code.push(...get(a), ...(r ? [...get(aRow), ...i32c(r), ...MUL, ...ADD] : []), ...set(pa(r)));
  for (let j = 0; j < nr; j++) code.push(...get(b), ...(j ? [...get(bRow), ...i32c(j), ...MUL, ...ADD] : []), ...set(pb(j)));
  for (let r = 0; r < mr; r++) for (let j = 0; j < nr; j++) code.push(...vzero, ...set(acc(r, j)));
  code.push(...i32c(0), ...set(kk));
  code.push(...BLOCK, ...LOOP, ...get(kk), ...get(K_), ...LT_S, ...EQZ, ...brIf(1));
  for (let r = 0; r < mr; r++) code.push(...get(pa(r)), ...get(kk), ...ADD, ...vload(), ...set(av(r)));
  for (let j = 0; j < nr; j++) {
    code.push(...get(pb(j)), ...get(kk), ...ADD, ...vload(), ...set(bvl));
    for (let r = 0; r < mr; r++) code.push(...get(acc(r, j)), ...get(av(r)), ...get(bvl), ...fmul, ...fadd, ...set(acc(r, j)));
  }
  code.push(...addConst(kk, 16), ...br(0), ...END, ...END);
  code.push(...get(c), ...set(cp));
  for (let r = 0; r < mr; r++) {
    for (let j = 0; j < nr; j++) {
      code.push(...get(cp));
      code.push(...get(acc(r, j)), ...lane(0), ...get(acc(r, j)), ...lane(1), ...F32_ADD);
      code.push(...get(acc(r, j)), ...lane(2), ...get(acc(r, j)), ...lane(3), ...F32_ADD, ...F32_ADD);
      code.push(...f32store(4 * j));
    }
    if (r < mr - 1) code.push(...addLocal(cp, cRow));
  }
  return fn([[mr + nr + 2, I32], [mr * nr + mr + 1, V128]], code);
}

// --- the module ----------------------------------------------------------------------------

const TILE_TYPE = [0x60, ...vec(Array(8).fill([I32])), 0x00];
const STRIP_TYPE = [0x60, ...vec(Array(9).fill([I32])), 0x00];
const DOT_TYPE = [0x60, ...vec(Array(7).fill([I32])), 0x00];
const GAP_TILE_TYPE = [0x60, ...vec(Array(11).fill([I32])), 0x00];
const GAP_STRIP_TYPE = [0x60, ...vec(Array(12).fill([I32])), 0x00];

/** The functions of the module: name, type index, body. Tiles come first (strips call them by index). */
function functions(): [string, number, number[]][] {
  const list: [string, number, number[]][] = [];
  for (const accumulate of [false, true]) {
    const name = accumulate ? 'acc' : 'bc';
    const base = list.length;
    for (const nv of [2, 1]) for (let mr = 1; mr <= 4; mr++) list.push([`${name}${mr}x${4 * nv}`, 0, bcTile(mr, nv, accumulate)]);
    for (let mr = 1; mr <= 2; mr++) list.push([`${name}${mr}x16`, 0, bcTile(mr, 4, accumulate)]);
    list.push([`${name}Strip16`, 1, bcStrip(base + 9, false, 2)]);
    list.push([`${name}Strip8`, 1, bcStrip(base + 3)]);
    list.push([`${name}Strip4`, 1, bcStrip(base + 7)]);
    list.push([`${name}Column`, 1, bcColumn(accumulate)]);
  }
  for (let mr = 1; mr <= 2; mr++) for (let nr = 1; nr <= 4; nr++) list.push([`dot${mr}x${nr}`, 2, dotTile(mr, nr)]);
  // Gapped strips, whole tiles only (the caller keeps them for products whose rows and
  // columns are multiples of 4): 16 columns in tiles of 2 rows, 8 and 4 in tiles of 4.
  for (const accumulate of [false, true]) {
    const name = accumulate ? 'acc' : 'bc';
    for (const [nv, mr] of [[4, 2], [2, 4], [1, 4]] as const) {
      const tile = list.length;
      list.push([`${name}Gap${mr}x${4 * nv}`, 3, bcTile(mr, nv, accumulate, true)]);
      list.push([`${name}GapStrip${4 * nv}`, 4, bcStrip(tile, true, mr)]);
    }
  }
  return list;
}

function moduleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return wasmModule(shared, [TILE_TYPE, STRIP_TYPE, DOT_TYPE, GAP_TILE_TYPE, GAP_STRIP_TYPE], functions());
}

/** A `bc` tile: (a, b, c, K, aRow, aK, bRow, cRow), byte addresses and byte strides. */
export type BcTile = (a: number, b: number, c: number, k: number, aRow: number, aK: number, bRow: number, cRow: number) => void;
/** A `bc` strip or column: (a, b, c, blocks or rows, K, aRow, aK, bRow, cRow). */
export type BcStrip = (a: number, b: number, c: number, count: number, k: number, aRow: number, aK: number, bRow: number, cRow: number) => void;
/**
 * A gapped `bc` strip: (a, b, c, blocks, runs, aRow, aK, bRow, cRow, run, aGap, bGap): the
 * reduction over `runs` runs of `run` indices of `k`, the pointers into A and B moved on by
 * `aGap` and `bGap` bytes after each run.
 */
export type BcGapStrip = (
  a: number, b: number, c: number, blocks: number, runs: number, aRow: number, aK: number, bRow: number, cRow: number, run: number, aGap: number, bGap: number,
) => void;
/** A `dot` tile: (a, b, c, K, aRow, bRow, cRow), `K` a multiple of 4, in elements; strides in bytes. */
export type DotTile = (a: number, b: number, c: number, kBytes: number, aRow: number, bRow: number, cRow: number) => void;

/** The module's exports. */
export type SimdGemm = Record<`${'bc' | 'acc'}${1 | 2 | 3 | 4}x${4 | 8}`, BcTile> &
  Record<`${'bc' | 'acc'}${1 | 2}x16`, BcTile> &
  Record<`dot${1 | 2}x${1 | 2 | 3 | 4}`, DotTile> &
  Record<`${'bc' | 'acc'}${'Strip16' | 'Strip8' | 'Strip4' | 'Column'}`, BcStrip> &
  Record<`${'bc' | 'acc'}${'GapStrip16' | 'GapStrip8' | 'GapStrip4'}`, BcGapStrip>;

const instances = new WeakMap<WebAssembly.Memory, SimdGemm | null>();

/** The product loops bound to `memory`, compiled once per memory; null without wasm SIMD. */
export function simdGemmFor(memory: WebAssembly.Memory): SimdGemm | null {
  return compiledFor(instances, memory, moduleBytes, (e) => e as unknown as SimdGemm);
}

/** The module's bytes, for instantiating it in a worker against the same shared memory. */
export function simdGemmBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return moduleBytes(shared);
}
