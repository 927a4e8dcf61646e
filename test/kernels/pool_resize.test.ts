import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { expectAllClose, expectWasmMatchesCpu, kernel, outSize, runOn, seeded, values } from './helpers.js';

beforeAll(async () => {
  await setBackend('wasm');
});

afterAll(async () => {
  await setBackend('cpu');
});

const poolCase = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 2, max: 9 }),
    w: fc.integer({ min: 2, max: 9 }),
    c: fc.integer({ min: 1, max: 5 }),
    k: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 3 }),
    pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
    seed: fc.integer({ min: 1, max: 1e9 }),
  })
  .filter((c) => outSize(c.h, c.k, c.stride, c.pad) > 0 && outSize(c.w, c.k, c.stride, c.pad) > 0);

describe('pooling gradients on wasm equal cpu', () => {
  // Values in [-1, 1): windows whose maximum is negative broke tfjs-backend-wasm's MaxPoolGrad.
  it('MaxPoolGrad and AvgPoolGrad kernels, random shapes, windows, strides, paddings', async () => {
    await fc.assert(
      fc.asyncProperty(poolCase, async (c) => {
        await expectWasmMatchesCpu(() => {
          const x = seeded([c.batch, c.h, c.w, c.c], c.seed) as tf.Tensor4D;
          const y = tf.maxPool(x, c.k, c.stride, c.pad);
          const dy = seeded(y.shape, c.seed + 1);
          const attrs = { filterSize: c.k, strides: c.stride, pad: c.pad };
          return [y, kernel('MaxPoolGrad', { dy, input: x, output: y }, attrs), kernel('AvgPoolGrad', { dy, input: x }, attrs)];
        });
      }),
      { numRuns: 40 },
    );
  });

  it('tf.grad of maxPool and avgPool, including ties (all-zero windows after relu)', async () => {
    await fc.assert(
      fc.asyncProperty(poolCase, async (c) => {
        await expectWasmMatchesCpu(() => {
          const x = seeded([c.batch, c.h, c.w, c.c], c.seed);
          return tf.grads((a: tf.Tensor) => {
            const r = tf.relu(a) as tf.Tensor4D;
            return tf.add(tf.sum(tf.square(tf.maxPool(r, c.k, c.stride, c.pad))), tf.sum(tf.square(tf.avgPool(a as tf.Tensor4D, c.k, c.stride, c.pad))));
          })([x]);
        });
      }),
      { numRuns: 25 },
    );
  });

  it('2×2 stride-2 max pooling with 4k channels (the SIMD loops, forward and gradient): exactly cpu, ties, -Infinity and NaN included', async () => {
    const simdCase = fc.record({
      batch: fc.integer({ min: 1, max: 3 }),
      h: fc.integer({ min: 2, max: 9 }),
      w: fc.integer({ min: 2, max: 9 }),
      c: fc.constantFrom(4, 8, 12),
      pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
      specials: fc.boolean(),
      seed: fc.integer({ min: 1, max: 1e9 }),
    });
    await fc.assert(
      fc.asyncProperty(simdCase, async (c) => {
        const f = () => {
          // Few distinct values, so windows tie; optionally -Infinity and NaN sprinkled in.
          let x = tf.round(tf.mul(seeded([c.batch, c.h, c.w, c.c], c.seed), 2)) as tf.Tensor4D;
          if (c.specials) {
            const pick = seeded(x.shape, c.seed + 7);
            x = tf.where(tf.greater(pick, 0.8), tf.fill(x.shape, -Infinity), tf.where(tf.less(pick, -0.9), tf.fill(x.shape, NaN), x)) as tf.Tensor4D;
          }
          const y = tf.maxPool(x, 2, 2, c.pad);
          return [y, kernel('MaxPoolGrad', { dy: seeded(y.shape, c.seed + 1), input: x, output: y }, { filterSize: 2, strides: 2, pad: c.pad })];
        };
        const cpu = await runOn('cpu', f);
        const wasm = await runOn('wasm', f);
        // Windows past the edge go to the backend's XNNPACK pooling, which lets NaN through
        // differently: compare its forward output only without NaN.
        const strataLoop = c.h % 2 === 0 && c.w % 2 === 0 || c.pad === 'valid';
        const compared = strataLoop || !c.specials ? [0, 1] : [1];
        for (const i of compared) expect(Array.from(wasm[i]!).map(String)).toEqual(Array.from(cpu[i]!).map(String));
      }),
      { numRuns: 60 },
    );
  });

  it('2×2 stride-2 max pooling on 26×26 (the unrolled path) with ties and NaN-free negatives', async () => {
    await expectWasmMatchesCpu(() => {
      const x = tf.round(tf.mul(seeded([2, 26, 26, 8], 61), 3)) as tf.Tensor4D;
      const y = tf.maxPool(x, 2, 2, 'valid');
      return [y, kernel('MaxPoolGrad', { dy: seeded(y.shape, 62), input: x, output: y }, { filterSize: 2, strides: 2, pad: 'valid' })];
    });
  });
});

