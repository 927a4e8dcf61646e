import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { simdColumnSum, withSimdBinary, withSimdRelu, withSimdSquare } from '../../src/backend/kernels/elementwise.js';
import { originalWasmKernel } from '../../src/backend/kernels/index.js';
import { withMainThreadClip, withMainThreadSoftmax } from '../../src/backend/kernels/main_thread.js';
import type { BinaryOp } from '../../src/backend/kernels/simd_elementwise.js';
import { runOn, seeded } from './helpers.js';

beforeAll(async () => {
  await setBackend('wasm');
});

afterAll(async () => {
  await setBackend('cpu');
});

const OPS: Record<BinaryOp, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
  add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div,
};

/** Operand shapes: same shape, a row vector either side, a scalar either side, and broadcasts the SIMD loops leave to the backend. */
const pairs = fc
  .tuple(fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 3 }), fc.constantFrom(4, 8, 12, 3, 6, 1))
  .map(([lead, last]) => [...lead, last])
  .chain((shape) => fc.record({
    op: fc.constantFrom<BinaryOp>('add', 'sub', 'mul', 'div'),
    shape: fc.constant(shape),
    form: fc.constantFrom('same', 'row', 'rowFirst', 'scalar', 'scalarFirst', 'column', 'rank0'),
    seed: fc.integer({ min: 1, max: 10_000 }),
  }));

function operands(shape: number[], form: string, seed: number): [tf.Tensor, tf.Tensor] {
  const big = seeded(shape, seed);
  const last = shape[shape.length - 1]!;
  // Divisors kept away from 0 so both backends divide the same finite numbers.
  const other = (s: number[]) => tf.add(seeded(s, seed + 1), 2);
  switch (form) {
    case 'same': return [big, other(shape)];
    case 'row': return [big, other([last])];
    case 'rowFirst': return [other([1, last]), big];
    case 'scalar': return [big, other([1])];
    case 'scalarFirst': return [other([]), big];
    case 'column': return [big, other([...shape.slice(0, -1), 1])];
    default: return [other([]), other([])];
  }
}

describe('wasm elementwise kernels (SIMD loops on the calling thread)', () => {
  it('Add, Sub, Multiply and RealDiv equal cpu bit for bit, for every operand form', async () => {
    await fc.assert(
      fc.asyncProperty(pairs, async ({ op, shape, form, seed }) => {
        const f = () => OPS[op](...operands(shape, form, seed));
        const cpu = await runOn('cpu', f);
        const wasm = await runOn('wasm', f);
        expect(Array.from(wasm[0]!)).toEqual(Array.from(cpu[0]!));
      }),
      { numRuns: 150 },
    );
  });

  it('Relu equals cpu, NaN and -0 included', async () => {
    const f = () => tf.relu(tf.tensor([-2, -0, 0, 0.5, NaN, 3, -1e-30, 7, Infinity, -Infinity, 1]));
    const cpu = await runOn('cpu', f);
    const wasm = await runOn('wasm', f);
    expect(Array.from(wasm[0]!)).toEqual(Array.from(cpu[0]!));
    expect(Number.isNaN(wasm[0]![4]!)).toBe(true);
  });

  it('takes the SIMD path for the forms it claims (the backend kernel is never called)', async () => {
    await setBackend('wasm');
    const fellBack = (): never => { throw new Error('fell back to the backend kernel'); };
    const backend = tf.backend();
    const run = (op: BinaryOp, a: tf.Tensor, b: tf.Tensor): number[] => {
      const info = withSimdBinary(op, fellBack)({ inputs: { a, b }, backend, attrs: {} }) as tf.TensorInfo;
      const t = tf.engine().makeTensorFromTensorInfo(info);
      const out = Array.from(t.dataSync());
      t.dispose();
      return out;
    };
    const a = tf.tensor2d([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]);
    const b = tf.tensor2d([[2, 2, 2, 2, 2], [1, 1, 1, 1, 1]]);
    const row = tf.tensor1d([1, 2, 3, 4]);
    const m = tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 8]]);
    const s = tf.scalar(2);
    expect(run('sub', a, b)).toEqual([-1, 0, 1, 2, 3, 5, 6, 7, 8, 9]);
    expect(run('div', a, s)).toEqual([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]);
    expect(run('div', s, m)).toEqual([2, 1, 2 / 3, 0.5, 0.4, 1 / 3, 2 / 7, 0.25].map(Math.fround));
    expect(run('sub', m, row)).toEqual([0, 0, 0, 0, 4, 4, 4, 4]);
    expect(run('sub', row, m)).toEqual([0, 0, 0, 0, -4, -4, -4, -4]);
    const col = tf.tensor2d([[2], [4]]);
    expect(run('div', m, col)).toEqual([0.5, 1, 1.5, 2, 1.25, 1.5, 1.75, 2]);
    expect(run('sub', col, a)).toEqual([1, 0, -1, -2, -3, -2, -3, -4, -5, -6]);
    const five = tf.tensor1d([0, 1, 2, 3, 4]);
    expect(run('add', a, five)).toEqual([1, 3, 5, 7, 9, 6, 8, 10, 12, 14]);
    five.dispose();
    col.dispose();
    const relu = withSimdRelu(fellBack)({ inputs: { x: a }, backend, attrs: {} }) as tf.TensorInfo;
    tf.engine().makeTensorFromTensorInfo(relu).dispose();
    tf.dispose([a, b, row, m, s]);
  });

  it('leaves the backend kernel the cases it does not handle: int32, and long tensors with rows of a length not a multiple of 4', async () => {
    await setBackend('wasm');
    let calls = 0;
    const original = tf.getKernel('Add', 'wasm')!.kernelFunc;
    const counting: tf.KernelFunc = (args) => { calls++; return original(args); };
    const backend = tf.backend();
    const add = withSimdBinary('add', counting);
    const cases: [tf.Tensor, tf.Tensor][] = [
      [tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([4, 5, 6], 'int32')],
      [tf.fill([30_000, 3], 1.5), tf.tensor1d([1, 2, 3])],
    ];
    for (const [a, b] of cases) {
      const t = tf.engine().makeTensorFromTensorInfo(add({ inputs: { a, b }, backend, attrs: {} }) as tf.TensorInfo);
      expect(Array.from(t.dataSync())).toEqual(Array.from(tf.add(a, b).dataSync()));
      tf.dispose([t, a, b]);
    }
    expect(calls).toBe(2);
  });

  it('column sums (bias gradients) equal the backend\'s own Sum bit for bit, and tf.sum takes them', async () => {
    await setBackend('wasm');
    const backend = tf.backend();
    const original = originalWasmKernel('Sum')!.kernelFunc;
    for (const [rows, cols] of [[1, 4], [7, 8], [128, 256], [3000, 32]] as const) {
      const x = seeded([rows, cols], rows + cols);
      const ours = tf.engine().makeTensorFromTensorInfo(simdColumnSum(backend as never, x, rows, cols)!);
      const theirs = tf.engine().makeTensorFromTensorInfo(original({ inputs: { x }, backend, attrs: { axis: [0], keepDims: false } }) as tf.TensorInfo);
      expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
      const viaOp = tf.sum(tf.reshape(x, [rows, 1, cols]), [0, 1]);
      expect(Array.from(viaOp.dataSync())).toEqual(Array.from(theirs.dataSync()));
      tf.dispose([x, ours, theirs, viaOp]);
    }
    const odd = seeded([5, 6], 3);
    expect(simdColumnSum(backend as never, odd, 5, 6)).toBeUndefined();
    odd.dispose();
  });
});

