/**
 * Gradient property tests for the preprocessing and reshaping layers added for Keras
 * parity: autodiff against central finite differences on random shapes and values.
 */
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import * as st from '../engine/st.js';
import { identity } from '../../src/layers/core/identity.js';
import { centerCrop, normalization, rescaling, resizing } from '../../src/layers/preprocessing/index.js';
import { cropping2d, permute } from '../../src/layers/reshape/index.js';
import { RUNS, expectPassed, noLeak } from './helpers.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

const image = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  h: fc.integer({ min: 2, max: 5 }),
  w: fc.integer({ min: 2, max: 5 }),
  c: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
});

function check(make: () => st.Layer, shape: number[], seed: number): void {
  noLeak((own) => {
    const layer = own(make());
    const x = own(tf.randomUniform(shape, -2, 2, 'float32', seed));
    tf.dispose(layer.apply(x) as st.tf.Tensor);
    expectPassed(st.testing.checkGradients((t) => tf.reshape(layer.apply(t) as st.tf.Tensor, [-1]), [x], { weights: layer.weights }));
  });
}

describe('gradient check: preprocessing and reshaping layers', () => {
  it('Rescaling (scalar and per channel)', () => {
    fc.assert(fc.property(image, fc.boolean(), (c, perChannel) => check(
      () => rescaling(perChannel ? { scale: Array.from({ length: c.c }, (_, i) => 0.5 + i), offset: 1 } : { scale: 2, offset: -1 }),
      [c.n, c.h, c.w, c.c], c.seed)), { numRuns: RUNS });
  });

  it('Normalization (fixed statistics, and inverted)', () => {
    fc.assert(fc.property(image, fc.boolean(), (c, invert) => check(
      () => normalization({ mean: Array.from({ length: c.c }, (_, i) => i - 1), variance: Array.from({ length: c.c }, (_, i) => 0.5 + i), invert }),
      [c.n, c.h, c.w, c.c], c.seed)), { numRuns: RUNS });
  });

  it('Resizing (bilinear and nearest, with and without the aspect crop)', () => {
    const arb = fc.record({
      oh: fc.integer({ min: 1, max: 6 }), ow: fc.integer({ min: 1, max: 6 }),
      interpolation: fc.constantFrom('bilinear' as const, 'nearest' as const), crop: fc.boolean(),
    });
    fc.assert(fc.property(image, arb, (c, r) => check(
      () => resizing({ height: r.oh, width: r.ow, interpolation: r.interpolation, cropToAspectRatio: r.crop }),
      [c.n, c.h, c.w, c.c], c.seed)), { numRuns: RUNS });
  });

  it('CenterCrop (smaller and larger than the input)', () => {
    fc.assert(fc.property(image, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (c, h, w) => check(
      () => centerCrop({ height: h, width: w }), [c.n, c.h, c.w, c.c], c.seed)), { numRuns: RUNS });
  });

  it('Cropping2D, Permute and Identity', () => {
    fc.assert(fc.property(image, fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), (c, a, b) => {
      check(() => cropping2d({ cropping: [[a, 0], [0, b]] }), [c.n, c.h, c.w, c.c], c.seed);
      check(() => permute({ dims: [3, 1, 2] }), [c.n, c.h, c.w, c.c], c.seed);
      check(() => identity(), [c.n, c.h, c.w, c.c], c.seed);
    }), { numRuns: RUNS });
  });
});
