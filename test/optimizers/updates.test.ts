import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import * as optimizers from '../../src/optimizers/index.js';
import { expectClose, f32, maxDiff, runSteps, variable } from './helpers.js';
import { refAdagrad, refAdam, refMomentum, refRMSprop, refSGD } from './reference.js';

const opt = optimizers;

beforeAll(async () => {
  await setBackend('cpu');
});

const W0 = f32([0.5, -0.3, 0.25, -0.75, 0.1, 0.6]);
// A large gradient followed by small ones, so second-moment estimates shrink (AMSGrad matters)
// and signs flip (momentum matters).
const GRADS = [
  f32([2.0, -0.5, 0.3, 1.2, -1.5, 0.05]),
  f32([0.1, 0.4, -0.2, 0.3, -0.1, 0.7]),
  f32([-0.3, 0.2, 0.05, -0.6, 0.2, -0.4]),
];

interface Case {
  name: string;
  make: () => optimizers.Optimizer;
  expected: () => number[][];
}

const cases: Case[] = [
  { name: 'sgd lr 0.1', make: () => opt.sgd({ learningRate: 0.1 }), expected: () => refSGD(W0, GRADS, { lr: 0.1 }) },
  { name: 'sgd defaults', make: () => opt.sgd(), expected: () => refSGD(W0, GRADS, { lr: 0.01 }) },
  { name: 'sgd + weight decay', make: () => opt.sgd({ learningRate: 0.1, weightDecay: 0.5 }), expected: () => refSGD(W0, GRADS, { lr: 0.1, weightDecay: 0.5 }) },
  {
    name: 'momentum',
    make: () => opt.momentum({ learningRate: 0.1, momentum: 0.8 }),
    expected: () => refMomentum(W0, GRADS, { lr: 0.1, momentum: 0.8, nesterov: false }),
  },
  {
    name: 'momentum nesterov',
    make: () => opt.momentum({ learningRate: 0.1, momentum: 0.8, nesterov: true }),
    expected: () => refMomentum(W0, GRADS, { lr: 0.1, momentum: 0.8, nesterov: true }),
  },
  { name: 'momentum defaults', make: () => opt.momentum(), expected: () => refMomentum(W0, GRADS, { lr: 0.01, momentum: 0.9, nesterov: false }) },
  {
    name: 'adam',
    make: () => opt.adam({ learningRate: 0.1, beta1: 0.8, beta2: 0.5, epsilon: 1e-3 }),
    expected: () => refAdam(W0, GRADS, { lr: 0.1, beta1: 0.8, beta2: 0.5, epsilon: 1e-3, amsgrad: false }),
  },
  {
    name: 'adam amsgrad',
    make: () => opt.adam({ learningRate: 0.1, beta1: 0.8, beta2: 0.5, epsilon: 1e-3, amsgrad: true }),
    expected: () => refAdam(W0, GRADS, { lr: 0.1, beta1: 0.8, beta2: 0.5, epsilon: 1e-3, amsgrad: true }),
  },
  {
    name: 'adam defaults',
    make: () => opt.adam(),
    expected: () => refAdam(W0, GRADS, { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false }),
  },
  {
    name: 'adamw',
    make: () => opt.adamw({ learningRate: 0.1, weightDecay: 0.2, beta1: 0.8, beta2: 0.5, epsilon: 1e-3 }),
    expected: () => refAdam(W0, GRADS, { lr: 0.1, weightDecay: 0.2, beta1: 0.8, beta2: 0.5, epsilon: 1e-3, amsgrad: false }),
  },
  {
    name: 'adamw defaults',
    make: () => opt.adamw(),
    expected: () => refAdam(W0, GRADS, { lr: 0.001, weightDecay: 0.004, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false }),
  },
  {
    name: 'rmsprop',
    make: () => opt.rmsprop({ learningRate: 0.05, rho: 0.8, epsilon: 1e-2 }),
    expected: () => refRMSprop(W0, GRADS, { lr: 0.05, rho: 0.8, momentum: 0, epsilon: 1e-2, centered: false }),
  },
  {
    name: 'rmsprop momentum',
    make: () => opt.rmsprop({ learningRate: 0.05, rho: 0.8, momentum: 0.5, epsilon: 1e-2 }),
    expected: () => refRMSprop(W0, GRADS, { lr: 0.05, rho: 0.8, momentum: 0.5, epsilon: 1e-2, centered: false }),
  },
  {
    name: 'rmsprop centered',
    make: () => opt.rmsprop({ learningRate: 0.05, rho: 0.8, epsilon: 1e-2, centered: true }),
    expected: () => refRMSprop(W0, GRADS, { lr: 0.05, rho: 0.8, momentum: 0, epsilon: 1e-2, centered: true }),
  },
  {
    name: 'rmsprop centered + momentum',
    make: () => opt.rmsprop({ learningRate: 0.05, rho: 0.8, momentum: 0.5, epsilon: 1e-2, centered: true }),
    expected: () => refRMSprop(W0, GRADS, { lr: 0.05, rho: 0.8, momentum: 0.5, epsilon: 1e-2, centered: true }),
  },
  {
    name: 'rmsprop defaults',
    make: () => opt.rmsprop(),
    expected: () => refRMSprop(W0, GRADS, { lr: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false }),
  },
  {
    name: 'adagrad',
    make: () => opt.adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.2, epsilon: 1e-2 }),
    expected: () => refAdagrad(W0, GRADS, { lr: 0.1, initialAccumulatorValue: 0.2, epsilon: 1e-2 }),
  },
  {
    name: 'adagrad defaults',
    make: () => opt.adagrad(),
    expected: () => refAdagrad(W0, GRADS, { lr: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 }),
  },
];

