import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import * as st from '../engine/st.js';
import { ACTIVATIONS, KINKS, MARGIN, RUNS, expectPassed, nearKink, noLeak, signed, size, values, withPenalties } from './helpers.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

type RegKind = 'none' | 'l1' | 'l2' | 'l1l2';

interface DenseCase {
  shape: number[];
  units: number;
  useBias: boolean;
  reg: RegKind;
  seed: number;
  x: number[];
}

function denseCase(minUnits: number, regs: RegKind[]): fc.Arbitrary<DenseCase> {
  return fc
    .record({
      rank: fc.constantFrom(2, 3),
      batch: fc.integer({ min: 1, max: 3 }),
      steps: fc.integer({ min: 1, max: 3 }),
      inDim: fc.integer({ min: 1, max: 4 }),
      units: fc.integer({ min: minUnits, max: 4 }),
      useBias: fc.boolean(),
      reg: fc.constantFrom(...regs),
      seed: fc.integer({ min: 0, max: 1e6 }),
    })
    .chain((c) => {
      const shape = c.rank === 2 ? [c.batch, c.inDim] : [c.batch, c.steps, c.inDim];
      return values(size(shape), signed(0.05, 2)).map((x) => ({ shape, units: c.units, useBias: c.useBias, reg: c.reg, seed: c.seed, x }));
    });
}

function regularizer(kind: RegKind): st.regularizers.L1L2 | undefined {
  if (kind === 'l1') return st.regularizers.l1({ l1: 0.05 });
  if (kind === 'l2') return st.regularizers.l2({ l2: 0.05 });
  if (kind === 'l1l2') return st.regularizers.l1l2({ l1: 0.03, l2: 0.07 });
  return undefined;
}

/** `x · kernel + bias`, the values the activation sees. */
function preActivation(layer: st.layers.Dense, x: st.tf.Tensor): st.tf.Tensor {
  return tf.tidy(() => {
    const [kernel, bias] = layer.weights.map((w) => w.read());
    const z = tf.matMul(tf.reshape(x, [-1, x.shape[x.shape.length - 1]!]), kernel!);
    return bias ? tf.add(z, bias) : z;
  });
}

function checkDense(activation: st.ActivationName, c: DenseCase): void {
  noLeak((own) => {
    const layer = own(st.layers.dense({
      units: c.units,
      activation,
      useBias: c.useBias,
      kernelInitializer: st.initializers.randomUniform({ minval: -1, maxval: 1, seed: c.seed }),
      biasInitializer: st.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: c.seed + 1 }),
      kernelRegularizer: regularizer(c.reg),
    }));
    const x = own(tf.tensor(c.x, c.shape));
    own(layer.apply(x) as st.tf.Tensor);
    const z = own(preActivation(layer, x));
    fc.pre(!nearKink(z, KINKS[activation]!));
    if (c.reg === 'l1' || c.reg === 'l1l2') fc.pre(!nearKink(layer.weights[0]!.read(), [0], MARGIN));
    const report = st.testing.checkGradients((t) => withPenalties(layer.apply(t) as st.tf.Tensor, layer), [x], {
      weights: layer.weights,
    });
    expectPassed(report);
  });
}

describe('gradient check: Dense', () => {
  for (const activation of ACTIVATIONS) {
    it(`${activation}: inputs, kernel and bias (rank 2 and 3, with and without bias)`, () => {
      fc.assert(fc.property(denseCase(activation === 'softmax' ? 2 : 1, ['none']), (c) => checkDense(activation, c)), {
        numRuns: RUNS,
      });
    });
  }

  it('with a kernel regularizer, the penalty is part of the checked loss', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIVATIONS), denseCase(2, ['l1', 'l2', 'l1l2']), (activation, c) => checkDense(activation, c)),
      { numRuns: Math.max(RUNS, 2 * RUNS) },
    );
  });
});
