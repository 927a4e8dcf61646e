// strata's product loops and their worker pool, on a shared heap of their own: every form
// and tail against a float64 reference, and the same bits whatever the number of threads.
import { afterAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { gemmPoolFor, partsTaken, poolReady, runCall, runProduct, stopPool, type GemmPool } from '../../src/backend/kernels/gemm_pool.js';
import { CALL_ADAM, CALL_MAX_POOL_GRAD, callActivationGrad } from '../../src/backend/kernels/pool_calls.js';
import { Worker } from 'node:worker_threads';
import { FORM_ACCUMULATE, FORM_BROADCAST, FORM_DOT, FORM_SPLIT_K, JOB } from '../../src/backend/kernels/gemm_share.js';
import { simdGemmFor } from '../../src/backend/kernels/simd_gemm.js';
import { hasSimdGemm } from '../../src/backend/kernels/gemm.js';
import { heapOpsFor, zeroHeap } from '../../src/backend/kernels/heap_fill.js';
import type { WasmBackend } from '../../src/backend/kernels/wasm_util.js';
import { values } from './helpers.js';

const memories: WebAssembly.Memory[] = [];
const pools: GemmPool[] = [];

afterAll(() => {
  for (const p of pools) stopPool(p);
});

function sharedHeap(): WebAssembly.Memory {
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
  memories.push(memory);
  return memory;
}

type Form = 'nn' | 'tn' | 'nt' | 'acc';

/** Lays out A, B and C on the heap and returns the product's parameters and a reference. */
function layout(memory: WebAssembly.Memory, form: Form, m: number, k: number, n: number, seed: number) {
  const heap = new Float32Array(memory.buffer);
  const a = values(m * k, seed);
  const b = values(k * n, seed + 1);
  const [pa, pb, pc] = [64, 64 + 4 * m * k + 64, 64 + 4 * (m * k + k * n) + 128];
  heap.set(a, pa / 4);
  heap.set(b, pb / 4);
  const at = (i: number, kk: number) => (form === 'tn' ? a[kk * m + i]! : a[i * k + kk]!);
  const bt = (kk: number, j: number) => (form === 'nt' ? b[j * k + kk]! : b[kk * n + j]!);
  const initial = values(m * n, seed + 2);
  const expected = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = form === 'acc' ? initial[i * n + j]! : 0;
    for (let kk = 0; kk < k; kk++) s += at(i, kk) * bt(kk, j);
    expected[i * n + j] = s;
  }
  const params =
    form === 'nt'
      ? [FORM_DOT, pa, pb, pc, m, n, k, 4 * k, 4, 4 * k, 4 * n]
      : [form === 'acc' ? FORM_ACCUMULATE : FORM_BROADCAST, pa, pb, pc, m, n, k, form === 'tn' ? 4 : 4 * k, form === 'tn' ? 4 * m : 4, 4 * n, 4 * n];
  const result = () => Float32Array.from(heap.subarray(pc / 4, pc / 4 + m * n));
  // The accumulating form adds to what C holds; the others must overwrite every element.
  const clear = () => (form === 'acc' ? heap.set(initial, pc / 4) : heap.fill(NaN, pc / 4, pc / 4 + m * n));
  return { params, expected, result, clear };
}

const shape = fc.record({
  form: fc.constantFrom<Form>('nn', 'tn', 'nt', 'acc'),
  m: fc.integer({ min: 1, max: 37 }),
  k: fc.integer({ min: 1, max: 33 }),
  n: fc.integer({ min: 1, max: 45 }),
  seed: fc.integer({ min: 1, max: 1e9 }),
});

