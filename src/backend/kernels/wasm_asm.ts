/**
 * A tiny assembler for the wasm SIMD loops strata adds to the wasm backend: LEB128
 * numbers, sections and whole modules, the instructions and loop helpers the modules
 * share, and a counted loop over 16-byte blocks.
 * @module
 */

/** Value types: i32, f32, v128. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** `n` as unsigned LEB128 bytes. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** `n` as signed LEB128 bytes (the immediate of `i32.const`). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A length-prefixed name. */
export function str(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

/** A module section: id, byte length, body. */
export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A vector: count, then the items. */
export function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** `local.get i`. */
export const get = (i: number) => [0x20, ...uleb(i)];
/** `local.set i`. */
export const set = (i: number) => [0x21, ...uleb(i)];
/** A SIMD instruction (0xfd prefix). */
export const simd = (op: number) => [0xfd, ...uleb(op)];
/** `v128.load` */
export const load = [...simd(0x00), 0x00, 0x00]; // v128.load align=1 offset=0 (any alignment)
/** `v128.store` */
export const store = [...simd(0x0b), 0x00, 0x00];
/** `f32x4.splat` */
export const splat = simd(0x13);
/** `f32x4.sqrt` */
export const sqrt = simd(0xe3);
/** `f32x4.add` */
export const add = simd(0xe4);
/** `f32x4.sub` */
export const sub = simd(0xe5);
/** `f32x4.mul` */
export const mul = simd(0xe6);
/** `f32x4.div` */
export const div = simd(0xe7);
/** `f32x4.max` (NaN in, NaN out) */
export const max = simd(0xe9);
/** `i32.add` */
export const i32add = [0x6a];
/** `f32x4.lt` */
export const lt = simd(0x43);
/** `f32x4.gt` */
export const gt = simd(0x44);
/** `v128.and` */
export const and = simd(0x4e);
/** `v128.andnot` */
export const andnot = simd(0x4f);
/** `v128.bitselect` (a where the mask is set, b elsewhere) */
export const bitselect = simd(0x52);
/** `f32x4.pmax`: `a < b ? b : a` (NaN in `b` never wins) */
export const pmax = simd(0xeb);
/** `block` (no result) */
export const BLOCK = [0x02, 0x40];
/** `loop` (no result) */
export const LOOP = [0x03, 0x40];
/** `end` */
export const END = [0x0b];
/** Inside `block; loop`: leaves the block when local `i` ≥ local `n` (unsigned). */
export const breakIfDone = (i: number, n: number) => [...get(i), ...get(n), 0x4f, 0x0d, 0x01];
/** `local[i] += local[j]` (i32). */
export const addLocal = (i: number, j: number) => [...get(i), ...get(j), ...i32add, ...set(i)];
/** `local[i] += c` (i32). */
export const addConst = (i: number, c: number) => [...get(i), 0x41, ...sleb(c), ...i32add, ...set(i)];
/** Address `base + k` of the current 16-byte block (k is local `k`). */
export const at = (base: number, k: number) => [...get(base), ...get(k), ...i32add];

/**
 * A function body: splats scalar params into v128 locals, runs `prologue`, then loops over
 * `len` bytes in steps of 16 running `step`, then runs `epilogue` (which leaves the
 * function's result, if it has one). `scalars` maps param index to the local it fills.
 */
export function body(
  k: number, len: number, locals: number[][], scalars: [number, number][], step: number[], prologue: number[] = [], epilogue: number[] = [],
): number[] {
  return sized([
    ...vec(locals),
    ...scalars.flatMap(([p, l]) => [...get(p), ...splat, ...set(l)]),
    ...prologue,
    ...BLOCK, ...LOOP,
    ...breakIfDone(k, len),
    ...step,
    ...addConst(k, 16),
    0x0c, 0x00, // continue
    ...END, ...END,
    ...epilogue,
    ...END,
  ]);
}

/** A function's entry in the code section: its byte length, then `code`. */
export const sized = (code: number[]) => [...uleb(code.length), ...code];

/**
 * A module of `functions` (export name, index into `types`, code entry) over the imported
 * heap, each exported under its name in order.
 */
export function wasmModule(shared: boolean, types: number[][], functions: [string, number, number[]][]): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...memoryImport(shared),
    ...section(3, vec(functions.map(([, type]) => uleb(type)))),
    ...section(7, vec(functions.map(([name], i) => [...str(name), 0x00, ...uleb(i)]))),
    ...section(10, vec(functions.map(([, , code]) => code))),
  ]);
}

/** The import of the heap: `env.memory`, shared (with tfjs' 4 GiB maximum) for the threaded build. */
export function memoryImport(shared: boolean): number[] {
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(0)];
  return section(2, vec([[...str('env'), ...str('memory'), 0x02, ...limits]]));
}

/**
 * Compiles a module built by `bytes` against `memory` (the wasm backend's heap), once per
 * memory and cache, and returns what `pick` takes from its exports; null where wasm SIMD is
 * unavailable or the module does not instantiate.
 */
export function compiledFor<T>(
  cache: WeakMap<WebAssembly.Memory, T | null>,
  memory: WebAssembly.Memory,
  bytes: (shared: boolean) => Uint8Array<ArrayBuffer>,
  pick: (exports: WebAssembly.Exports) => T,
): T | null {
  let found = cache.get(memory);
  if (found !== undefined) return found;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    found = pick(new WebAssembly.Instance(new WebAssembly.Module(bytes(shared)), { env: { memory } }).exports);
  } catch {
    found = null;
  }
  cache.set(memory, found);
  return found;
}
