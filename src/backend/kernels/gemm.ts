/**
 * Float32 matrix products with strata's own SIMD loops (`simd_gemm.ts`), split across the
 * threads of `gemm_pool.ts` on the threaded build. The operands are read where they lie:
 * `A·B` and `Aᵀ·B` in the broadcast form, `A·Bᵀ` in the dot form when `k` is a multiple
 * of 4 (else `B` is transposed first), so nothing is packed or copied on the way.
 *
 * Measured on the 2-core machine (`M×K×N` as a training step of the MLP, XNNPACK repacking
 * the right operand each call as it does in training): one thread 52–56 GFLOP/s against
 * XNNPACK's 34–47; two threads 100–110 against its 46–84.
 * @module
 */
import { gemmPoolFor, runCall, runProduct, type GemmPool } from './gemm_pool.js';
import { poolCallsFor } from './pool_calls.js';
import { FORM_ACCUMULATE, FORM_BROADCAST, FORM_DOT, FORM_ROWS, FORM_SEGMENTED, FORM_SPLIT_K } from './gemm_share.js';
import { simdGemmFor, type SimdGemm } from './simd_gemm.js';
import { alloc, f32, free, heapMemory, heapOffset, transpose, type Info, type WasmBackend } from './wasm_util.js';

/** The threads the backend's own pool has (1 on the single-threaded build). */
function backendThreads(backend: WasmBackend): number {
  const tfjs = (backend.wasm as unknown as { tfjs?: { getThreadsCount?: () => number } }).tfjs;
  const n = tfjs?.getThreadsCount?.();
  return typeof n === 'number' && n > 0 ? n : 1;
}

interface Loops {
  loops: SimdGemm;
  pool: GemmPool | null;
}

function loopsFor(backend: WasmBackend): Loops | undefined {
  const memory = heapMemory(backend);
  const loops = memory ? simdGemmFor(memory) : null;
  if (!memory || !loops) return undefined;
  return { loops, pool: gemmPoolFor(memory, backendThreads(backend)) };
}

/**
 * Whether strata's loops should run products on this backend: wasm SIMD is there, and the
 * threads the backend has are strata's too. A threaded backend without strata's pool (a
 * cross-origin-isolated browser page: the pool needs Node's `worker_threads`) keeps its
 * XNNPACK products, which its own pool splits across every core.
 */
export function hasSimdGemm(backend: WasmBackend): boolean {
  const found = loopsFor(backend);
  return found !== undefined && (found.pool !== null || backendThreads(backend) === 1);
}

/**
 * Writes `A·B` into `out` (`[m, n]`, row-major): `a` holds `[m, k]` (`[k, m]` when `tA`),
 * `b` holds `[k, n]` (`[n, k]` when `tB`); offsets are heap byte offsets of float32 data.
 * Returns false (and writes nothing) where the loops are unavailable.
 */
export function productInto(
  backend: WasmBackend, a: number, b: number, out: number, m: number, k: number, n: number, tA: boolean, tB: boolean,
): boolean {
  const found = loopsFor(backend);
  if (!found) return false;
  const { loops, pool } = found;
  const flops = 2 * m * n * k;
  if (tB) {
    // A·Bᵀ, B rows along k (tA never reaches here: the caller transposes one side first).
    runProduct(pool, loops, [FORM_DOT, a, b, out, m, n, k, 4 * k, 4, 4 * k, 4 * n], flops);
    return true;
  }
  const [aRow, aK] = tA ? [4, 4 * m] : [4 * k, 4];
  broadcastProduct(backend, found, false, a, b, out, m, k, n, aRow, aK, 4 * n, 4 * n);
  return true;
}

/** Chunks of `k` a split-k part takes: its slice of B (2,048 rows) stays in cache across the output's column strips. */
const K_CHUNK = 2048;

/**
 * Whether a product splits along `k`: an output of fewer than 8 rectangles (a filter
 * gradient `[kW·inC, outC]` of a first convolution) leaves threads idle and reads all of B
 * once per column strip. The choice depends on the shape alone, never on the thread count,
 * so results are the same on any number of threads.
 */
