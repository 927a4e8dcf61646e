import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import * as optimizers from '../../src/optimizers/index.js';
import { expectClose, f32, maxDiff, runSteps } from './helpers.js';
import { clipByNorm, refAdagrad, refAdam, refMomentum, refRMSprop } from './reference.js';

beforeAll(async () => {
  await setBackend('wasm');
});

it('runs on wasm', () => {
  expect(tf.getBackend()).toBe('wasm');
});

const W0 = f32([0.5, -0.3, 0.25, -0.75, 0.1, 0.6]);
const GRADS = [f32([2.0, -0.5, 0.3, 1.2, -1.5, 0.05]), f32([0.1, 0.4, -0.2, 0.3, -0.1, 0.7]), f32([-0.3, 0.2, 0.05, -0.6, 0.2, -0.4])];

describe('the wasm backend computes the same updates', () => {
  it('adam amsgrad + clipNorm', () => {
    const o = optimizers.adam({ learningRate: 0.1, beta1: 0.8, beta2: 0.5, epsilon: 1e-3, amsgrad: true, clipNorm: 1 });
    const ref = refAdam(W0, GRADS.map((g) => clipByNorm(g, 1)), { lr: 0.1, beta1: 0.8, beta2: 0.5, epsilon: 1e-3, amsgrad: true });
    expectClose(runSteps(o, W0, GRADS, [3, 2]), ref);
  });

  it('rmsprop centered + momentum', () => {
    const o = optimizers.rmsprop({ learningRate: 0.05, rho: 0.8, momentum: 0.5, epsilon: 1e-2, centered: true });
    expectClose(runSteps(o, W0, GRADS), refRMSprop(W0, GRADS, { lr: 0.05, rho: 0.8, momentum: 0.5, epsilon: 1e-2, centered: true }));
  });

  it('nesterov momentum and adagrad', () => {
    expectClose(runSteps(optimizers.momentum({ learningRate: 0.1, nesterov: true }), W0, GRADS), refMomentum(W0, GRADS, { lr: 0.1, momentum: 0.9, nesterov: true }));
    expectClose(runSteps(optimizers.adagrad({ learningRate: 0.1 }), W0, GRADS), refAdagrad(W0, GRADS, { lr: 0.1, initialAccumulatorValue: 0.1, epsilon: 1e-7 }));
  });
});

describe('fused updates on wasm', () => {
  /** Kernels run by one applyGradients over `n` variables (after the slots exist). */
  async function kernelsPerStep(
    make: () => optimizers.Optimizer, backend: 'cpu' | 'wasm', n = 4, shape = [33, 7],
  ): Promise<{ kernels: number; weights: number[][] }> {
    await setBackend(backend);
    const vars = Array.from({ length: n }, (_, i) => tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, 1, 'float32', i + 1))));
    const grads = vars.map((_, i) => tf.randomNormal(shape, 0, 1, 'float32', 100 + i));
    const o = make();
    const pairs = vars.map((variable, i) => ({ variable, gradient: grads[i]! }));
    o.applyGradients(pairs);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => { o.applyGradients(pairs); });
    expect(tf.memory().numTensors, 'tensors left by a step').toBe(before);
    const weights = vars.map((v) => Array.from(v.dataSync()));
    o.dispose();
    tf.dispose([...vars, ...grads]);
    return { kernels: profile.kernels.length, weights };
  }

  const cases: Record<string, () => optimizers.Optimizer> = {
    adam: () => optimizers.adam({ learningRate: 0.01 }),
    amsgrad: () => optimizers.adam({ learningRate: 0.01, amsgrad: true }),
    adamw: () => optimizers.adamw({ learningRate: 0.01, weightDecay: 0.1 }),
    momentum: () => optimizers.momentum({ learningRate: 0.01, momentum: 0.9 }),
    nesterov: () => optimizers.momentum({ learningRate: 0.01, momentum: 0.9, nesterov: true }),
    rmsprop: () => optimizers.rmsprop({ learningRate: 0.01 }),
    'rmsprop centered + momentum': () => optimizers.rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5 }),
  };
  for (const [name, make] of Object.entries(cases)) {
    it(`${name}: one pass per variable, no tensor kernels, same weights as the op-by-op cpu path`, async () => {
      const cpu = await kernelsPerStep(make, 'cpu');
      const wasm = await kernelsPerStep(make, 'wasm');
      // The op path runs several kernels per variable; the fused one none.
      expect(cpu.kernels).toBeGreaterThanOrEqual(4 * 4);
      expect(wasm.kernels, `kernels in a fused ${name} step`).toBe(0);
      expect(maxDiff(wasm.weights, cpu.weights)).toBeLessThan(1e-5);
    });
  }

  it('adam on variables large enough to run as pool jobs (runs of 16,384 floats, then the rest, then the tail): same weights as cpu', async () => {
    const make = () => optimizers.adam({ learningRate: 0.01 });
    // 250 × 263 = 65,750 floats: four whole runs, 212 in SIMD after them, 2 in JavaScript.
    const cpu = await kernelsPerStep(make, 'cpu', 2, [250, 263]);
    const wasm = await kernelsPerStep(make, 'wasm', 2, [250, 263]);
    expect(wasm.kernels).toBe(0);
    expect(maxDiff(wasm.weights, cpu.weights)).toBeLessThan(1e-5);
  });

  it('falls back to ops when a variable shares its data (a clone is not changed)', async () => {
    await setBackend('wasm');
    const v = tf.tidy(() => tf.variable(tf.tensor1d([1, 2, 3])));
    const alias = tf.clone(v);
    const o = optimizers.adam({ learningRate: 0.1 });
    const g = tf.tensor1d([1, 1, 1]);
    o.applyGradients([{ variable: v, gradient: g }]);
    expect(Array.from(alias.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(v.dataSync()).every((x, i) => x < i + 1)).toBe(true);
    o.dispose();
    tf.dispose([v, alias, g]);
  });
});