describe('first three updates match float64 references', () => {
  for (const c of cases) {
    it(c.name, () => {
      const expected = c.expected();
      // The steps must move the weights by far more than the tolerance, or the check is empty.
      expect(maxDiff(expected, [W0, W0, W0])).toBeGreaterThan(1e-4);
      expectClose(runSteps(c.make(), W0, GRADS, [2, 3]), expected);
    });
  }

  it('the variants differ from their base form on these gradients', () => {
    const base = { lr: 0.1, beta1: 0.8, beta2: 0.5, epsilon: 1e-3 };
    expect(maxDiff(refAdam(W0, GRADS, { ...base, amsgrad: true }), refAdam(W0, GRADS, { ...base, amsgrad: false }))).toBeGreaterThan(1e-3);
    const mo = { lr: 0.1, momentum: 0.8 };
    expect(maxDiff(refMomentum(W0, GRADS, { ...mo, nesterov: true }), refMomentum(W0, GRADS, { ...mo, nesterov: false }))).toBeGreaterThan(1e-3);
    const rms = { lr: 0.05, rho: 0.8, momentum: 0, epsilon: 1e-2 };
    expect(maxDiff(refRMSprop(W0, GRADS, { ...rms, centered: true }), refRMSprop(W0, GRADS, { ...rms, centered: false }))).toBeGreaterThan(1e-3);
  });
});

