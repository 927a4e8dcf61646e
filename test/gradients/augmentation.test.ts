/**
 * Gradient property tests for the augmentation layers: with the random parameters drawn
 * and held fixed, each transform is checked against central finite differences with
 * respect to its input images (Keras' JAX backend differentiates through them too).
 */
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import * as st from '../engine/st.js';
import {
  randomBrightness, randomContrast, randomCrop, randomFlip, randomRotation, randomTranslation, randomZoom,
  type RandomLayer,
} from '../../src/layers/augmentation/index.js';
import { RUNS, expectPassed, noLeak } from './helpers.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

const image = fc.record({
  n: fc.integer({ min: 1, max: 3 }),
  h: fc.integer({ min: 2, max: 5 }),
  w: fc.integer({ min: 2, max: 5 }),
  c: fc.integer({ min: 1, max: 2 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
});

/** Draws the layer's parameters once, then checks d(applyParams(x))/dx. */
function check(layer: RandomLayer<unknown>, shape: [number, number, number, number], seed: number): void {
  noLeak((own) => {
    const x = own(tf.randomUniform(shape, -1, 1, 'float32', seed)) as st.tf.Tensor4D;
    const params = layer.sampleParams(shape[0], shape[1], shape[2]);
    expectPassed(st.testing.checkGradients((t) => tf.reshape(layer.applyParams(t as st.tf.Tensor4D, params), [-1]), [x]));
  });
}

const geometric = fc.record({
  fillMode: fc.constantFrom('reflect' as const, 'wrap' as const, 'constant' as const, 'nearest' as const),
  interpolation: fc.constantFrom('bilinear' as const, 'nearest' as const),
  fillValue: fc.double({ min: -1, max: 1, noNaN: true }),
  seed: fc.integer({ min: 0, max: 1e6 }),
});

describe('gradient check: augmentation layers (parameters fixed)', () => {
  it('RandomRotation, every fill mode and interpolation', () => {
    fc.assert(fc.property(image, geometric, (c, g) =>
      check(randomRotation({ factor: 0.5, ...g }), [c.n, c.h, c.w, c.c], c.seed)), { numRuns: RUNS });
  });

  it('RandomZoom (in and out, separate width zoom)', () => {
    fc.assert(fc.property(image, geometric, (c, g) =>
      check(randomZoom({ heightFactor: 0.6, widthFactor: [-0.5, 0.9], ...g }), [c.n, c.h, c.w, c.c], c.seed)), { numRuns: RUNS });
  });

  it('RandomTranslation', () => {
    fc.assert(fc.property(image, geometric, (c, g) =>
      check(randomTranslation({ heightFactor: 0.5, widthFactor: 0.5, ...g }), [c.n, c.h, c.w, c.c], c.seed)), { numRuns: RUNS });
  });

  it('RandomFlip, RandomContrast, RandomBrightness, RandomCrop', () => {
    fc.assert(fc.property(image, (c) => {
      const shape: [number, number, number, number] = [c.n, c.h + 1, c.w + 1, c.c];
      check(randomFlip({ seed: c.seed }), shape, c.seed);
      check(randomContrast({ factor: 0.5, valueRange: [-10, 10], seed: c.seed }), shape, c.seed);
      check(randomBrightness({ factor: 0.2, valueRange: [-10, 10], seed: c.seed }), shape, c.seed);
      check(randomCrop({ height: c.h, width: c.w, seed: c.seed }), shape, c.seed);
    }), { numRuns: RUNS });
  });
});
