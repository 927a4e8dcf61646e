/**
 * Zeroing heap ranges with wasm's `memory.fill`. On the threaded build the heap is a
 * `SharedArrayBuffer`, and `Float32Array.prototype.fill` on shared memory runs about 8×
 * slower than on a plain buffer (measured in Node 20: 0.25 ms against 0.03 ms for 4 MB), so
 * kernels that zero an output or a padded copy before filling it lost a millisecond a
 * training step to it.
 * @module
 */
import { I32, get, section, str, uleb, vec, compiledFor, memoryImport } from './wasm_asm.js';

const TYPE = [0x60, ...vec([[I32], [I32]]), 0x00]; // (offset, bytes)
const BODY = (() => {
  const code = [0x00, ...get(0), 0x41, 0x00, ...get(1), 0xfc, 0x0b, 0x00, 0x0b]; // memory.fill(offset, 0, bytes)
  return [...uleb(code.length), ...code];
})();

function moduleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([TYPE])),
    ...memoryImport(shared),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...str('zero'), 0x00, 0]])),
    ...section(10, vec([BODY])),
  ]);
}

const instances = new WeakMap<WebAssembly.Memory, ((offset: number, bytes: number) => void) | null>();

/** Zeroes `bytes` bytes of `memory` from `offset`: `memory.fill` where it compiles, a typed-array fill otherwise. */
export function zeroHeap(memory: WebAssembly.Memory, offset: number, bytes: number): void {
  const zero = compiledFor(instances, memory, moduleBytes, (e) => e.zero as (offset: number, bytes: number) => void);
  if (zero) zero(offset, bytes);
  else new Uint8Array(memory.buffer, offset, bytes).fill(0);
}
