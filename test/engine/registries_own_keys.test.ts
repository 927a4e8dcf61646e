/**
 * Issue #15 item 4: every name registry looks names up as own keys, so Object.prototype
 * members ('constructor', '__proto__', 'toString', …) are unknown names with a clear error,
 * never a function picked off the prototype.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { getActivation } from '../../src/engine/activations.js';
import { StrataError } from '../../src/engine/errors.js';
import { getInitializer } from '../../src/engine/initializers.js';
import { getRegularizer } from '../../src/engine/regularizers.js';
import { defaultLayerRegistry } from '../../src/io/index.js';
import { getLoss, lossFromConfig } from '../../src/losses/index.js';
import { getMetric } from '../../src/metrics/index.js';
import { getOptimizer, optimizerFromConfig, scheduleFromConfig } from '../../src/optimizers/index.js';

const { tf } = st;

const HOSTILE = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

beforeAll(async () => {
  await st.setBackend('cpu');
});

/** Expects a StrataError whose message names `name`. */
function rejects(f: () => unknown, name: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, `'${name}' was accepted`).toBeInstanceOf(StrataError);
  expect((err as Error).message).toContain(name);
}

describe.each(HOSTILE)("the name '%s'", (name) => {
  it('is an unknown loss', () => {
    rejects(() => getLoss(name), name);
    rejects(() => lossFromConfig(name, {}), name);
  });

  it('is an unknown metric', () => rejects(() => getMetric(name), name));

  it('is an unknown optimizer and schedule', () => {
    rejects(() => getOptimizer(name), name);
    rejects(() => optimizerFromConfig(name, {}), name);
    rejects(() => scheduleFromConfig(name, {}), name);
  });

  it('is an unknown activation, also in a layer', () => {
    rejects(() => getActivation(name), name);
    rejects(() => st.layers.dense({ units: 2, activation: name as st.ActivationName }), name);
  });

  it('is an unknown initializer and regularizer', () => {
    rejects(() => getInitializer(name), name);
    rejects(() => getRegularizer(name as 'l1'), name);
  });

  it('is an unknown layer class', () => {
    expect(defaultLayerRegistry.has(name)).toBe(false);
    rejects(() => defaultLayerRegistry.require(name, 'load'), name);
  });

  it('in compile is refused up front, leaking nothing', () => {
    const net = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
    const before = tf.memory().numTensors;
    rejects(() => net.compile({ optimizer: name, loss: 'mse' }), name);
    rejects(() => net.compile({ optimizer: 'sgd', loss: name }), name);
    rejects(() => net.compile({ optimizer: 'sgd', loss: 'mse', metrics: [name] }), name);
    rejects(() => net.compile({ optimizer: 'sgd', loss: 'mse', weightedMetrics: [name] }), name);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});

describe('a saved optimizer config with a prototype-named key', () => {
  it("'constructor' is an unknown option, not Object", () => {
    rejects(() => optimizerFromConfig('Adam', { constructor: 1 }), 'constructor');
  });
});
