/**
 * The work loop of a matrix product, run by the calling thread and by each worker of
 * `gemm_pool.ts` that takes part. `gemmShare` is self-contained (it refers to nothing
 * outside its body): the pool puts its source text into the workers' script.
 * @module
 */
import type { SimdGemm } from './simd_gemm.js';

/**
 * Where a job's parameters lie in the pool's shared control block (`Int32Array` slots): a
 * product's (`form` to `cRow`), or a call's (`fn` to `strides`, up to 8 arguments). `count`
 * (threads invited), `completed` (parts finished), `total` (parts in all, written by the
 * calling thread's share) and the 64-bit claim word (`claim`, slots 40–41: the job's
 * generation in the high half, the next part in the low half) serve both.
 */
export const JOB = {
  completed: 1, form: 8, a: 9, b: 10, c: 11, m: 12, n: 13, k: 14, aRow: 15, aK: 16, bRow: 17, cRow: 18, kChunk: 19, count: 20,
  batches: 21, aBatch: 22, segLen: 23, segStride: 24, rowLen: 25, rowStride: 26, fn: 21, parts: 22, nargs: 23, args: 24, strides: 32, claim: 40, total: 42,
} as const;

/** Slots the job uses: the control block's per-worker slots start after them. */
export const JOB_END = 43;

/** Product forms: `C = A·B` with `A` read through a row and a `k` stride, `C = A·Bᵀ`, and `C += A·B`. */
export const FORM_BROADCAST = 0;
/** `C = A·Bᵀ`, `A` `[m,k]` and `B` `[n,k]`, `k` a multiple of 4. */
export const FORM_DOT = 1;
/** `C += A·B`, otherwise as the broadcast form. */
export const FORM_ACCUMULATE = 2;
/**
 * The broadcast form split along `k` into chunks of `kChunk`, for `batches` left operands
 * (`A_t` at `a + t·aBatch`) against the same B: part `p` writes `A_t[:, chunk p] · B[chunk p, :]`
 * to its own `[m, n]` slice of C, at `c + (p·batches + t)·m·cRow`, reading its chunk of B
 * once for all of them; the caller adds the slices in order. For outputs too small to split
 * into rectangles.
 */
export const FORM_SPLIT_K = 4;
/**
 * Added to the broadcast or accumulate form: the reduction runs over segments of `k`, not
 * all of it — `segLen` indices every `segStride` (slots `segLen`, `segStride`), as the real
 * output rows of each image of a convolution's filter gradient (`gemm_conv.ts`); indices
 * between segments are skipped, not read.
 */
export const FORM_SEGMENTED = 8;
/**
 * Added to a segmented broadcast or accumulate form (not split along `k`), for outputs whose
 * rows and columns are multiples of 4: each segment is itself runs of `rowLen` indices every
 * `rowStride` (slots `rowLen`, `rowStride`), as the real pixels of each output row of a
 * convolution's filter gradient, the virtual ones between rows skipped; a segment holds whole
 * runs.
 */
export const FORM_ROWS = 16;
/**
 * Not a product: `parts` calls of the pool's function number `fn`, call `p` with argument
 * `i` equal to `args[i] + p · strides[i]` (heap offsets stepped per part, counts fixed).
 */
export const FORM_CALL = 3;

/**
 * Computes parts of the product described in `job` (slots as in `JOB`) until none is left.
 * The output is cut into rectangles of 32 rows by 16 columns (the last column rectangle also
 * takes the columns that do not divide), computed in the broadcast form 16 columns at a time
 * in tiles of 2 rows, then 8 and 4 in tiles of 4 rows, then single columns,
 * numbered down each column strip; every thread taking part claims the next number with a
 * compare-and-swap on the claim word, so a thread that starts late or runs slow simply takes
 * fewer. Each rectangle is computed the same way whoever takes it. A call job (`FORM_CALL`)
 * is shared the same way, part by part, over `calls` (the pool's functions, the same list on
 * every thread).
 *
 * The claim word makes the job's parameters a seqlock: the caller zeroes it, writes the
 * parameters, then publishes generation and part 0. A thread reads the generation first and
 * the parameters after; a claim succeeds only while the word still holds that generation, and
 * the caller starts the next job only once every part is finished, so a part is only ever
 * computed from the parameters of its own job, and a thread that arrives after the last
 * claim takes nothing and is waited for by no one. Each thread adds the parts it finished to
 * `completed` (the last one notifies). `index` is the thread's (0 for the caller); threads
 * from `count` on take no part. Returns how many parts this call computed.
 */
