/**
 * The augmentation layers' kernels on wasm equal cpu: tfjs' Transform (batched on wasm,
 * image by image on cpu, whose batched kernel fills every image after the first), the
 * ScatterNd gradient, and the resize matrices.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { randomRotation, randomZoom } from '../../src/layers/augmentation/index.js';
import { resizeImages } from '../../src/layers/preprocessing/image_ops.js';
import { expectWasmMatchesCpu, seeded } from './helpers.js';

beforeAll(async () => {
  await setBackend('wasm');
});

afterAll(async () => {
  await setBackend('cpu');
});

const RUNS = Number(process.env.GRAD_RUNS ?? 5);

describe('augmentation kernels on wasm equal cpu', () => {
  it('rotation and zoom (every fill mode, both interpolations): values and input gradients', async () => {
    const arb = fc.record({
      n: fc.integer({ min: 1, max: 4 }), h: fc.integer({ min: 2, max: 7 }), w: fc.integer({ min: 2, max: 7 }), c: fc.integer({ min: 1, max: 3 }),
      fillMode: fc.constantFrom('reflect' as const, 'wrap' as const, 'constant' as const, 'nearest' as const),
      interpolation: fc.constantFrom('bilinear' as const, 'nearest' as const),
      seed: fc.integer({ min: 1, max: 1e6 }),
    });
    await fc.assert(fc.asyncProperty(arb, async (c) => {
      const rot = randomRotation({ factor: 0.5, fillMode: c.fillMode, interpolation: c.interpolation, fillValue: 0.3, seed: c.seed });
      const zoom = randomZoom({ heightFactor: 0.5, widthFactor: 0.7, fillMode: c.fillMode, interpolation: c.interpolation, seed: c.seed });
      const pr = rot.sampleParams(c.n, c.h, c.w);
      const pz = zoom.sampleParams(c.n, c.h, c.w);
      await expectWasmMatchesCpu(() => {
        const x = seeded([c.n, c.h, c.w, c.c], c.seed) as tf.Tensor4D;
        const dy = seeded([c.n, c.h, c.w, c.c], c.seed + 1);
        const f = (t: tf.Tensor) => zoom.applyParams(rot.applyParams(t as tf.Tensor4D, pr), pz);
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), dy)));
        return [f(x), g(x)];
      });
    }), { numRuns: RUNS });
  });

  it('resize matrices: values and gradients', async () => {
    await expectWasmMatchesCpu(() => {
      const x = seeded([2, 5, 7, 3], 3) as tf.Tensor4D;
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(resizeImages(t as tf.Tensor4D, 8, 4, 'bilinear', true))));
      return [resizeImages(x, 3, 9, 'bilinear'), resizeImages(x, 4, 4, 'nearest'), g(x)];
    });
  });
});
