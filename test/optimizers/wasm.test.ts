import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import * as optimizers from '../../src/optimizers/index.js';
import { expectClose, f32, runSteps } from './helpers.js';
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