export function gemmShare(g: SimdGemm, job: Int32Array, calls: readonly ((...args: number[]) => void)[], index: number): number {
  const word = new BigInt64Array(job.buffer, job.byteOffset + 160, 1);
  const gen = Atomics.load(word, 0) >> 32n;
  if (gen === 0n || index >= job[20]!) return 0;
  const segmented = (job[8]! & 8) !== 0;
  const gapped = (job[8]! & 16) !== 0;
  const form = job[8]! & 7;
  let parts = 0;
  // Alone (a private block: no other thread can claim) the parts are simply taken in order.
  const solo = job[20] === 1;
  let next = 0;
  const claim = (): number => {
    if (solo) return next < parts ? next++ : -1;
    for (;;) {
      const w = Atomics.load(word, 0);
      const part = Number(w & 0xffffffffn);
      if (w >> 32n !== gen || part >= parts) return -1;
      if (Atomics.compareExchange(word, 0, w, w + 1n) === w) return part;
    }
  };
  const finish = (taken: number): number => {
    if (index === 0) job[42] = parts;
    if (taken > 0 && Atomics.add(job, 1, taken) + taken === parts) Atomics.notify(job, 1);
    return taken;
  };
  if (form === 3) {
    const fn = calls[job[21]!]!;
    const nargs = job[23]!;
    parts = job[22]!;
    const args = new Array<number>(nargs);
    let done = 0;
    for (let part = claim(); part >= 0; part = claim()) {
      done++;
      for (let i = 0; i < nargs; i++) args[i] = job[24 + i]! + part * job[32 + i]!;
      fn(...args);
    }
    return finish(done);
  }
  const a = job[9]!, b = job[10]!, c = job[11]!, m = job[12]!, n = job[13]!, k = job[14]!;
  const aRow = job[15]!, aK = job[16]!, bRow = job[17]!, cRow = job[18]!;
  const dot = form === 1;
  const split = form === 4;
  const kChunk = split ? job[19]! : k;
  const batches = split ? job[21]! : 1;
  const aBatch = split ? job[22]! : 0;
  const rowsPer = 32;
  const colsPer = 16;
  const segLen = segmented ? job[23]! : k;
  const segStride = segmented ? job[24]! : k;
  const rowLen = gapped ? job[25]! : 0;
  const rowStride = gapped ? job[26]! : 0;
  const runsPerSegment = gapped ? (segLen - rowLen) / rowStride + 1 : 0;
  const runsPerChunk = gapped ? Math.max(1, Math.floor(256 / rowLen)) : 0;
  const rowParts = Math.ceil(m / rowsPer);
  const colParts = Math.max(1, Math.floor(n / colsPer));
  const rects = rowParts * colParts;
  parts = split ? Math.ceil(k / kChunk) : rects;
  const dotTiles = dot ? [[g.dot1x1, g.dot1x2, g.dot1x3, g.dot1x4], [g.dot2x1, g.dot2x2, g.dot2x3, g.dot2x4]] : [];
  const acc = form === 2;
  const bc8 = [g.bc1x8, g.bc2x8, g.bc3x8];
  const bc4 = [g.bc1x4, g.bc2x4, g.bc3x4];
  const acc8 = [g.acc1x8, g.acc2x8, g.acc3x8];
  const acc4 = [g.acc1x4, g.acc2x4, g.acc3x4];
  // One rectangle of output over k from kLo to kHi, A read from aBase, C written at cBase.
  const rect = (part: number, kLo: number, kHi: number, aBase: number, cBase: number): void => {
    const ri = part % rowParts;
    const ci = (part - ri) / rowParts;
    const r0 = ri * rowsPer;
    const r1 = Math.min(m, r0 + rowsPer);
    const j0 = ci * colsPer;
    const j1 = ci === colParts - 1 ? n : j0 + colsPer;
    const rows = r1 - r0;
    if (dot) {
      const full = rows - (rows % 2);
      const kBytes = k * 4;
      for (let j = j0; j < j1; j += 4) {
        const nr = Math.min(4, j1 - j);
        const pb = b + j * bRow;
        for (let r = r0; r < r0 + full; r += 2) dotTiles[1]![nr - 1]!(aBase + r * aRow, pb, cBase + r * cRow + 4 * j, kBytes, aRow, bRow, cRow);
        if (full < rows) dotTiles[0]![nr - 1]!(aBase + (r0 + full) * aRow, pb, cBase + (r0 + full) * cRow + 4 * j, kBytes, aRow, bRow, cRow);
      }
      return;
    }
    const full = rows - (rows % 4);
    const tailRows = rows % 4;
    const pairs = rows >> 1;
    if (gapped) {
      // Whole runs of each segment, a chunk of runs at a time (rows and columns multiples of 4).
      const aGap = (rowStride - rowLen) * aK;
      const bGap = (rowStride - rowLen) * bRow;
      let firstRun = true;
      for (let s0 = 0; s0 < kHi; s0 += segStride) {
        for (let r = 0; r < runsPerSegment; r += runsPerChunk) {
          const runs = Math.min(runsPerChunk, runsPerSegment - r);
          const k0 = s0 + r * rowStride;
          const strip8 = acc || !firstRun ? g.accGapStrip8 : g.bcGapStrip8;
          const strip4 = acc || !firstRun ? g.accGapStrip4 : g.bcGapStrip4;
          const strip16 = acc || !firstRun ? g.accGapStrip16 : g.bcGapStrip16;
          firstRun = false;
          const pa = aBase + r0 * aRow + k0 * aK;
          const pb = b + k0 * bRow;
          const pc = cBase + r0 * cRow;
          let j = j0;
          for (; j + 16 <= j1; j += 16) strip16(pa, pb + 4 * j, pc + 4 * j, pairs, runs, aRow, aK, bRow, cRow, rowLen, aGap, bGap);
          for (; j + 8 <= j1; j += 8) strip8(pa, pb + 4 * j, pc + 4 * j, full / 4, runs, aRow, aK, bRow, cRow, rowLen, aGap, bGap);
          if (j < j1) strip4(pa, pb + 4 * j, pc + 4 * j, full / 4, runs, aRow, aK, bRow, cRow, rowLen, aGap, bGap);
        }
      }
      return;
    }
    // k in chunks (within each segment), so that the chunk of B a column strip reads stays
    // in cache while the strip's row blocks go by; later chunks add to what the first wrote
    // (the same sums in the same order as in one pass).
    let first = true;
    for (let s0 = kLo - (kLo % segStride); s0 < kHi; s0 += segStride) {
      for (let k0 = Math.max(kLo, s0), hi = Math.min(kHi, s0 + segLen); k0 < hi; k0 += 256) {
        const kk = Math.min(256, hi - k0);
        const add = acc || !first;
        first = false;
        const pa = aBase + r0 * aRow + k0 * aK;
        const pb = b + k0 * bRow;
        const pc = cBase + r0 * cRow;
        let j = j0;
        for (; j + 16 <= j1; j += 16) {
          (add ? g.accStrip16 : g.bcStrip16)(pa, pb + 4 * j, pc + 4 * j, pairs, kk, aRow, aK, bRow, cRow);
          if (rows & 1) (add ? g.acc1x16 : g.bc1x16)(pa + 2 * pairs * aRow, pb + 4 * j, pc + 2 * pairs * cRow + 4 * j, kk, aRow, aK, bRow, cRow);
        }
        for (; j + 8 <= j1; j += 8) {
          (add ? g.accStrip8 : g.bcStrip8)(pa, pb + 4 * j, pc + 4 * j, full / 4, kk, aRow, aK, bRow, cRow);
          if (tailRows) (add ? acc8 : bc8)[tailRows - 1]!(pa + full * aRow, pb + 4 * j, pc + full * cRow + 4 * j, kk, aRow, aK, bRow, cRow);
        }
        if (j + 4 <= j1) {
          (add ? g.accStrip4 : g.bcStrip4)(pa, pb + 4 * j, pc + 4 * j, full / 4, kk, aRow, aK, bRow, cRow);
          if (tailRows) (add ? acc4 : bc4)[tailRows - 1]!(pa + full * aRow, pb + 4 * j, pc + full * cRow + 4 * j, kk, aRow, aK, bRow, cRow);
          j += 4;
        }
        for (; j < j1; j++) (add ? g.accColumn : g.bcColumn)(pa, pb + 4 * j, pc + 4 * j, rows, kk, aRow, aK, bRow, cRow);
      }
    }
  };
  let taken = 0;
  for (let part = claim(); part >= 0; part = claim()) {
    taken++;
    if (!split) {
      rect(part, 0, k, a, c);
      continue;
    }
    // A k-split part: every batch's whole output over its chunk of k, into slices of its own.
    const kLo = part * kChunk;
    for (let t = 0; t < batches; t++) {
      for (let r = 0; r < rects; r++) rect(r, kLo, Math.min(k, kLo + kChunk), a + t * aBatch, c + (part * batches + t) * m * cRow);
    }
  }
  return finish(taken);
}
