/**
 * Worker threads for strata's matrix products (and the loops of `pool_calls.ts`) on the
 * threaded wasm build in Node. Each worker instantiates the loops against the backend's
 * shared heap and waits on a shared control block; a job writes its parameters there, wakes
 * the workers, and every thread taking part, the caller included, claims parts (rectangles
 * of a product's output) until none is left (`gemm_share.ts`); the caller then waits for
 * the parts still running, not for workers that woke too late to claim any. Each output
 * element is summed by one thread in a fixed order, so results do not depend on how many
 * threads took part, nor on which took what.
 *
 * A worker polls for the next product for a short while after each, then sleeps; a
 * mid-sized product is split only while every worker polls (waking one costs more than
 * it saves), a large one always. Workers that have not started yet take no part, and the
 * workers are unref'd, so they never hold the process open. Where `worker_threads` or shared memory is missing (a
 * browser page, the single-threaded build) there is no pool and products run on the
 * calling thread.
 * @module
 */
import { FORM_CALL, JOB, JOB_END, gemmShare } from './gemm_share.js';
import { CALL_MODULES, poolCallsFor, type PoolFn } from './pool_calls.js';
import { simdGemmBytes, simdGemmFor, type SimdGemm } from './simd_gemm.js';

// Control block slots: a header (SEQ: bumped for each shared job; COMPLETED: parts of the
// current job finished; STOP), the job (`JOB`, slots 8–42), then three per worker i ≥ 1:
// READY (it has started), AWAKE (it is polling for the next job, not asleep) and PARTS
// (parts of jobs it has computed, in all).
const SEQ = 0;
const COMPLETED = JOB.completed;
const STOP = 2;
const WORKER_SLOTS = JOB_END;
const readySlot = (i: number) => WORKER_SLOTS + 3 * (i - 1);
const awakeSlot = (i: number) => WORKER_SLOTS + 3 * (i - 1) + 1;
const partsSlot = (i: number) => WORKER_SLOTS + 3 * (i - 1) + 2;

/**
 * Milliseconds a worker polls for the next product before it sleeps. Long enough to catch
 * the products of one layer's forward or backward pass, short enough not to compete with
 * the backend's own pool (whose workers spin after each of its jobs) for the other cores:
 * measured on 2 cores, samples/s of the bench's fits at 0.5 / 0.15 / 0.05 / 0.02 / 0 ms:
 * MLP (128) 31k / 37k / 40k / 39k / 33k, MLP (32) 19k / 18k / 21k / 21k / 20k, CNN 2.65k /
 * 2.85k / 3.0k / 2.7k / 2.7k, LSTM 0.4k / – / 0.55k / – / 0.5k.
 */
const SPIN_MS = 0.05;
/**
 * Products this large are split even when a worker must first be woken (50–300 µs on the
 * 2-core machine): about 100 µs of work on one thread. The caller starts on the product at
 * once and a worker that wakes late only takes the rectangles left, so a wake-up costs the
 * caller little. Measured against 16 MFLOP (paired runs in one process, two threads, per
 * step): the MLP fit at batch 32 1.36 → 1.14 ms, whose largest products are 12.8 MFLOP and
 * never woke a worker before; an LSTM fit (128 units, batch 64, products of 4–8 MFLOP)
 * 129 → 118 ms; batch 128 unchanged. 1 MFLOP gained less (LSTM −8 %). When every invited
 * worker had to report before a product returned, 4 MFLOP lost to 16 at batch 32.
 */
const WAKE_FLOPS = 1 << 22;
/**
 * Call jobs (memory-bound loops) cheaper than this, in flop-equivalents, run on the calling
 * thread, even while the workers poll: split into many small parts they gain less than
 * products (a [128, 11, 11, 64] max-pool gradient: 0.40 ms on 2 threads against 0.20 on one).
 * Sharing them while the workers poll made the MLP fit 6 % (batch 128) and 9 % (batch 32)
 * slower, the CNN's 1.7 % faster (paired runs in one process).
 */
const CALL_WAKE_COST = 1 << 24;
/** How long a product waits for the workers' last rectangles before it gives the pool up. */
const STALL_MS = 10_000;
/** Products this large are split when every worker is polling. */
const SPLIT_FLOPS = 1 << 18;

interface WorkerLike {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error', listener: (e: unknown) => void): void;
}
type WorkerCtor = new (code: string, options: { eval: true; workerData: unknown }) => WorkerLike;

/** The pool of one heap: control block, workers, the calling thread's loops. */
export interface GemmPool {
  readonly control: Int32Array;
  readonly loops: SimdGemm;
  /** The calling thread's functions for call jobs (`pool_calls.ts`). */
  readonly calls: PoolFn[];
  /** Threads that may take a share, the caller included. */
  readonly threads: number;
  readonly workers: WorkerLike[];
}