function splitsK(m: number, k: number, n: number): boolean {
  return Math.ceil(m / 32) * Math.max(1, Math.floor(n / 8)) < 8 && k >= 4 * K_CHUNK;
}

/**
 * Which indices of `k` a product's reduction runs over: `length` of them every `stride`
 * (the rest are skipped, not read).
 */
export interface Segments {
  length: number;
  stride: number;
  /**
   * Within each segment, only runs of `length` indices every `stride` (a segment holding
   * whole runs): honoured where the product is not split along `k` and its rows and columns
   * are multiples of 4 (the gapped loops have no tail tiles), else the whole segment is summed.
   */
  rows?: { length: number; stride: number };
}

/** The runs of `seg.rows` when a product `m × n` over `k` can sum them alone; undefined otherwise. */
function gapsOf(seg: Segments | undefined, m: number, k: number, n: number): { length: number; stride: number } | undefined {
  const rows = seg?.rows;
  if (!seg || !rows || m % 4 !== 0 || n % 4 !== 0 || splitsK(m, k, n)) return undefined;
  if (!(rows.length > 0 && rows.length < rows.stride && seg.length >= rows.length && seg.length <= seg.stride)) return undefined;
  if ((seg.length - rows.length) % rows.stride !== 0) return undefined;
  // Every segment whole: k ends where one does.
  return (k - seg.length) % seg.stride === 0 ? rows : undefined;
}

/**
 * Broadcast-form products `C_t (+)= A_t·B` with strides, for `batches` left operands
 * (`A_t` at `a + t·aBatch`, `C_t` at `out + t·cBatch`) against one B, reducing over
 * `segments` of `k` where given; split along `k`, all batches in each part, where
 * {@link splitsK}.
 */
function broadcastProduct(
  backend: WasmBackend, { loops, pool }: Loops, accumulate: boolean, a: number, b: number, out: number,
  m: number, k: number, n: number, aRow: number, aK: number, bRow: number, cRow: number,
  batches = 1, aBatch = 0, cBatch = 0, segments?: Segments,
): void {
  // Runs within whole segments (one segment may cover all of k); else segments with gaps
  // shorter than a split-k chunk, and k ending inside one, so that every chunk holds some of them.
  const gaps = gapsOf(segments, m, k, n);
  const seg = gaps ? segments : segments && segments.length > 0 && segments.length < segments.stride && segments.stride < k
    && segments.stride - segments.length < K_CHUNK && (k - 1) % segments.stride < segments.length ? segments : undefined;
  const perSegment = gaps ? ((seg!.length - gaps.length) / gaps.stride + 1) * gaps.length : seg?.length ?? 0;
  const summed = seg ? Math.floor(k / seg.stride) * perSegment + Math.min(perSegment, k % seg.stride) : k;
  const flops = 2 * m * n * summed;
  const segParams = seg ? [seg.length, seg.stride] : [];
  if (!splitsK(m, k, n)) {
    const form = (accumulate ? FORM_ACCUMULATE : FORM_BROADCAST) + (seg ? FORM_SEGMENTED : 0) + (gaps ? FORM_ROWS : 0);
    for (let t = 0; t < batches; t++) {
      const params = [form, a + t * aBatch, b, out + t * cBatch, m, n, k, aRow, aK, bRow, cRow];
      if (seg) params.push(0, 0, 0, 0, ...segParams, ...(gaps ? [gaps.length, gaps.stride] : []));
      runProduct(pool, loops, params, flops);
    }
    return;
  }
  const parts = Math.ceil(k / K_CHUNK);
  const slices = alloc(backend, [parts * batches * m, n]);
  try {
    const form = FORM_SPLIT_K + (seg ? FORM_SEGMENTED : 0);
    const params = [form, a, b, heapOffset(backend, slices), m, n, k, aRow, aK, bRow, 4 * n, K_CHUNK, 0, batches, aBatch, ...segParams];
    runProduct(pool, loops, params, flops * batches);
    // The slices added in order, in float64.
    const s = f32(backend, slices);
    const heap = new Float32Array(heapMemory(backend)!.buffer);
    for (let t = 0; t < batches; t++) {
      const c0 = (out + t * cBatch) / 4;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const at = c0 + i * (cRow / 4) + j;
          let sum = accumulate ? heap[at]! : 0;
          for (let p = 0; p < parts; p++) sum += s[((p * batches + t) * m + i) * n + j]!;
          heap[at] = sum;
        }
      }
    }
  } finally {
    free(backend, slices);
  }
}

