/**
 * PolynomialDecay, InverseTimeDecay and CosineDecayRestarts against the real Keras 3, on
 * the settings of Keras' own tests (each case's `cite`, e.g.
 * keras/src/optimizers/schedules/learning_rate_schedule_test.py::CosineDecayRestartsTest::test_mmul),
 * evaluated by Keras at 24 steps; see scripts/fixtures/make_keras_numbers.py. Each schedule
 * is rebuilt from the config Keras serialised, so loading Keras files is covered too.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SerializationError, ValueError } from '../../src/engine/errors.js';
import * as optimizers from '../../src/optimizers/index.js';

interface Case {
  className: string;
  config: Record<string, unknown>;
  steps: number[];
  values: number[];
  savedConfig: { class_name: string; config: Record<string, unknown> };
  cite: string;
}

const cases = (JSON.parse(readFileSync(new URL('../fixtures/keras_numbers/schedules.json', import.meta.url), 'utf8')) as {
  cases: Case[];
}).cases;

const { schedules } = optimizers;

describe('new schedules match Keras 3', () => {
  it.each(cases.map((c) => [c.cite, c] as const))('%s', (_cite, c) => {
    const s = optimizers.scheduleFromConfig(c.savedConfig.class_name, c.savedConfig.config);
    expect(s.className).toBe(c.className);
    c.steps.forEach((step, i) => {
      const want = c.values[i]!;
      // Keras computes in float32.
      expect(Math.abs(s.valueAt(step) - want), `step ${step}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
    });
    // The config round-trips.
    const again = optimizers.scheduleFromConfig(s.className, s.getConfig());
    expect(again.getConfig()).toEqual(s.getConfig());
  });

  it('learning_rate_schedule_test.py::LinearDecayTest::test_beyond_end_with_cycle, by its formula', () => {
    const s = schedules.polynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0.001, cycle: true });
    expect(s.valueAt(15)).toBeCloseTo((0.05 - 0.001) * 0.25 + 0.001, 12);
    expect(s.valueAt(0)).toBeCloseTo(0.05, 12);
  });

  it('drive an optimizer: SGD with inverseTimeDecay reads the rate of its step', () => {
    const lr = schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96 });
    const opt = optimizers.sgd({ learningRate: lr });
    expect(opt.currentLearningRate()).toBeCloseTo(0.1, 12);
    opt.dispose();
  });

  it('options are checked', () => {
    expect(() => schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 0 })).toThrow(/PolynomialDecay: option 'decaySteps'/);
    expect(() => schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10 } as never)).toThrow(/'decayRate' is required/);
    expect(() => schedules.cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 0 })).toThrow(ValueError);
    expect(() => schedules.cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, t_mul: 2 } as never)).toThrow(/unknown option 't_mul'/);
    expect(() => optimizers.scheduleFromConfig('PolynomialDecay', { decay_steps: 10 })).toThrow(SerializationError);
  });
});
