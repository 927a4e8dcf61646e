import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { ValueError } from '../../src/engine/errors.js';
import * as optimizers from '../../src/optimizers/index.js';
import { expectClose, f32, runSteps, variable } from './helpers.js';
import { clipByNorm, clipByValue, refAdam, refSGD } from './reference.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const W0 = f32([0.5, -0.3, 0.25, -0.75]);
const GRADS = [f32([2.0, -0.5, 0.3, 1.2]), f32([0.1, 0.2, -0.2, 0.1]), f32([-3, 0.2, 0.05, -0.6])];

/** Two variables stepped together once; returns their values after the step. */
function stepTwo(opt: optimizers.Optimizer, ga: number[], gb: number[]): [number[], number[]] {
  const a = variable(W0);
  const b = variable(W0.slice(0, 2));
  const [gta, gtb] = [tf.tensor(ga), tf.tensor(gb)];
  opt.applyGradients([{ variable: a, gradient: gta }, { variable: b, gradient: gtb }]);
  const out: [number[], number[]] = [Array.from(a.dataSync()), Array.from(b.dataSync())];
  tf.dispose([a, b, gta, gtb]);
  opt.dispose();
  return out;
}

describe('gradient clipping', () => {
  it('clipValue clamps each element before the update', () => {
    const expected = refSGD(W0, GRADS.map((g) => clipByValue(g, 0.5)), { lr: 0.1 });
    expectClose(runSteps(optimizers.sgd({ learningRate: 0.1, clipValue: 0.5 }), W0, GRADS), expected);
    // Clipping must have changed something on these gradients.
    expect(Math.abs(expected[0]![0]! - refSGD(W0, GRADS, { lr: 0.1 })[0]![0]!)).toBeGreaterThan(0.1);
  });

  it('clipNorm rescales each gradient to at most that L2 norm, leaving small ones alone', () => {
    const expected = refSGD(W0, GRADS.map((g) => clipByNorm(g, 1)), { lr: 0.1 });
    expectClose(runSteps(optimizers.sgd({ learningRate: 0.1, clipNorm: 1 }), W0, GRADS), expected);
    // Step 2's gradient has norm < 1 and passes unchanged; steps 1 and 3 are rescaled.
    expectClose([clipByNorm(GRADS[1]!, 1)], [GRADS[1]!]);
  });

  it('clipNorm is per variable; globalClipNorm scales all gradients of a step together', () => {
    const ga = f32([3, 4, 0, 0]); // norm 5
    const gb = f32([0.3, 0.4]); // norm 0.5
    const [pa, pb] = stepTwo(optimizers.sgd({ learningRate: 1, clipNorm: 1 }), ga, gb);
    expectClose([pa, pb], [W0.map((w, i) => w - clipByNorm(ga, 1)[i]!), W0.slice(0, 2).map((w, i) => w - gb[i]!)]);

    const total = Math.sqrt(25 + 0.25);
    const scale = 1 / Math.max(total, 1);
    const [qa, qb] = stepTwo(optimizers.sgd({ learningRate: 1, globalClipNorm: 1 }), ga, gb);
    expectClose([qa, qb], [W0.map((w, i) => w - ga[i]! * scale), W0.slice(0, 2).map((w, i) => w - gb[i]! * scale)]);
  });

  it('clipping happens before the moment estimates (Adam + clipNorm)', () => {
    const o = { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false };
    const expected = refAdam(W0, GRADS.map((g) => clipByNorm(g, 0.5)), o);
    expectClose(runSteps(optimizers.adam({ learningRate: 0.1, clipNorm: 0.5 }), W0, GRADS), expected);
  });

  it('a zero gradient under clipNorm stays zero (no 0/0)', () => {
    const out = runSteps(optimizers.sgd({ learningRate: 0.1, clipNorm: 1 }), W0, [[0, 0, 0, 0]]);
    expectClose(out, [W0]);
  });

  it('at most one clipping option may be set', () => {
    expect(() => optimizers.adam({ clipNorm: 1, clipValue: 1 })).toThrow(ValueError);
    expect(() => optimizers.sgd({ clipNorm: 1, globalClipNorm: 1 })).toThrow(/SGD: only one of 'clipNorm', 'clipValue' and 'globalClipNorm'/);
  });
});
