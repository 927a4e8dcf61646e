import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import * as st from '../engine/st.js';
import { ACTIVATIONS, KINKS, RUNS, awayFrom, expectPassed, noLeak, signed, size, values } from './helpers.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

/** A shape of rank `minRank`..`maxRank` (batch included) with small dimensions. */
function shapeArb(minRank: number, maxRank: number, minDim = 1): fc.Arbitrary<number[]> {
  return fc.integer({ min: minRank, max: maxRank }).chain((r) => fc.array(fc.integer({ min: minDim, max: 4 }), { minLength: r, maxLength: r }));
}

/** A shape and values in ±[0.05, 4], moved at least 2·MARGIN away from `kinks`. */
function inputArb(kinks: number[], minRank = 2, maxRank = 3, minDim = 1): fc.Arbitrary<{ shape: number[]; x: number[] }> {
  return shapeArb(minRank, maxRank, minDim).chain((shape) =>
    values(size(shape), signed(0.05, 4).map(awayFrom(kinks))).map((x) => ({ shape, x })),
  );
}

/** Gradient check of `layer` at `x`, w.r.t. the input and every weight of the layer. */
function checkLayer(makeLayer: () => st.Layer, shape: number[], xs: number[]): void {
  noLeak((own) => {
    const layer = own(makeLayer());
    const x = own(tf.tensor(xs, shape));
    own(layer.apply(x) as st.tf.Tensor);
    const report = st.testing.checkGradients((t) => layer.apply(t) as st.tf.Tensor, [x], { weights: layer.weights });
    expectPassed(report);
  });
}

describe('gradient check: activation layers', () => {
  for (const name of ACTIVATIONS) {
    it(`Activation '${name}'`, () => {
      fc.assert(
        fc.property(inputArb(KINKS[name]!, 2, 3, name === 'softmax' ? 2 : 1), ({ shape, x }) =>
          checkLayer(() => st.layers.activation({ activation: name }), shape, x)),
        { numRuns: RUNS },
      );
    });
  }

  it('ReLU', () => {
    fc.assert(fc.property(inputArb([0], 2, 4), ({ shape, x }) => checkLayer(() => st.layers.reLU(), shape, x)), { numRuns: RUNS });
  });

  it('ReLU with maxValue', () => {
    const arb = fc.double({ min: 0.5, max: 6, noNaN: true }).chain((maxValue) =>
      inputArb([0, maxValue]).map((c) => ({ ...c, maxValue })));
    fc.assert(
      fc.property(arb, ({ shape, x, maxValue }) => checkLayer(() => st.layers.reLU({ maxValue }), shape, x)),
      { numRuns: RUNS },
    );
  });

  it('ReLU with maxValue 6 (the relu6 kernel)', () => {
    fc.assert(
      fc.property(inputArb([0, 6]), ({ shape, x }) => checkLayer(() => st.layers.reLU({ maxValue: 6 }), shape, x)),
      { numRuns: RUNS },
    );
  });

  it('LeakyReLU', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), inputArb([0], 2, 4), (alpha, { shape, x }) =>
        checkLayer(() => st.layers.leakyReLU({ alpha }), shape, x)),
      { numRuns: RUNS },
    );
  });

  it('PReLU, with and without sharedAxes: input and alpha', () => {
    const arb = shapeArb(2, 4).chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        x: values(size(shape), signed(0.05, 3)),
        sharedAxes: fc.subarray(shape.slice(1).map((_, i) => i + 1)),
        seed: fc.integer({ min: 0, max: 1e6 }),
      }));
    fc.assert(
      fc.property(arb, ({ shape, x, sharedAxes, seed }) =>
        checkLayer(() => st.layers.prelu({
          sharedAxes,
          alphaInitializer: st.initializers.randomUniform({ minval: -0.5, maxval: 1, seed }),
        }), shape, x)),
      { numRuns: RUNS },
    );
  });

  it('ELU with alpha ≠ 1', () => {
    const alpha = fc.oneof(fc.double({ min: 0.1, max: 0.9, noNaN: true }), fc.double({ min: 1.1, max: 3, noNaN: true }));
    fc.assert(
      fc.property(alpha, inputArb([0], 2, 4), (a, { shape, x }) => checkLayer(() => st.layers.elu({ alpha: a }), shape, x)),
      { numRuns: RUNS },
    );
  });

  it('Softmax over an axis other than the last', () => {
    const arb = shapeArb(3, 4, 2).chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        x: values(size(shape), fc.double({ min: -3, max: 3, noNaN: true })),
        // Any axis but the last, written positive or negative.
        axis: fc.integer({ min: 0, max: shape.length - 2 }).chain((a) => fc.constantFrom(a, a - shape.length)),
      }));
    fc.assert(
      fc.property(arb, ({ shape, x, axis }) => checkLayer(() => st.layers.softmax({ axis }), shape, x)),
      { numRuns: RUNS },
    );
  });
});
