import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { SerializationError, StrataError, ValueError } from '../../src/engine/errors.js';
import * as optimizers from '../../src/optimizers/index.js';
import { VARIANTS } from './variants.js';

beforeAll(async () => {
  await setBackend('cpu');
});

type Make = (o: never) => optimizers.Optimizer;
const bad: [string, Make, Record<string, unknown>, RegExp][] = [
  ['sgd', optimizers.sgd, { learningRate: -0.1 }, /^SGD: option 'learningRate' must be a finite number >= 0 or a LearningRateSchedule; got -0\.1$/],
  ['sgd', optimizers.sgd, { learningRate: Number.NaN }, /^SGD: option 'learningRate'.*got NaN$/],
  ['sgd', optimizers.sgd, { learningRate: 'fast' }, /^SGD: option 'learningRate'.*got fast$/],
  ['sgd', optimizers.sgd, { momentum: 0.9 }, /^SGD: unknown option 'momentum'; expected one of learningRate, clipNorm/],
  ['momentum', optimizers.momentum, { momentum: 1.5 }, /^Momentum: option 'momentum' must be a finite number in \[0, 1\]; got 1\.5$/],
  ['momentum', optimizers.momentum, { nesterov: 'yes' }, /^Momentum: option 'nesterov' must be a boolean; got 'yes'$/],
  ['adam', optimizers.adam, { beta1: 1 }, /^Adam: option 'beta1' must be a finite number in \[0, 1\); got 1$/],
  ['adam', optimizers.adam, { beta2: -0.1 }, /^Adam: option 'beta2'.*got -0\.1$/],
  ['adam', optimizers.adam, { epsilon: Number.NaN }, /^Adam: option 'epsilon'.*got NaN$/],
  ['adam', optimizers.adam, { beta_1: 0.5 }, /^Adam: unknown option 'beta_1'/],
  ['adam', optimizers.adam, { clipNorm: 0 }, /^Adam: option 'clipNorm' must be a finite number > 0; got 0$/],
  ['adam', optimizers.adam, { clipValue: Number.POSITIVE_INFINITY }, /^Adam: option 'clipValue'.*got Infinity$/],
  ['adamw', optimizers.adamw, { weightDecay: -0.01 }, /^AdamW: option 'weightDecay' must be a finite number >= 0; got -0\.01$/],
  ['adamw', optimizers.adamw, { amsgrad: 1 }, /^AdamW: option 'amsgrad' must be a boolean/],
  ['rmsprop', optimizers.rmsprop, { rho: 1 }, /^RMSprop: option 'rho'.*\[0, 1\); got 1$/],
  ['rmsprop', optimizers.rmsprop, { momentum: 1 }, /^RMSprop: option 'momentum'.*\[0, 1\); got 1$/],
  ['rmsprop', optimizers.rmsprop, { centered: 0 }, /^RMSprop: option 'centered' must be a boolean; got 0$/],
  ['adagrad', optimizers.adagrad, { initialAccumulatorValue: -1 }, /^Adagrad: option 'initialAccumulatorValue'.*>= 0; got -1$/],
  ['adagrad', optimizers.adagrad, { lr: 0.1 }, /^Adagrad: unknown option 'lr'/],
];

describe('option validation', () => {
  for (const [name, make, o, re] of bad) {
    it(`${name}(${JSON.stringify(o)}) throws a ValueError naming the optimizer and the option`, () => {
      let err: unknown;
      try {
        make(o as never);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValueError);
      expect(err).toBeInstanceOf(StrataError);
      expect((err as Error).message).toMatch(re);
    });
  }

  it('valid edge values are accepted', () => {
    expect(() => optimizers.sgd({ learningRate: 0 })).not.toThrow();
    expect(() => optimizers.momentum({ momentum: 1 })).not.toThrow();
    expect(() => optimizers.adam({ beta1: 0, beta2: 0, epsilon: 0 })).not.toThrow();
    expect(() => optimizers.adagrad({ initialAccumulatorValue: 0 })).not.toThrow();
  });

  it('Keras defaults', () => {
    const cfg = (o: optimizers.Optimizer) => o.getConfig();
    expect(cfg(optimizers.sgd())).toEqual({ learningRate: 0.01, momentum: 0, nesterov: false });
    expect(cfg(optimizers.momentum())).toEqual({ learningRate: 0.01, momentum: 0.9, nesterov: false });
    expect(cfg(optimizers.adam())).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false });
    expect(cfg(optimizers.adamw())).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false, weightDecay: 0.004 });
    expect(cfg(optimizers.rmsprop())).toEqual({ learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
    expect(cfg(optimizers.adagrad())).toEqual({ learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 });
  });
});