const resizeCase = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  h: fc.integer({ min: 1, max: 6 }),
  w: fc.integer({ min: 1, max: 6 }),
  c: fc.integer({ min: 1, max: 3 }),
  oh: fc.integer({ min: 1, max: 9 }),
  ow: fc.integer({ min: 1, max: 9 }),
  mode: fc.constantFrom('plain', 'alignCorners', 'halfPixelCenters'),
  seed: fc.integer({ min: 1, max: 1e9 }),
});

type ResizeCase = typeof resizeCase extends fc.Arbitrary<infer T> ? T : never;

/**
 * The gradient of a resize is the transpose of its (linear) forward map. Column `i` of
 * that map is the resize of the one-hot image `e_i`, so the reference gradient is
 * Σ_p dy[p] · resize(e_i)[p]: forward resizes only, no gradient kernel involved.
 */
function transposeOfForward(c: ResizeCase, bilinear: boolean, dy: Float32Array): Float32Array {
  const pixels = c.h * c.w;
  const eye = tf.reshape(tf.eye(pixels), [pixels, c.h, c.w, 1]) as tf.Tensor4D;
  const ac = c.mode === 'alignCorners';
  const hp = c.mode === 'halfPixelCenters';
  const columns = (bilinear ? tf.image.resizeBilinear(eye, [c.oh, c.ow], ac, hp) : tf.image.resizeNearestNeighbor(eye, [c.oh, c.ow], ac, hp)).dataSync();
  const out = c.oh * c.ow;
  const dx = new Float32Array(c.batch * pixels * c.c);
  for (let b = 0; b < c.batch; b++) {
    for (let i = 0; i < pixels; i++) {
      for (let ch = 0; ch < c.c; ch++) {
        let s = 0;
        for (let p = 0; p < out; p++) s += columns[i * out + p]! * dy[(b * out + p) * c.c + ch]!;
        dx[(b * pixels + i) * c.c + ch] = s;
      }
    }
  }
  return dx;
}

describe('resize gradients on wasm', () => {
  for (const bilinear of [false, true]) {
    const name = bilinear ? 'ResizeBilinearGrad' : 'ResizeNearestNeighborGrad';
    it(`${name} is the transpose of the forward resize (align corners, half-pixel centres)`, async () => {
      await setBackend('wasm');
      await fc.assert(
        fc.asyncProperty(resizeCase, async (c) => {
          const dyValues = values(c.batch * c.oh * c.ow * c.c, c.seed);
          const [got] = await runOn('wasm', () =>
            kernel(name, { images: tf.zeros([c.batch, c.h, c.w, c.c]), dy: tf.tensor4d(dyValues, [c.batch, c.oh, c.ow, c.c]) }, {
              alignCorners: c.mode === 'alignCorners',
              halfPixelCenters: c.mode === 'halfPixelCenters',
            }),
          );
          const [want] = await runOn('wasm', () => tf.tensor(transposeOfForward(c, bilinear, dyValues)));
          expectAllClose([got!], [want!]);
        }),
        { numRuns: 30 },
      );
    });
  }

  // tfjs-backend-cpu's resize gradients are right only for one square image without
  // half-pixel centres (batch offsets and the output shape are wrong otherwise).
  it('tf.grad through upsampling equals cpu where the cpu kernels are right', async () => {
    await expectWasmMatchesCpu(() => {
      const x = seeded([1, 4, 4, 2], 71) as tf.Tensor4D;
      const w1 = seeded([1, 8, 8, 2], 72);
      const w2 = seeded([1, 7, 7, 2], 73);
      return tf.grads((a: tf.Tensor) =>
        tf.add(
          tf.sum(tf.mul(tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [8, 8]), w1)),
          tf.sum(tf.mul(tf.image.resizeBilinear(a as tf.Tensor4D, [7, 7], true), w2)),
        ),
      )([x]);
    });
  });

  it('forward resizes agree with cpu', async () => {
    await expectWasmMatchesCpu(() => {
      const x = seeded([2, 3, 5, 2], 81) as tf.Tensor4D;
      return [
        tf.image.resizeNearestNeighbor(x, [7, 4], false, true),
        tf.image.resizeBilinear(x, [7, 4], false, true),
        tf.image.resizeBilinear(x, [4, 9], true),
      ];
    });
  });
});