/**
 * A product with explicit byte strides, as `gemm_share.ts` reads it: `C (+)= A·B` with
 * `A(i, k)` at `a + i·aRow + k·aK`, `B(k, j)` at `b + k·bRow + 4j`, `C(i, j)` at
 * `out + i·cRow + 4j`; `accumulate` adds to `C`. With `batches`, as many products against
 * the same B, A and C moved by `aBatch` and `cBatch` bytes each; with `segments`, the
 * reduction runs over those indices of `k` only. False where the loops are unavailable.
 */
export function stridedProduct(
  backend: WasmBackend, accumulate: boolean, a: number, b: number, out: number, m: number, k: number, n: number,
  aRow: number, aK: number, bRow: number, cRow: number, batches = 1, aBatch = 0, cBatch = 0, segments?: Segments,
): boolean {
  const found = loopsFor(backend);
  if (!found) return false;
  broadcastProduct(backend, found, accumulate, a, b, out, m, k, n, aRow, aK, bRow, cRow, batches, aBatch, cBatch, segments);
  return true;
}

/**
 * Runs `parts` calls of the pool's function number `fn` (`pool_calls.ts`) with heap offsets
 * stepped per part (see `runCall`), across the product threads when `cost` (flop-equivalents)
 * is worth it. False, with nothing run, where the loops are unavailable.
 */
export function sharedCall(
  backend: WasmBackend, fn: number, args: number[], strides: number[], parts: number, cost: number,
): boolean {
  const found = loopsFor(backend);
  const calls = found ? poolCallsFor(heapMemory(backend)!) : null;
  if (!found || !calls) return false;
  runCall(found.pool, found.loops, calls, fn, args, strides, parts, cost);
  return true;
}

/** Fewer than 16 output columns, not a multiple of 8: the broadcast form leaves some to its scalar loop. */
function narrow(n: number): boolean {
  return n < 16 && n % 8 !== 0;
}

/**
 * `a·b` for 2-D float32 `a` (`[m,k]`, stored `[k,m]` when `tA`) and `b` (`[k,n]`, stored
 * `[n,k]` when `tB`) with strata's loops; undefined where they are unavailable.
 */
export function simdProduct(backend: WasmBackend, a: Info, b: Info, tA: boolean, tB: boolean): Info | undefined {
  if (!loopsFor(backend)) return undefined;
  const [m, k] = tA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const n = tB ? b.shape[0]! : b.shape[1]!;
  if (tA && !tB && narrow(n) && m >= 64 && k > 0) {
    // Aᵀ·B with a tall, narrow output (a dense layer's weight gradient xᵀ·dy for a few
    // classes): the broadcast form takes columns past the last multiple of 8 one at a time in
    // a scalar loop, rows past the last multiple of 4 in SIMD tiles, so compute
    // (Aᵀ·B)ᵀ = Bᵀ·A and transpose it back: the same sums in the same order. Measured in the
    // bench MLP's step ([256, 128]·[128, 10], two threads): 0.064 → 0.025 ms.
    const swapped = simdProduct(backend, b, a, true, false)!;
    try {
      return transpose(backend, swapped, [1, 0]);
    } finally {
      free(backend, swapped);
    }
  }
  const temps: Info[] = [];
  try {
    let right = b;
    let rightT = tB;
    if (tB && (tA || k % 4 !== 0)) {
      right = transpose(backend, b, [1, 0]);
      temps.push(right);
      rightT = false;
    }
    const out = alloc(backend, [m, n]);
    if (m * n > 0) {
      if (k === 0) backend.typedArrayFromHeap(out).fill(0);
      else productInto(backend, heapOffset(backend, a), heapOffset(backend, right), heapOffset(backend, out), m, k, n, tA, rightT);
    }
    return out;
  } finally {
    free(backend, ...temps);
  }
}