const WORKER_SOURCE = (share: string) => `
const { workerData } = require('node:worker_threads');
const { memory, module, callModules, control, index } = workerData;
const g = new WebAssembly.Instance(module, { env: { memory } }).exports;
const calls = [];
for (const { module, names } of callModules) {
  const e = new WebAssembly.Instance(module, { env: { memory } }).exports;
  for (const name of names) calls.push(e[name]);
}
const job = new Int32Array(control);
const share = (${share});
const awake = ${awakeSlot(1)} + 3 * (index - 1);
const parts = ${partsSlot(1)} + 3 * (index - 1);
let seen = Atomics.load(job, ${SEQ});
Atomics.store(job, ${readySlot(1)} + 3 * (index - 1), 1);
for (;;) {
  Atomics.store(job, awake, 1);
  const until = performance.now() + ${SPIN_MS};
  for (let n = 1; Atomics.load(job, ${SEQ}) === seen; n++) if ((n & 1023) === 0 && performance.now() > until) break;
  if (Atomics.load(job, ${SEQ}) === seen) {
    Atomics.store(job, awake, 0);
    Atomics.wait(job, ${SEQ}, seen);
  }
  seen = Atomics.load(job, ${SEQ});
  if (Atomics.load(job, ${STOP})) break;
  Atomics.add(job, parts, share(g, job, calls, index));
}
`;

function workerCtor(): WorkerCtor | undefined {
  const get = (globalThis.process as unknown as { getBuiltinModule?: (n: string) => unknown } | undefined)?.getBuiltinModule;
  if (typeof get !== 'function') return undefined;
  return (get('node:worker_threads') as { Worker?: WorkerCtor } | undefined)?.Worker;
}

// The pool of the heap products last ran on; one wasm backend is in use at a time.
let current: { memory: WebAssembly.Memory; pool: GemmPool | null } | undefined;

/**
 * The pool for `memory` with `threads` threads in all (the caller and `threads - 1`
 * workers), made on first use; null where products cannot be threaded. The pool of another
 * heap, or made for another count, is stopped.
 */
export function gemmPoolFor(memory: WebAssembly.Memory, threads: number): GemmPool | null {
  if (current && current.memory === memory && (current.pool?.threads ?? threads) === threads) return current.pool;
  if (current?.pool) stopPool(current.pool);
  current = { memory, pool: makePool(memory, threads) };
  return current.pool;
}

function makePool(memory: WebAssembly.Memory, threads: number): GemmPool | null {
  const loops = simdGemmFor(memory);
  const calls = poolCallsFor(memory);
  const Worker = workerCtor();
  if (!loops || !calls || threads < 2 || !Worker || !(memory.buffer instanceof SharedArrayBuffer)) return null;
  const control = new Int32Array(new SharedArrayBuffer((WORKER_SLOTS + 3 * threads) * 4));
  const module = new WebAssembly.Module(simdGemmBytes(true));
  const callModules = CALL_MODULES.map(({ bytes, names }) => ({ module: new WebAssembly.Module(bytes(true)), names: [...names] }));
  const source = WORKER_SOURCE(gemmShare.toString());
  const workers: WorkerLike[] = [];
  for (let index = 1; index < threads; index++) {
    const w = new Worker(source, { eval: true, workerData: { memory, module, callModules, control: control.buffer, index } });
    w.on('error', () => undefined); // a worker that fails never reports ready and takes no share
    w.unref();
    workers.push(w);
  }
  return { control, loops, calls, threads, workers };
}

/** Stops a pool's workers. */
export function stopPool(pool: GemmPool): void {
  Atomics.store(pool.control, STOP, 1);
  Atomics.add(pool.control, SEQ, 1);
  Atomics.notify(pool.control, SEQ);
  for (const w of pool.workers) void w.terminate();
}

/** How many threads would share a product now: the caller and the workers that have started. */
function readyThreads(pool: GemmPool): number {
  let n = 1;
  while (n < pool.threads && Atomics.load(pool.control, readySlot(n)) === 1) n++;
  return n;
}

/** Whether every started worker is polling for work (none would need waking). */
function allAwake(pool: GemmPool, threads: number): boolean {
  for (let i = 1; i < threads; i++) if (Atomics.load(pool.control, awakeSlot(i)) !== 1) return false;
  return true;
}

// Jobs run on the calling thread alone use a private block: the shared one may still be
// read by a worker that woke for the last shared job (see the seqlock in `gemm_share.ts`).
const alone = new Int32Array(JOB_END);
let generation = 0;

/** Publishes generation `gen` and part 0 in a job block's claim word (0 invalidates it). */
function publish(job: Int32Array, gen: number): void {
  Atomics.store(new BigInt64Array(job.buffer, job.byteOffset + 4 * JOB.claim, 1), 0, BigInt(gen) << 32n);
}