describe('slots hold Keras-semantics state', () => {
  it("momentum's velocity is momentum * v - lr * g (negative of the descent direction)", () => {
    const o = opt.momentum({ learningRate: 0.1, momentum: 0.8 });
    const v = variable(W0);
    let vel = W0.map(() => 0);
    for (const g of GRADS) {
      const gt = tf.tensor(g);
      o.applyGradients([{ variable: v, gradient: gt }]);
      gt.dispose();
      vel = vel.map((x, i) => 0.8 * x - 0.1 * g[i]!);
    }
    const state = o.getWeights();
    const slot = state.find((e) => e.variable === v && e.slot === 'momentum')!;
    expectClose([Array.from(slot.value.dataSync())], [vel]);
    state.forEach((e) => e.value.dispose());
    o.dispose();
    v.dispose();
  });

  it("adam's momentum and velocity slots are the uncorrected moment estimates", () => {
    const o = opt.adam({ learningRate: 0.1, beta1: 0.8, beta2: 0.5 });
    const v = variable(W0);
    let m = W0.map(() => 0);
    let s = W0.map(() => 0);
    for (const g of GRADS) {
      const gt = tf.tensor(g);
      o.applyGradients([{ variable: v, gradient: gt }]);
      gt.dispose();
      m = m.map((x, i) => 0.8 * x + 0.2 * g[i]!);
      s = s.map((x, i) => 0.5 * x + 0.5 * g[i]! ** 2);
    }
    const state = o.getWeights();
    expect(state.map((e) => e.slot)).toEqual(['iterations', 'momentum', 'velocity']);
    expect(state[0]!.value.dataSync()[0]).toBe(3);
    expectClose([Array.from(state[1]!.value.dataSync()), Array.from(state[2]!.value.dataSync())], [m, s]);
    state.forEach((e) => e.value.dispose());
    o.dispose();
    v.dispose();
  });
});

describe('property: random hyperparameters and gradients match the references', () => {
  const vec = fc.array(fc.double({ min: 0.01, max: 2, noNaN: true }), { minLength: 4, maxLength: 4 });
  const signs = fc.array(fc.boolean(), { minLength: 4, maxLength: 4 });
  const signed = fc.tuple(vec, signs).map(([v, s]) => f32(v.map((x, i) => (s[i] ? x : -x))));
  const unit = (min: number, max: number) => fc.double({ min, max, noNaN: true });

  it('adam / amsgrad', () => {
    fc.assert(
      fc.property(signed, fc.array(signed, { minLength: 3, maxLength: 3 }), unit(1e-3, 0.2), unit(0, 0.99), unit(0, 0.999), fc.boolean(), (w0, grads, lr, b1, b2, amsgrad) => {
        const got = runSteps(opt.adam({ learningRate: lr, beta1: b1, beta2: b2, amsgrad }), w0, grads);
        expectClose(got, refAdam(w0, grads, { lr, beta1: b1, beta2: b2, epsilon: 1e-7, amsgrad }), 1e-5);
      }),
      { numRuns: 40 },
    );
  });

  it('rmsprop / centered / momentum', () => {
    fc.assert(
      fc.property(signed, fc.array(signed, { minLength: 3, maxLength: 3 }), unit(1e-3, 0.2), unit(0, 0.99), unit(0, 0.95), fc.boolean(), (w0, grads, lr, rho, mom, centered) => {
        // A centered variance of constant gradients is a float32 cancellation (g² - g²); a
        // moderate epsilon keeps its rounding from dominating the comparison.
        const got = runSteps(opt.rmsprop({ learningRate: lr, rho, momentum: mom, centered, epsilon: 0.05 }), w0, grads);
        expectClose(got, refRMSprop(w0, grads, { lr, rho, momentum: mom, epsilon: 0.05, centered }), 1e-5);
      }),
      { numRuns: 40 },
    );
  });

  it('momentum / nesterov and adagrad', () => {
    fc.assert(
      fc.property(signed, fc.array(signed, { minLength: 3, maxLength: 3 }), unit(1e-3, 0.2), unit(0, 1), fc.boolean(), (w0, grads, lr, mu, nesterov) => {
        expectClose(runSteps(opt.momentum({ learningRate: lr, momentum: mu, nesterov }), w0, grads), refMomentum(w0, grads, { lr, momentum: mu, nesterov }), 1e-5);
        expectClose(
          runSteps(opt.adagrad({ learningRate: lr, initialAccumulatorValue: mu }), w0, grads),
          refAdagrad(w0, grads, { lr, initialAccumulatorValue: mu, epsilon: 1e-7 }),
          1e-5,
        );
      }),
      { numRuns: 40 },
    );
  });
});
