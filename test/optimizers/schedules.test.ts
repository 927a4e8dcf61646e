import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { SerializationError, ValueError } from '../../src/engine/errors.js';
import * as optimizers from '../../src/optimizers/index.js';
import { expectClose, f32, runSteps, variable } from './helpers.js';
import { refAdam, refSGD } from './reference.js';

const { schedules } = optimizers;

beforeAll(async () => {
  await setBackend('cpu');
});

const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-12);

describe('exponentialDecay', () => {
  it('decays smoothly: lr0 * rate^(step / decaySteps)', () => {
    const s = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 4, decayRate: 0.5 });
    near(s.valueAt(0), 0.1);
    near(s.valueAt(2), 0.1 / Math.SQRT2);
    near(s.valueAt(4), 0.05);
    near(s.valueAt(10), 0.1 * 0.5 ** 2.5);
  });

  it('staircase decays in whole periods', () => {
    const s = optimizers.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 4, decayRate: 0.5, staircase: true });
    expect([0, 3, 4, 7, 8, 9].map((t) => s.valueAt(t))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
  });

  it('rejects a non-positive decaySteps and missing arguments', () => {
    expect(() => schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 })).toThrow(/ExponentialDecay: option 'decaySteps'/);
    expect(() => schedules.exponentialDecay({ initialLearningRate: 0.1, decayRate: 0.5 } as never)).toThrow(/'decaySteps' is required/);
  });
});

describe('piecewiseConstantDecay', () => {
  it('holds values[i] up to and including boundaries[i]', () => {
    const s = schedules.piecewiseConstantDecay({ boundaries: [2, 5], values: [1, 0.5, 0.1] });
    expect([0, 1, 2, 3, 5, 6, 100].map((t) => s.valueAt(t))).toEqual([1, 1, 1, 0.5, 0.5, 0.1, 0.1]);
  });

  it('validates lengths and ordering', () => {
    expect(() => schedules.piecewiseConstantDecay({ boundaries: [2, 5], values: [1, 0.5] })).toThrow(ValueError);
    expect(() => schedules.piecewiseConstantDecay({ boundaries: [5, 2], values: [1, 0.5, 0.1] })).toThrow(/strictly increasing/);
    expect(() => schedules.piecewiseConstantDecay({ boundaries: [1], values: [1, -1] })).toThrow(/'values\[1\]'/);
  });
});

describe('cosineDecay', () => {
  it('follows half a cosine from lr0 to alpha * lr0, then stays there', () => {
    const s = schedules.cosineDecay({ initialLearningRate: 1, decaySteps: 10, alpha: 0.1 });
    near(s.valueAt(0), 1);
    near(s.valueAt(5), 0.9 * 0.5 + 0.1);
    near(s.valueAt(10), 0.1);
    near(s.valueAt(25), 0.1);
    near(s.valueAt(2.5), 0.9 * 0.5 * (1 + Math.SQRT1_2) + 0.1);
  });

  it('warms up linearly to warmupTarget, then decays from it', () => {
    const s = schedules.cosineDecay({ initialLearningRate: 0, warmupTarget: 1, warmupSteps: 4, decaySteps: 8 });
    near(s.valueAt(0), 0);
    near(s.valueAt(2), 0.5);
    near(s.valueAt(4), 1);
    near(s.valueAt(8), 0.5);
    near(s.valueAt(12), 0);
    near(s.valueAt(50), 0);
  });

  it('ignores warmupSteps without warmupTarget (as Keras does)', () => {
    const s = schedules.cosineDecay({ initialLearningRate: 1, decaySteps: 10, warmupSteps: 5 });
    near(s.valueAt(0), 1);
  });
});

describe('optimizers driven by schedules', () => {
  const W0 = f32([0.5, -0.3, 0.25]);
  const GRADS = [f32([1, -0.5, 0.3]), f32([0.2, 0.4, -0.2]), f32([-0.3, 0.2, 0.05])];

  it('SGD reads the schedule at steps 0, 1, 2', () => {
    const lr = (t: number) => 0.2 * 0.5 ** (t / 2);
    const sched = schedules.exponentialDecay({ initialLearningRate: 0.2, decaySteps: 2, decayRate: 0.5 });
    expectClose(runSteps(optimizers.sgd({ learningRate: sched }), W0, GRADS), refSGD(W0, GRADS, { lr }));
  });

  it('Adam with a piecewise schedule', () => {
    const sched = schedules.piecewiseConstantDecay({ boundaries: [0, 1], values: [0.1, 0.05, 0.01] });
    const lr = (t: number) => [0.1, 0.05, 0.01][t]!;
    const o = { lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false };
    expectClose(runSteps(optimizers.adam({ learningRate: sched }), W0, GRADS), refAdam(W0, GRADS, o));
  });

  it('currentLearningRate follows iterations; a callback may replace the schedule by a number', () => {
    const o = optimizers.sgd({ learningRate: schedules.piecewiseConstantDecay({ boundaries: [0], values: [1, 0.5] }) });
    const v = variable([0, 0]);
    const g = tf.ones([2]);
    expect(o.currentLearningRate()).toBe(1);
    o.applyGradients([{ variable: v, gradient: g }]);
    expect(o.currentLearningRate()).toBe(0.5);
    o.learningRate = 0.25;
    o.applyGradients([{ variable: v, gradient: g }]);
    expect(Array.from(v.dataSync())).toEqual([-1.25, -1.25]);
    expect(() => (o.learningRate = Number.NaN)).toThrow(/SGD: option 'learningRate'/);
    tf.dispose([v, g]);
  });

  it('a schedule that yields an invalid rate fails the step with a clear error', () => {
    const bad: optimizers.LearningRateSchedule = { className: 'Broken', valueAt: () => -1, getConfig: () => ({}) };
    const o = optimizers.sgd({ learningRate: bad });
    const v = variable([0, 0]);
    const g = tf.ones([2]);
    expect(() => o.applyGradients([{ variable: v, gradient: g }])).toThrow(/SGD: learning-rate schedule Broken gave -1 at step 0/);
    expect(o.iterations).toBe(0);
    tf.dispose([v, g]);
  });
});

describe('schedule configs', () => {
  it('round-trip through scheduleFromConfig', () => {
    const all = [
      schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.9, staircase: true }),
      schedules.piecewiseConstantDecay({ boundaries: [3, 7], values: [0.3, 0.2, 0.1] }),
      schedules.cosineDecay({ initialLearningRate: 0.01, decaySteps: 100, alpha: 0.2, warmupTarget: 0.1, warmupSteps: 10 }),
    ];
    for (const s of all) {
      const again = optimizers.scheduleFromConfig(s.className, s.getConfig());
      expect(again.className).toBe(s.className);
      expect(again.getConfig()).toEqual(s.getConfig());
      for (const t of [0, 3, 5, 50, 200]) expect(again.valueAt(t)).toBe(s.valueAt(t));
    }
  });

  it('reads Keras snake_case configs and rejects unknown classes', () => {
    const s = optimizers.scheduleFromConfig('CosineDecay', {
      initial_learning_rate: 1, decay_steps: 10, alpha: 0, name: 'CosineDecay', warmup_target: null, warmup_steps: 0,
    });
    near(s.valueAt(5), 0.5);
    expect(() => optimizers.scheduleFromConfig('PolynomialDecay', {})).toThrow(SerializationError);
    expect(() => optimizers.scheduleFromConfig('ExponentialDecay', { initial_learning_rate: 1, decay_steps: -1, decay_rate: 0.5 })).toThrow(SerializationError);
  });
});