/**
 * Runs the product whose parameters are in `params` (in `JOB` order from `form`), of
 * `flops` floating-point operations, across the pool's started workers when it is large
 * enough to gain from them (larger when a worker sleeps and must be woken), else on the
 * calling thread alone; returns how many threads were invited to share it. `flops`
 * Infinity always splits, 0 never. A worker that holds a part for more than `stallMs` is
 * taken for dead: the pool is given up and the product computed again on the calling thread.
 */
export function runProduct(pool: GemmPool | null, loops: SimdGemm, params: number[], flops: number, stallMs = STALL_MS): number {
  return runJob(pool, loops, [], (job) => job.set(params, JOB.form), flops, stallMs);
}

/**
 * Runs `parts` calls of the pool's function number `fn` (`pool_calls.ts`): call `p` gets
 * `args[i] + p · strides[i]` as its argument `i`. Shared when `cost` (in flop-equivalents)
 * is at least {@link CALL_WAKE_COST}, else run on the calling thread; `calls` are the calling
 * thread's functions, used when there is no pool. Parts must not write where another part
 * reads or writes. Returns how many threads were invited.
 */
export function runCall(
  pool: GemmPool | null, loops: SimdGemm, calls: PoolFn[], fn: number, args: number[], strides: number[], parts: number, cost: number,
): number {
  const fill = (job: Int32Array) => {
    job[JOB.form] = FORM_CALL;
    job[JOB.fn] = fn;
    job[JOB.parts] = parts;
    job[JOB.nargs] = args.length;
    job.set(args, JOB.args);
    job.set(strides, JOB.strides);
  };
  return runJob(pool, loops, pool?.calls ?? calls, fill, cost >= CALL_WAKE_COST ? cost : 0, STALL_MS);
}

function runJob(
  pool: GemmPool | null, loops: SimdGemm, calls: PoolFn[], fill: (job: Int32Array) => void, flops: number, stallMs: number,
): number {
  let count = pool && flops >= SPLIT_FLOPS ? readyThreads(pool) : 1;
  if (count > 1 && flops < WAKE_FLOPS && !allAwake(pool!, count)) count = 1;
  if (count === 1 || !pool) {
    fill(alone);
    alone[JOB.count] = 1;
    publish(alone, 1);
    gemmShare(loops, alone, calls, 0);
    return 1;
  }
  const job = pool.control;
  publish(job, 0);
  fill(job);
  job[JOB.count] = count;
  Atomics.store(job, COMPLETED, 0);
  generation = generation >= 0x7fffffff ? 1 : generation + 1;
  publish(job, generation);
  Atomics.add(job, SEQ, 1);
  Atomics.notify(job, SEQ);
  gemmShare(loops, job, calls, 0);
  // Parts still running on other threads are at most one each: poll, and sleep only if
  // that drags on (a descheduled worker). A worker that never claimed a part is not waited for.
  const total = job[JOB.total]!;
  const until = performance.now() + 2;
  for (let n = 1; Atomics.load(job, COMPLETED) < total; n++) if ((n & 1023) === 0 && performance.now() > until) break;
  const deadline = performance.now() + stallMs;
  for (let done = Atomics.load(job, COMPLETED); done < total; done = Atomics.load(job, COMPLETED)) {
    const left = deadline - performance.now();
    if (left <= 0) return abandon(pool, loops, job);
    Atomics.wait(job, COMPLETED, done, left);
  }
  return count;
}

/**
 * Gives up a pool whose worker stopped answering (it died, or hung, mid-job): stops it,
 * runs the whole job again on the calling thread from a private copy (parts the worker
 * claimed may never have been written), and leaves jobs to the calling thread from then on.
 * Returns 1, the threads that computed the result.
 */
function abandon(pool: GemmPool, loops: SimdGemm, job: Int32Array): number {
  if (current?.pool === pool) current = { memory: current.memory, pool: null };
  stopPool(pool);
  console.warn('strata: a matrix-product worker thread stopped answering; products run on the calling thread from now on');
  const mine = Int32Array.from(job);
  mine[JOB.count] = 1;
  publish(mine, 1);
  gemmShare(loops, mine, pool.calls, 0);
  return 1;
}

/** Parts of jobs (rectangles of products, calls) each worker has computed since the pool started (worker 1 first). */
export function partsTaken(pool: GemmPool): number[] {
  return pool.workers.map((_, i) => Atomics.load(pool.control, partsSlot(i + 1)));
}

/** Resolves once every worker of the pool has started (or after `timeoutMs`); returns the threads ready. */
export async function poolReady(pool: GemmPool, timeoutMs = 10_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  while (readyThreads(pool) < pool.threads && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return readyThreads(pool);
}
