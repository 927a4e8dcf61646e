/**
 * Gradient property tests for the Keras options added to existing layers: ReLU's
 * `negativeSlope` and `threshold`, Conv2D's `groups`, Conv2DTranspose's `outputPadding`.
 */
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import * as st from '../engine/st.js';
import { conv2d, conv2dTranspose } from '../../src/layers/conv/index.js';
import { randomUniform } from '../../src/engine/initializers_api.js';
import { RUNS, awayFrom, expectPassed, noLeak, signed, size, values } from './helpers.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function check(layer: st.Layer, x: st.tf.Tensor): void {
  tf.dispose(layer.apply(x) as st.tf.Tensor);
  expectPassed(st.testing.checkGradients((t) => tf.reshape(layer.apply(t) as st.tf.Tensor, [-1]), [x], { weights: layer.weights }));
}

describe('gradient check: layer options', () => {
  it('ReLU with negativeSlope, threshold and maxValue', () => {
    const arb = fc.record({
      negativeSlope: fc.double({ min: 0, max: 1, noNaN: true }),
      threshold: fc.double({ min: 0, max: 2, noNaN: true }),
      maxValue: fc.option(fc.double({ min: 2.5, max: 6, noNaN: true }), { nil: undefined }),
      shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 3 }),
    }).chain((o) => values(size(o.shape), signed(0.05, 7).map(awayFrom([0, o.threshold, o.maxValue ?? 0]))).map((x) => ({ ...o, x })));
    fc.assert(fc.property(arb, ({ negativeSlope, threshold, maxValue, shape, x }) => noLeak((own) => {
      const layer = own(st.layers.reLU({ negativeSlope, threshold, maxValue }));
      check(layer, own(tf.tensor(x, shape)));
    })), { numRuns: RUNS });
  });

  it('Conv2D with groups: input, kernel and bias', () => {
    const arb = fc.record({
      groups: fc.integer({ min: 2, max: 3 }),
      perGroupIn: fc.integer({ min: 1, max: 2 }),
      perGroupOut: fc.integer({ min: 1, max: 2 }),
      k: fc.integer({ min: 1, max: 3 }),
      s: fc.integer({ min: 1, max: 2 }),
      padding: fc.constantFrom('valid' as const, 'same' as const),
      seed: fc.integer({ min: 0, max: 1e6 }),
    });
    fc.assert(fc.property(arb, (c) => noLeak((own) => {
      const layer = own(conv2d({
        filters: c.groups * c.perGroupOut, kernelSize: c.k, strides: c.s, padding: c.padding, groups: c.groups,
        kernelInitializer: randomUniform({ minval: -1, maxval: 1, seed: c.seed }),
        biasInitializer: randomUniform({ minval: -0.5, maxval: 0.5, seed: c.seed + 1 }),
      }));
      check(layer, own(tf.randomUniform([2, 4, 5, c.groups * c.perGroupIn], -1, 1, 'float32', c.seed + 2)));
    })), { numRuns: RUNS });
  });

  it('Conv2DTranspose with outputPadding: input, kernel and bias', () => {
    const arb = fc.record({
      k: fc.integer({ min: 1, max: 4 }),
      s: fc.integer({ min: 2, max: 3 }),
      padding: fc.constantFrom('valid' as const, 'same' as const),
      seed: fc.integer({ min: 0, max: 1e6 }),
    }).chain((c) => fc.integer({ min: 0, max: c.s - 1 }).map((op) => ({ ...c, op })));
    fc.assert(fc.property(arb, (c) => noLeak((own) => {
      const layer = own(conv2dTranspose({
        filters: 2, kernelSize: c.k, strides: c.s, padding: c.padding, outputPadding: c.op,
        kernelInitializer: randomUniform({ minval: -1, maxval: 1, seed: c.seed }),
        biasInitializer: randomUniform({ minval: -0.5, maxval: 0.5, seed: c.seed + 1 }),
      }));
      check(layer, own(tf.randomUniform([1, 3, 2, 2], -1, 1, 'float32', c.seed + 2)));
    })), { numRuns: RUNS });
  });
});