describe('getOptimizer', () => {
  const expected: [string, string, typeof optimizers.Optimizer | Function][] = [
    ['sgd', 'SGD', optimizers.SGD],
    ['SGD', 'SGD', optimizers.SGD],
    ['momentum', 'SGD', optimizers.Momentum],
    ['adam', 'Adam', optimizers.Adam],
    ['Adam', 'Adam', optimizers.Adam],
    ['adamW', 'AdamW', optimizers.AdamW],
    ['adam_w', 'AdamW', optimizers.AdamW],
    ['rmsprop', 'RMSprop', optimizers.RMSprop],
    ['rms_prop', 'RMSprop', optimizers.RMSprop],
    ['RMSprop', 'RMSprop', optimizers.RMSprop],
    ['ADAGRAD', 'Adagrad', optimizers.Adagrad],
  ];
  for (const [id, className, cls] of expected) {
    it(`'${id}' → ${className} with Keras defaults`, () => {
      const o = optimizers.getOptimizer(id);
      expect(o).toBeInstanceOf(cls);
      expect(o.className).toBe(className);
      expect(o.getConfig()).toEqual(optimizers.getOptimizer(id.toLowerCase().replace(/_/g, '')).getConfig());
    });
  }

  it('passes an optimizer through and rejects unknown names, listing the known ones', () => {
    const o = optimizers.adam({ learningRate: 0.5 });
    expect(optimizers.getOptimizer(o)).toBe(o);
    expect(() => optimizers.getOptimizer('adadelta')).toThrow(ValueError);
    expect(() => optimizers.getOptimizer('adadelta')).toThrow(
      "getOptimizer: unknown optimizer 'adadelta'; expected one of sgd, momentum, adam, adamw, rmsprop, adagrad or an Optimizer",
    );
    expect(() => optimizers.getOptimizer(42 as never)).toThrow(/unknown optimizer 42/);
  });
});

describe('optimizerFromConfig', () => {
  for (const [name, make] of Object.entries(VARIANTS)) {
    it(`${name}: getConfig round-trips`, () => {
      const o = make();
      const again = optimizers.optimizerFromConfig(o.className, JSON.parse(JSON.stringify(o.getConfig())));
      expect(again.constructor).toBe(o.constructor);
      expect(again.getConfig()).toEqual(o.getConfig());
    });
  }

  it('reads Keras configs (snake_case, bookkeeping keys, SGD with momentum, schedules)', () => {
    const adam = optimizers.optimizerFromConfig('Adam', {
      name: 'adam', learning_rate: 0.0002, weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: 0.5,
      use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null,
      gradient_accumulation_steps: null, beta_1: 0.5, beta_2: 0.999, epsilon: 1e-7, amsgrad: false,
    });
    expect(adam.getConfig()).toEqual({ learningRate: 0.0002, clipValue: 0.5, beta1: 0.5, beta2: 0.999, epsilon: 1e-7, amsgrad: false });

    const sgd = optimizers.optimizerFromConfig('SGD', { learning_rate: 0.1, momentum: 0.9, nesterov: true });
    expect(sgd).toBeInstanceOf(optimizers.Momentum);
    expect(sgd.getConfig()).toEqual({ learningRate: 0.1, momentum: 0.9, nesterov: true });
    expect(optimizers.optimizerFromConfig('SGD', { learning_rate: 0.1, momentum: 0.0, nesterov: false })).toBeInstanceOf(optimizers.SGD);

    const sched = optimizers.optimizerFromConfig('RMSprop', {
      learning_rate: {
        module: 'keras.optimizers.schedules', class_name: 'ExponentialDecay', registered_name: null,
        config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, staircase: false, name: 'ExponentialDecay' },
      },
      rho: 0.8,
    });
    expect(sched.currentLearningRate()).toBe(0.1);
    expect(sched.learningRate).toBeInstanceOf(optimizers.ExponentialDecay);
  });

  it('reads tfjs-core class names and keys', () => {
    const rms = optimizers.optimizerFromConfig('RMSProp', { learningRate: 0.01, decay: 0.8, momentum: 0, epsilon: 1e-8, centered: true });
    expect(rms.getConfig()).toMatchObject({ learningRate: 0.01, rho: 0.8, centered: true });
    const mom = optimizers.optimizerFromConfig('Momentum', { learningRate: 0.1, momentum: 0.5, useNesterov: true });
    expect(mom.getConfig()).toEqual({ learningRate: 0.1, momentum: 0.5, nesterov: true });
  });

  it('rejects unknown classes, unsupported features and bad values with SerializationError', () => {
    expect(() => optimizers.optimizerFromConfig('Nadam', {})).toThrow(SerializationError);
    expect(() => optimizers.optimizerFromConfig('Nadam', {})).toThrow(/expected one of SGD, Momentum, Adam, AdamW, RMSprop, Adagrad/);
    expect(() => optimizers.optimizerFromConfig('Adam', { use_ema: true })).toThrow(/'useEma' = true is not supported/);
    expect(() => optimizers.optimizerFromConfig('Adam', { beta_1: 2 })).toThrow(/optimizerFromConfig: bad config for 'Adam': Adam: option 'beta1'/);
    expect(() => optimizers.optimizerFromConfig('Adam', { learning_rate: { config: {} } })).toThrow(SerializationError);
    expect(() => optimizers.optimizerFromConfig('Adam', 'nope')).toThrow(SerializationError);
  });
});
