import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { simdColumnSum, withSimdBinary, withSimdRelu, withSimdSigmoid, withSimdSquare, withSimdTanh } from '../../src/backend/kernels/elementwise.js';
import { originalWasmKernel } from '../../src/backend/kernels/index.js';
import { withMainThreadClip, withMainThreadSoftmax } from '../../src/backend/kernels/main_thread.js';
import type { BinaryOp } from '../../src/backend/kernels/simd_elementwise.js';
import { runOn, seeded, values } from './helpers.js';

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

  /** Units in the last place of float32 `exact` (the spacing of normal floats at its magnitude). */
  const ulp = (exact: number): number => 2 ** (Math.floor(Math.log2(Math.max(Math.abs(exact), 2 ** -126))) - 23);

  it('Sigmoid and Tanh are within 3 ulp of float64 in the normal range, NaN, ±0 and ±Infinity included, the backend kernel never called', async () => {
    await setBackend('wasm');
    const fellBack = (): never => { throw new Error('fell back to the backend kernel'); };
    const backend = tf.backend();
    const specials = [0, -0, 0.5, -0.5, Math.fround(0.5 - 2 ** -25), 1e-30, -1e-30, 1e-45, 9, -9, 20, 44.5, 88, 88.7, 100, -87, -100, Infinity, -Infinity, NaN];
    const cases: [string, (x: number) => number, typeof withSimdSigmoid][] = [
      ['sigmoid', (x) => 1 / (1 + Math.exp(-x)), withSimdSigmoid],
      ['tanh', Math.tanh, withSimdTanh],
    ];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 203 }), fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(0.01, 1, 3, 30, 120), async (n, seed, scale) => {
        // Sizes with every remainder mod 4 (the SIMD loop's tail), values at several scales.
        const v = Float32Array.from(values(n, seed), (u) => u * scale);
        for (let i = seed % 5; i < n; i += 13) v[i] = specials[(i + seed) % specials.length]!;
        const x = tf.tensor1d(v);
        for (const [name, exact, wrap] of cases) {
          const info = wrap(fellBack)({ inputs: { x }, backend, attrs: {} }) as tf.TensorInfo;
          const y = tf.engine().makeTensorFromTensorInfo(info);
          const got = y.dataSync();
          y.dispose();
          for (let i = 0; i < n; i++) {
            const e = exact(v[i]!);
            if (Number.isNaN(e)) expect(got[i], `${name}(${v[i]})`).toBeNaN();
            else if (Math.abs(e) < 2 ** -126) expect(Math.abs(got[i]!), `${name}(${v[i]})`).toBeLessThan(2 ** -126);
            else expect(Math.abs(got[i]! - e), `${name}(${v[i]}) = ${got[i]}, exact ${e}`).toBeLessThanOrEqual(3 * ulp(e));
          }
          // Odd and signed: tanh(-0) is -0.
          if (name === 'tanh') v.forEach((u, i) => { if (u === 0) expect(Object.is(got[i], u)).toBe(true); });
        }
        x.dispose();
      }),
      { numRuns: 80 },
    );
  });

  it('tf.sigmoid and tf.tanh on wasm agree with cpu', async () => {
    const f = () => { const x = tf.mul(seeded([7, 9], 3), 6); return [tf.sigmoid(x), tf.tanh(x)]; };
    const cpu = await runOn('cpu', f);
    const wasm = await runOn('wasm', f);
    for (let t = 0; t < 2; t++) for (let i = 0; i < cpu[t]!.length; i++) expect(Math.abs(wasm[t]![i]! - cpu[t]![i]!)).toBeLessThanOrEqual(3e-7);
  });
});

describe('leaky ReLU on wasm', () => {
  it('forward within one float32 rounding of cpu and gradient bit for bit, NaN, -0 and every size mod 4 included, in one kernel each', async () => {
    const { leakyRelu } = await import('../../src/backend/leaky_relu.js');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 203 }), fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(0.2, 0.3, 0.01, 1.5), async (n, seed, alpha) => {
        const f = () => {
          const v = Float32Array.from(values(n, seed), (u) => u * 5);
          for (let i = seed % 7; i < n; i += 11) v[i] = [NaN, -0, 0, Infinity, -Infinity][(i + seed) % 5]!;
          const x = tf.tensor1d(v);
          const w = seeded([n], seed + 1);
          const [y, g] = [leakyRelu(x, alpha), tf.grad((t: tf.Tensor) => tf.sum(tf.mul(leakyRelu(t, alpha), w)))(x)];
          return [y, g];
        };
        const cpu = await runOn('cpu', f);
        const wasm = await runOn('wasm', f);
        for (let t = 0; t < 2; t++) {
          for (let i = 0; i < n; i++) {
            const [w, c] = [wasm[t]![i]!, cpu[t]![i]!];
            if (Number.isNaN(c)) expect(w).toBeNaN();
            // cpu's forward kernel multiplies by the float64 alpha, the gradient by its float32.
            else if (t === 0 && w !== c) expect(Math.abs(w - c), `${t}[${i}]: ${w} vs ${c}`).toBeLessThanOrEqual(Math.abs(c) * 2 ** -23);
            else expect(Object.is(w, c), `${t}[${i}]: ${w} vs ${c}`).toBe(true);
          }
        }
      }),
      { numRuns: 60 },
    );
    await setBackend('wasm');
    const x = tf.tensor1d([-2, 3, -1, 4, 5]);
    const { kernels } = await tf.profile(() => tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(leakyRelu(t, 0.2)))(x)));
    const names = kernels.map((k) => k.name);
    expect(names).toContain('StrataLeakyReluGrad');
    expect(names).not.toContain('Select');
    x.dispose();
  });
});
