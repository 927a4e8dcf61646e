/**
 * Metrics keep their state on the device: update never reads tensor data back to the host
 * and nothing leaks.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import * as losses from '../../src/losses/index.js';
import * as metrics from '../../src/metrics/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

afterEach(() => {
  vi.restoreAllMocks();
});

interface Made {
  make: () => metrics.Metric;
  yt: () => tf.Tensor;
  yp: () => tf.Tensor;
}

const binary = { yt: () => tf.tensor2d([[1], [0], [1], [1]]), yp: () => tf.tensor2d([[0.8], [0.3], [0.4], [0.9]]) };
const onehot = {
  yt: () => tf.tensor2d([[1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]]),
  yp: () => tf.tensor2d([[0.6, 0.3, 0.1], [0.1, 0.1, 0.8], [0.5, 0.3, 0.2], [0.2, 0.7, 0.1]]),
};
const sparse = { yt: () => tf.tensor1d([0, 2, 1, 0], 'int32'), yp: onehot.yp };

const all: [string, Made][] = [
  ['binaryAccuracy', { make: () => metrics.binaryAccuracy(), ...binary }],
  ['categoricalAccuracy', { make: () => metrics.categoricalAccuracy(), ...onehot }],
  ['sparseCategoricalAccuracy', { make: () => metrics.sparseCategoricalAccuracy(), ...sparse }],
  ['accuracy (by shapes)', { make: () => metrics.getMetric('accuracy'), ...sparse }],
  ['accuracy (exact match)', { make: () => metrics.accuracy(), ...binary }],
  ['topKCategoricalAccuracy', { make: () => metrics.topKCategoricalAccuracy({ k: 2 }), ...onehot }],
  ['sparseTopKCategoricalAccuracy', { make: () => metrics.sparseTopKCategoricalAccuracy({ k: 2 }), ...sparse }],
  ['mse', { make: () => metrics.meanSquaredError(), ...onehot }],
  ['mae', { make: () => metrics.meanAbsoluteError(), ...onehot }],
  ['rmse', { make: () => metrics.rootMeanSquaredError(), ...onehot }],
  ['precision', { make: () => metrics.precision(), ...binary }],
  ['recall', { make: () => metrics.recall({ classId: 1 }), ...onehot }],
  ['f1', { make: () => metrics.f1({ fromLogits: true }), ...binary }],
  ['auc', { make: () => metrics.auc(), ...binary }],
  ['loss metric', { make: () => new metrics.LossMetric(losses.sparseCategoricalCrossentropy()), ...sparse }],
  ['mean', { make: () => metrics.mean(), ...binary }],
];

describe.each(all)('%s', (_title, c) => {
  it('update reads nothing back from the device', () => {
    const m = c.make();
    const [yt, yp, sw] = [c.yt(), c.yp(), tf.tensor1d([1, 2, 0.5, 1])];
    const backend = tf.backend();
    const spies = [
      vi.spyOn(backend, 'readSync'), vi.spyOn(backend, 'read'),
      vi.spyOn(tf.Tensor.prototype, 'dataSync'), vi.spyOn(tf.Tensor.prototype, 'data'),
      vi.spyOn(tf.Tensor.prototype, 'arraySync'), vi.spyOn(tf.Tensor.prototype, 'array'),
    ];
    m.update(yt, yp);
    m.update(yt, yp, sw);
    tf.dispose(m.result());
    m.reset();
    for (const s of spies) expect(s).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    // The spies were live: a read does trip them.
    const probe = vi.spyOn(backend, 'readSync');
    yt.dataSync();
    expect(probe).toHaveBeenCalled();
    tf.dispose([yt, yp, sw]);
    m.dispose();
  });

  it('leaks no tensors; dispose frees the state', () => {
    const start = tf.memory().numTensors;
    const m = c.make();
    const withState = tf.memory().numTensors;
    expect(withState).toBeGreaterThan(start);
    const [yt, yp, sw] = [c.yt(), c.yp(), tf.tensor1d([1, 2, 0.5, 1])];
    const inputs = tf.memory().numTensors;
    m.update(yt, yp);
    m.update(yt, yp, sw);
    const r = m.result();
    expect(tf.memory().numTensors).toBe(inputs + 1);
    r.dispose();
    m.reset();
    expect(tf.memory().numTensors).toBe(inputs);
    tf.dispose([yt, yp, sw]);
    m.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('losses', () => {
  it('call reads nothing back from the device (hinge decides its label mapping on the device)', () => {
    const backend = tf.backend();
    const [bt, bp, ot, op, st] = [binary.yt(), binary.yp(), onehot.yt(), onehot.yp(), sparse.yt()];
    const spy = vi.spyOn(backend, 'readSync');
    for (const id of ['mse', 'mae', 'huber', 'hinge', 'bce']) tf.dispose(losses.getLoss(id).call(bt, bp));
    tf.dispose(losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }).call(bt, bp));
    tf.dispose(losses.categoricalCrossentropy({ labelSmoothing: 0.1 }).call(ot, op));
    tf.dispose(losses.categoricalCrossentropy({ fromLogits: true }).call(ot, op));
    tf.dispose(losses.sparseCategoricalCrossentropy().call(st, op));
    tf.dispose(losses.sparseCategoricalCrossentropy({ fromLogits: true }).call(st, op));
    expect(spy).not.toHaveBeenCalled();
    tf.dispose([bt, bp, ot, op, st]);
  });
});
