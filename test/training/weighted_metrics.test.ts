/**
 * Keras 3 semantics of metric weighting: `metrics` ignore `sampleWeight` and `classWeight`,
 * `weightedMetrics` use them. Reference numbers: test/fixtures/keras_numbers/training.json,
 * written by scripts/fixtures/make_keras_numbers.py with the real Keras.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

interface TrainingCase {
  name: string;
  x: number[][];
  y: number[][] | number[];
  sampleWeight?: number[];
  batchSize?: number;
  logs?: Record<string, number>;
  kernel?: number[][];
  classWeight?: Record<string, number>;
  fit?: Record<string, number>;
  evaluate?: Record<string, number>;
}

const cases = (JSON.parse(readFileSync(new URL('../fixtures/keras_numbers/training.json', import.meta.url), 'utf8')) as {
  cases: TrainingCase[];
}).cases;
const byName = (n: string): TrainingCase => cases.find((c) => c.name === n)!;

beforeAll(async () => {
  await st.setBackend('cpu');
});

/** A one-Dense model whose kernel is set to `kernel` (bias 0). */
function fixedDense(kernel: number[][], activation: 'linear' | 'softmax'): st.Sequential {
  const net = st.sequential([st.layers.dense({ units: kernel[0]!.length, activation, useBias: false, inputShape: [kernel.length] })]);
  net.ensureBuilt([null, kernel.length]);
  const k = tf.tensor2d(kernel);
  net.layers[0]!.weights[0]!.read().assign(k);
  k.dispose();
  return net;
}

describe('metrics are unweighted, weightedMetrics are weighted (Keras 3)', () => {
  it('keras/src/trainers/compile_utils_test.py::TestCompileMetrics::test_single_output_case', async () => {
    const c = byName('compile_utils_single_output');
    const net = fixedDense([[1, 0], [0, 1]], 'linear');
    net.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mse'], weightedMetrics: ['mse'] });
    const x = tf.tensor2d(c.x);
    const y = tf.tensor2d(c.y as number[][]);
    const sw = tf.tensor1d(c.sampleWeight!);
    const before = tf.memory().numTensors;
    const logs = await net.evaluate(x, y, { sampleWeight: sw, batchSize: c.batchSize });
    expect(tf.memory().numTensors).toBe(before);
    // Keras names them mean_squared_error / weighted_mean_squared_error; strata's mse metric logs as mse.
    expect(Object.keys(logs)).toEqual(['loss', 'mse', 'weighted_mse']);
    expect(logs.mse).toBeCloseTo(c.logs!.mse!, 6);
    expect(logs.weighted_mse).toBeCloseTo(c.logs!.weighted_mse!, 6);
    expect(logs.loss).toBeCloseTo(c.logs!.loss!, 6);
    tf.dispose([x, y, sw]);
    net.dispose();
  });

  it('accuracy under classWeight in fit and sampleWeight in evaluate matches Keras', async () => {
    const c = byName('class_weight_accuracy');
    const net = fixedDense(c.kernel!, 'softmax');
    net.compile({ optimizer: st.optimizers.sgd({ learningRate: 0 }), loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'], weightedMetrics: ['accuracy'] });
    const x = tf.tensor2d(c.x);
    const y = tf.tensor1d(c.y as number[], 'int32');
    const classWeight = Object.fromEntries(Object.entries(c.classWeight!).map(([k, v]) => [Number(k), v]));
    const h = await net.fit(x, y, { classWeight, batchSize: 6, epochs: 1, shuffle: false, verbose: 0 });
    for (const key of ['loss', 'accuracy', 'weighted_accuracy']) {
      expect(h.history[key]![0], key).toBeCloseTo(c.fit![key]!, 5);
    }
    const sw = tf.tensor1d(c.y.map((v) => classWeight[v as number]!));
    const ev = await net.evaluate(x, y, { sampleWeight: sw, batchSize: 6 });
    for (const key of ['loss', 'accuracy', 'weighted_accuracy']) expect(ev[key], key).toBeCloseTo(c.evaluate![key]!, 5);
    tf.dispose([x, y, sw]);
    net.dispose();
  });

  it('names repeated metrics as Keras does (mse_1, weighted_mse_1)', async () => {
    const net = fixedDense([[1, 0], [0, 1]], 'linear');
    net.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mse', 'mse'], weightedMetrics: ['mse', 'mae', 'mse'] });
    const x = tf.tensor2d([[1, 2]]);
    const logs = await net.evaluate(x, x);
    expect(Object.keys(logs)).toEqual(['loss', 'mse', 'mse_1', 'weighted_mse', 'mae', 'weighted_mse_1']);
    tf.dispose(x);
    net.dispose();
  });

  it('a metric object cannot be in both lists', () => {
    const net = fixedDense([[1]], 'linear');
    const m = st.metrics.meanSquaredError();
    expect(() => net.compile({ optimizer: 'sgd', loss: 'mse', metrics: [m], weightedMetrics: [m] }))
      .toThrow(/metric object 'mse' is used more than once/);
    m.dispose();
    net.dispose();
  });
});

describe('weightedMetrics travel with a saved compile config', () => {
  it('save with includeOptimizer, load: the same log keys, weighted_metrics in the training config', async () => {
    const { memory } = await import('../io/helpers.js');
    const net = fixedDense([[1, 0], [0, 1]], 'linear');
    net.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mse'], weightedMetrics: ['mse', 'mae'] });
    const mem = memory();
    await st.saveModel(net, mem.save, { includeOptimizer: true });
    const tc = (mem.artifacts() as { trainingConfig?: Record<string, unknown> }).trainingConfig;
    expect(tc?.weighted_metrics).toEqual(['mse', 'mae']);
    const again = await st.loadModel(mem.load());
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const y = tf.tensor2d([[1, 1], [3, 3]]);
    const sw = tf.tensor1d([1, 0]);
    const a = await net.evaluate(x, y, { sampleWeight: sw });
    const b = await again.evaluate(x, y, { sampleWeight: sw });
    expect(Object.keys(b)).toEqual(['loss', 'mse', 'weighted_mse', 'mae']);
    expect(b).toEqual(a);
    tf.dispose([x, y, sw]);
    net.dispose();
    again.dispose();
  });
});