describe('strata product loops', () => {
  it('compute every form, tile and tail like a float64 product, on one thread', () => {
    const memory = sharedHeap();
    const loops = simdGemmFor(memory)!;
    expect(loops).not.toBeNull();
    fc.assert(
      fc.property(shape, (c) => {
        const k = c.form === 'nt' ? 4 * Math.ceil(c.k / 4) : c.k; // the dot form takes k in fours
        const { params, expected, result, clear } = layout(memory, c.form, c.m, k, c.n, c.seed);
        clear();
        expect(runProduct(null, loops, params, 0)).toBe(1);
        const got = result();
        for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - expected[i]!)).toBeLessThan(1e-5 * (1 + k));
      }),
      { numRuns: 150 },
    );
  });

  it('split across worker threads, give the same bits as one thread', async () => {
    const memory = sharedHeap();
    const pool = gemmPoolFor(memory, 3)!;
    expect(pool).not.toBeNull();
    pools.push(pool);
    expect(await poolReady(pool)).toBe(3);
    for (const [form, m, k, n] of [['nn', 131, 67, 90], ['tn', 50, 129, 37], ['nt', 77, 64, 131], ['nn', 5, 300, 7], ['tn', 300, 40, 250], ['acc', 97, 50, 70]] as const) {
      {
        const { params, expected, result, clear } = layout(memory, form, m, k, n, m + n);
        clear();
        expect(runProduct(pool, pool.loops, params, 0)).toBe(1);
        const alone = result();
        clear();
        expect(runProduct(pool, pool.loops, params, Infinity)).toBe(3);
        const shared = result();
        expect(Array.from(shared)).toEqual(Array.from(alone));
        for (let i = 0; i < shared.length; i++) expect(Math.abs(shared[i]! - expected[i]!)).toBeLessThan(1e-5 * (1 + k));
      }
    }
    // A product of many rectangles, long enough that every worker wakes and takes some.
    const { params } = layout(memory, 'nn', 512, 256, 512, 9);
    const before = partsTaken(pool);
    for (let rep = 0; rep < 20; rep++) runProduct(pool, pool.loops, params, Infinity);
    const after = partsTaken(pool);
    expect(after.every((p, i) => p > before[i]!)).toBe(true);
  });

  it('share call jobs (max-pool, activation gradients, Adam) part by part: the same bits as one thread', async () => {
    const memory = sharedHeap();
    const pool = gemmPoolFor(memory, 3)!;
    pools.push(pool);
    expect(await poolReady(pool)).toBe(3);
    const heap = new Float32Array(memory.buffer);
    // 300 parts of 64 rows × 16 channels: y, dy, then dz and per-part sums, written twice.
    const [parts, rows, c] = [300, 64, 16];
    const n = parts * rows * c;
    const [pY, pDy, pDz, pSum] = [64, 64 + 4 * n, 64 + 8 * n, 64 + 12 * n];
    heap.set(values(n, 3), pY / 4);
    heap.set(values(n, 4), pDy / 4);
    const block = rows * c * 4;
    const run = (fn: number, cost: number) => {
      heap.fill(0, pSum / 4, pSum / 4 + parts * c);
      heap.fill(NaN, pDz / 4, pDz / 4 + n);
      const threads = runCall(pool, pool.loops, pool.calls, fn, [pDy, pY, pDz, pSum, rows, c * 4], [block, block, block, c * 4, 0, 0], parts, cost);
      return { threads, out: Array.from(heap.subarray(pDz / 4, pSum / 4 + parts * c)) };
    };
    const before = partsTaken(pool);
    const fn = callActivationGrad('relu');
    const alone = run(fn, 0);
    const shared = run(fn, Infinity);
    expect(alone.threads).toBe(1);
    expect(shared.threads).toBe(3);
    expect(shared.out).toEqual(alone.out);
    // Against the rule itself: dz = dy where y > 0, else 0; part p's sums in row p.
    const [y, dy] = [values(n, 3), values(n, 4)];
    for (let i = 0; i < n; i += 97) expect(shared.out[i]).toBe(y[i]! > 0 ? dy[i] : 0);
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += y[(5 * rows + r) * c + 2]! > 0 ? dy[(5 * rows + r) * c + 2]! : 0;
    expect(shared.out[n + 5 * c + 2]).toBeCloseTo(sum, 4);
    // 2×2 max-pool gradient, one 8×8×4 image a part (4×4 windows).
    const image = 8 * 8 * 4 * 4;
    const grads = 4 * 4 * 4 * 4;
    const pool2 = (cost: number) => {
      heap.fill(NaN, pDz / 4, pDz / 4 + parts * image / 4);
      const threads = runCall(pool, pool.loops, pool.calls, CALL_MAX_POOL_GRAD, [pY, pDy, pDz, 4, 4, 16, 8 * 16], [image, grads, image, 0, 0, 0, 0], parts, cost);
      return { threads, out: Array.from(heap.subarray(pDz / 4, pDz / 4 + parts * image / 4)) };
    };
    const poolAlone = pool2(0);
    const poolShared = pool2(Infinity);
    expect(poolShared.threads).toBe(3);
    expect(poolShared.out).toEqual(poolAlone.out);
    expect(poolShared.out.some(Number.isNaN)).toBe(false);
    // Adam, spans of 1,024 floats a part, its scalars on the heap: w, m, v from the same start.
    const span = 1024;
    const m = parts * span;
    const [pw, pm, pv, pg, pp] = [64, 64 + 4 * m, 64 + 8 * m, 64 + 12 * m, 64 + 16 * m];
    heap.set([0.001, 0.9, 0.1, 0.999, 0.001, 1e-7, 1], pp / 4);
    const adam = (cost: number) => {
      heap.set(values(m, 5), pw / 4);
      heap.set(values(m, 6), pm / 4);
      heap.set(values(m, 7).map(Math.abs), pv / 4);
      heap.set(values(m, 8), pg / 4);
      const threads = runCall(pool, pool.loops, pool.calls, CALL_ADAM, [pw, pm, pv, pg, 4 * span, pp], [4 * span, 4 * span, 4 * span, 4 * span, 0, 0], parts, cost);
      return { threads, out: Array.from(heap.subarray(pw / 4, pg / 4)) };
    };
    const adamAlone = adam(0);
    const adamShared = adam(Infinity);
    expect(adamShared.threads).toBe(3);
    expect(adamShared.out).toEqual(adamAlone.out);
    const [w0, m0, v0, g0] = [values(m, 5), values(m, 6), values(m, 7).map(Math.abs), values(m, 8)];
    for (let i = 0; i < m; i += 997) {
      const mi = 0.9 * m0[i]! + 0.1 * g0[i]!;
      const vi = 0.999 * v0[i]! + 0.001 * g0[i]! ** 2;
      expect(adamShared.out[i]).toBeCloseTo(w0[i]! - (0.001 * mi) / (Math.sqrt(vi) + 1e-7), 5);
    }
    // Enough calls that every worker wakes in time for some parts.
    for (let rep = 0; rep < 20; rep++) run(fn, Infinity);
    expect(partsTaken(pool).every((p, i) => p > before[i]!)).toBe(true);
  });

  it('splits a small product only while the workers poll, one of 4 MFLOP always; wakes them for a call job only from 16 MFLOP', async () => {
    const memory = sharedHeap();
    const pool = gemmPoolFor(memory, 2)!;
    pools.push(pool);
    expect(await poolReady(pool)).toBe(2);
    const { params } = layout(memory, 'nn', 64, 64, 64, 5);
    const sleep = () => new Promise((r) => setTimeout(r, 200)); // long past the polling window: the worker sleeps
    await sleep();
    expect(runProduct(pool, pool.loops, params, 1 << 20)).toBe(1);
    expect(runProduct(pool, pool.loops, params, 1 << 22)).toBe(2);
    expect(runProduct(pool, pool.loops, params, 1 << 10)).toBe(1);
    await sleep();
    expect(runProduct(pool, pool.loops, params, 1 << 24)).toBe(2);
    // Call jobs (here: zeroing four 64-byte runs of A) are memory-bound: waking costs more.
    const zero = (cost: number) => runCall(pool, pool.loops, pool.calls, 2, [params[1]!, 64], [64, 0], 4, cost);
    await sleep();
    expect(zero(1 << 23)).toBe(1);
    expect(zero(1 << 24)).toBe(2);
  });

  it('split along k, write one slice per chunk that adds up to the product: the same bits on 1 and 3 threads', async () => {
    const memory = sharedHeap();
    const pool = gemmPoolFor(memory, 3)!;
    pools.push(pool);
    expect(await poolReady(pool)).toBe(3);
    // Aᵀ·B with A [k, m] (a first convolution's filter gradient: m = 3 taps, n = 32 channels).
    const { params, expected } = layout(memory, 'tn', 3, 9000, 32, 21);
    const [chunk, parts] = [2048, Math.ceil(9000 / 2048)];
    const slices = 64 + 4 * (3 * 9000 + 9000 * 32) + 256;
    const split = [FORM_SPLIT_K, ...params.slice(1, 3), slices, ...params.slice(4, 10), 4 * 32, chunk, 0, 1, 0];
    const heap = new Float32Array(memory.buffer);
    const run = (flops: number) => {
      heap.fill(NaN, slices / 4, slices / 4 + parts * 3 * 32);
      const threads = runProduct(pool, pool.loops, split, flops);
      return { threads, out: Array.from(heap.subarray(slices / 4, slices / 4 + parts * 3 * 32)) };
    };
    const alone = run(0);
    const shared = run(Infinity);
    expect([alone.threads, shared.threads]).toEqual([1, 3]);
    expect(shared.out).toEqual(alone.out);
    for (let i = 0; i < 3 * 32; i++) {
      let sum = 0;
      for (let p = 0; p < parts; p++) sum += shared.out[p * 96 + i]!;
      expect(Math.abs(sum - expected[i]!)).toBeLessThan(1e-3);
    }
  });

  it('zeroHeap and spread write exactly the ranges asked, on shared and unshared heaps', () => {
    for (const memory of [sharedHeap(), new WebAssembly.Memory({ initial: 2 })]) {
      const bytes = new Uint8Array(memory.buffer);
      bytes.fill(7, 0, 4096);
      zeroHeap(memory, 100, 1000);
      expect(bytes.subarray(100, 1100).every((b) => b === 0)).toBe(true);
      expect(bytes[99]).toBe(7);
      expect(bytes[1100]).toBe(7);
      // spread: 3 rows of 8 bytes (1..24) onto rows 12 bytes apart, zeros between, 5 zeros after.
      bytes.set(Array.from({ length: 24 }, (_, i) => i + 1), 2000);
      bytes.fill(7, 3000, 3100);
      heapOpsFor(memory)!.spread(2000, 3000, 3, 8, 12, 5);
      const row = (r: number) => [...Array.from({ length: 8 }, (_, i) => 8 * r + i + 1), 0, 0, 0, 0];
      expect(Array.from(bytes.subarray(3000, 3042))).toEqual([...row(0), ...row(1), ...row(2), 0, 0, 0, 0, 0, 7]);
    }
  });

  it('workers see the heap after it grows', async () => {
    const memory = sharedHeap();
    const pool = gemmPoolFor(memory, 2)!;
    pools.push(pool);
    expect(await poolReady(pool)).toBe(2);
    const before = memory.buffer.byteLength;
    memory.grow(64);
    const heap = new Float32Array(memory.buffer);
    const [m, k, n] = [64, 64, 64];
    const [pa, pb, pc] = [before, before + 4 * m * k, before + 8 * m * k];
    heap.set(values(m * k, 3), pa / 4);
    heap.fill(0, pb / 4, pb / 4 + k * n);
    for (let i = 0; i < k; i++) heap[pb / 4 + i * n + i] = 1; // B = identity
    expect(runProduct(pool, pool.loops, [FORM_BROADCAST, pa, pb, pc, m, n, k, 4 * k, 4, 4 * n, 4 * n], Infinity)).toBe(2);
    expect(Array.from(heap.subarray(pc / 4, pc / 4 + m * n))).toEqual(Array.from(values(m * k, 3)));
  });

  it('products stay on the backend where it has threads and strata has no pool (a browser page)', () => {
    const fake = (memory: WebAssembly.Memory, threads: number) =>
      ({ wasm: { wasmMemory: memory, tfjs: { getThreadsCount: () => threads } } }) as unknown as WasmBackend;
    const unshared = new WebAssembly.Memory({ initial: 1 });
    expect(hasSimdGemm(fake(unshared, 1))).toBe(true); // the single-threaded build: strata's loops
    expect(hasSimdGemm(fake(unshared, 4))).toBe(false); // threads strata cannot use: XNNPACK's
    const shared = sharedHeap();
    expect(hasSimdGemm(fake(shared, 2))).toBe(true); // strata's pool on the shared heap
    pools.push(gemmPoolFor(shared, 2)!);
  });

  it('a worker that died before a product takes no part and holds nothing up', async () => {
    const memory = sharedHeap();
    const pool = gemmPoolFor(memory, 2)!;
    pools.push(pool);
    expect(await poolReady(pool)).toBe(2);
    await pool.workers[0]!.terminate();
    const { params, expected, result, clear } = layout(memory, 'nn', 70, 50, 90, 11);
    clear();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      runProduct(pool, pool.loops, params, Infinity, 200);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    const got = result();
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - expected[i]!)).toBeLessThan(1e-4);
  });

  it('a thread that claims a part and never finishes it does not hang the caller: the pool is given up, the product computed alone', async () => {
    const memory = sharedHeap();
    const pool = gemmPoolFor(memory, 2)!;
    expect(await poolReady(pool)).toBe(2);
    // A hostile thread on the same control block, in place of the pool's worker (stopped, so
    // the hostile one has a core): on the next job it claims one part the way gemmShare
    // does, then sleeps for good.
    await pool.workers[0]!.terminate();
    const hostile = new Worker(`
      const { workerData } = require('node:worker_threads');
      const job = new Int32Array(workerData.control);
      const word = new BigInt64Array(workerData.control, 4 * workerData.claim, 1);
      const seen = Atomics.load(job, 0);
      Atomics.store(job, workerData.flag, 1);
      while (Atomics.load(job, 0) === seen) {}
      for (;;) {
        const w = Atomics.load(word, 0);
        if (w >> 32n !== 0n && Atomics.compareExchange(word, 0, w, w + 1n) === w) break;
      }
      Atomics.wait(job, 3, 0);
    `, { eval: true, workerData: { control: pool.control.buffer, claim: JOB.claim, flag: 7 } });
    while (Atomics.load(pool.control, 7) !== 1) await new Promise((r) => setTimeout(r, 5));
    // Long enough (1,024 rectangles, milliseconds) that the hostile thread claims one while parts are left.
    const { params, expected, result, clear } = layout(memory, 'nn', 512, 256, 512, 12);
    clear();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(runProduct(pool, pool.loops, params, Infinity, 200)).toBe(1);
      expect(warn).toHaveBeenCalledOnce();
    } finally {
      warn.mockRestore();
      await hostile.terminate();
    }
    const got = result();
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - expected[i]!)).toBeLessThan(1e-4);
    expect(gemmPoolFor(memory, 2)).toBeNull();
  });

  it('a pool made for another count or heap replaces the last one, whose workers stop', async () => {
    const memory = sharedHeap();
    const two = gemmPoolFor(memory, 2)!;
    expect(gemmPoolFor(memory, 2)).toBe(two);
    await poolReady(two);
    const exits = two.workers.map((w) => new Promise<number>((resolve) => (w as unknown as { on: (e: string, f: (c: number) => void) => void }).on('exit', resolve)));
    const three = gemmPoolFor(memory, 3)!;
    pools.push(three);
    expect(three).not.toBe(two);
    await Promise.all(exits);
    expect(gemmPoolFor(new WebAssembly.Memory({ initial: 1 }), 2)).toBeNull(); // not shared: no pool
  });
});