describe('wasm Softmax, ClipByValue and Square on the calling thread', () => {
  const special = (x: tf.Tensor, seed: number) => {
    // Some NaN, ±Infinity and equal values among the seeded ones.
    const v = Float32Array.from(x.dataSync());
    for (let i = seed % 7; i < v.length; i += 11) v[i] = [NaN, Infinity, -Infinity, 0.5][(i + seed) % 4]!;
    return tf.tensor(v, x.shape, 'float32');
  };

  it('equal cpu to float32 round-off, NaN and infinities included, the backend kernel never called', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.boolean(),
        async (shape, seed, withSpecial) => {
          const f = () => {
            const base = tf.mul(seeded(shape, seed), 20);
            const x = withSpecial ? special(base, seed) : base;
            return [tf.softmax(x), tf.clipByValue(x, -3.3, 7.1), tf.square(x)];
          };
          const cpu = await runOn('cpu', f);
          const wasm = await runOn('wasm', f);
          for (let t = 0; t < 3; t++) {
            for (let i = 0; i < cpu[t]!.length; i++) {
              const [c, w] = [cpu[t]![i]!, wasm[t]![i]!];
              if (Number.isNaN(c)) expect(w).toBeNaN();
              else if (w !== c) expect(Math.abs(w - c)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(c)));
            }
          }
        },
      ),
      { numRuns: 60 },
    );
    // The wrappers compute float32 themselves: a fallback that throws is never reached.
    await setBackend('wasm');
    const fellBack = (): never => { throw new Error('fell back to the backend kernel'); };
    const backend = tf.backend();
    const logits = tf.tensor2d([[1, 2, 3], [0, 0, 0]]);
    const probs = withMainThreadSoftmax(fellBack)({ inputs: { logits }, backend, attrs: { dim: -1 } }) as tf.TensorInfo;
    const clipped = withMainThreadClip(fellBack)({ inputs: { x: logits }, backend, attrs: { clipValueMin: 0.5, clipValueMax: 2 } }) as tf.TensorInfo;
    const [p, c] = [probs, clipped].map((i) => tf.engine().makeTensorFromTensorInfo(i));
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const z = e[0]! + e[1]! + e[2]!;
    expect(Array.from(p!.dataSync())).toEqual([...e.map((v) => Math.fround(v / z)), ...[1, 1, 1].map(() => Math.fround(1 / 3))]);
    expect(Array.from(c!.dataSync())).toEqual([1, 2, 2, 0.5, 0.5, 0.5]);
    const squared = withSimdSquare(fellBack)({ inputs: { x: logits }, backend, attrs: {} }) as tf.TensorInfo;
    const sq = tf.engine().makeTensorFromTensorInfo(squared);
    expect(Array.from(sq.dataSync())).toEqual([1, 4, 9, 0, 0, 0]);
    tf.dispose([p!, c!, sq, logits]);
  });
});
