/**
 * Issue #15 item 2: sparse labels out of range or not integers, negative sample weights and
 * class-weight keys that name no class are clear errors before any step runs (Keras:
 * "Received a label value of 7 which is outside the valid range of [0, 3)"), checked with
 * one device read per fit / evaluate call, and nothing leaks.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as st from '../../src/index.js';
import { ValueError } from '../../src/engine/errors.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function classifier(classes: number, loss: string | st.losses.Loss = 'sparseCategoricalCrossentropy'): st.Sequential {
  const net = st.sequential([st.layers.dense({ units: classes, activation: 'softmax', inputShape: [2] })]);
  net.compile({ optimizer: 'sgd', loss, metrics: ['accuracy'] });
  return net;
}

async function fitError(net: st.Sequential, labels: number[], opts: Parameters<st.Sequential['fit']>[2] = {}): Promise<Error | undefined> {
  const x = tf.randomNormal([labels.length, 2], 0, 1, 'float32', 1);
  const y = tf.tensor1d(labels);
  const before = tf.memory().numTensors;
  let err: Error | undefined;
  try {
    await net.fit(x, y, { epochs: 1, verbose: 0, ...opts });
  } catch (e) {
    err = e as Error;
  }
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, y]);
  return err;
}

describe('sparse labels are checked before training', () => {
  it.each([
    [7, 3, /label value of 7 \(sample 2 of output '.*'\) which is outside the valid range of \[0, 3\)/],
    [10, 10, /label value of 10 .*outside the valid range of \[0, 10\)/],
    [-1, 3, /label value of -1 .*outside the valid range of \[0, 3\)/],
    [1e6, 3, /label value of 1000000 .*outside the valid range of \[0, 3\)/],
    [1.5, 3, /label value of 1\.5 .*not an integer class index in the valid range of \[0, 3\)/],
    [2.5, 3, /label value of 2\.5 .*not an integer/],
  ])('label %s with %s classes', async (bad, classes, message) => {
    const net = classifier(classes);
    const err = await fitError(net, [0, 1, bad, 0]);
    expect(err).toBeInstanceOf(ValueError);
    expect(err!.message).toMatch(message);
    net.dispose();
  });

  it('evaluate and validationData are checked too; int32 labels in range train', async () => {
    const net = classifier(3);
    const x = tf.zeros([3, 2]);
    const bad = tf.tensor1d([0, 3, 1]);
    await expect(net.evaluate(x, bad)).rejects.toThrow(/label value of 3 .*\[0, 3\)/);
    const good = tf.tensor1d([0, 2, 1], 'int32');
    await expect(net.fit(x, good, { epochs: 1, verbose: 0, validationData: [x, bad] })).rejects.toThrow(/validationData.*label value of 3/);
    const h = await net.fit(x, good, { epochs: 1, verbose: 0 });
    expect(Number.isFinite(h.history.loss![0]!)).toBe(true);
    tf.dispose([x, bad, good]);
    net.dispose();
  });

  it('the ignored class is allowed with ignoreClass', async () => {
    const net = classifier(3, st.losses.sparseCategoricalCrossentropy({ ignoreClass: -1 }));
    expect(await fitError(net, [0, -1, 2, 1])).toBeUndefined();
    expect((await fitError(net, [0, -2, 2, 1]))?.message).toMatch(/-2 .*ignoreClass -1 is also allowed/);
    net.dispose();
  });
});

describe('weights are checked before training', () => {
  it('a negative or non-finite sampleWeight is an error naming it', async () => {
    const net = classifier(3);
    for (const [w, shown] of [[-0.5, '-0.5'], [NaN, 'NaN'], [Infinity, 'Infinity']] as const) {
      const sw = tf.tensor1d([1, 1, w, 1]);
      const err = await fitError(net, [0, 1, 2, 0], { sampleWeight: sw });
      expect(err).toBeInstanceOf(ValueError);
      expect(err!.message).toContain(`'sampleWeight' must be finite and >= 0; got ${shown} at sample 2`);
      sw.dispose();
    }
    net.dispose();
  });

  it('classWeight keys must name classes of the output', async () => {
    const net = classifier(3);
    const e1 = await fitError(net, [0, 1, 2, 0], { classWeight: { 0: 1, 5: 2 } });
    expect(e1?.message).toMatch(/'classWeight' key '5' names no class; expected class indices 0 to 2/);
    const e2 = await fitError(net, [0, 1, 2, 0], { classWeight: { 0: 1, ['-1' as unknown as number]: 2 } });
    expect(e2?.message).toMatch(/key '-1' names no class/);
    const e3 = await fitError(net, [0, 1, 2, 0], { classWeight: { 1: -2 } });
    expect(e3?.message).toMatch(/weights >= 0; got 1: -2/);
    expect(await fitError(net, [0, 1, 2, 0], { classWeight: { 0: 1, 2: 3 } })).toBeUndefined();
    net.dispose();
  });

  it('a one-column binary output takes classWeight keys 0 and 1', async () => {
    const net = st.sequential([st.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })]);
    net.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    const x = tf.zeros([2, 2]);
    const y = tf.tensor2d([[0], [1]]);
    await net.fit(x, y, { epochs: 1, verbose: 0, classWeight: { 0: 1, 1: 4 } });
    await expect(net.fit(x, y, { epochs: 1, verbose: 0, classWeight: { 2: 1 } })).rejects.toThrow(/key '2' names no class/);
    tf.dispose([x, y]);
    net.dispose();
  });
});

describe('fitDataset checks batch values on the device, read once per epoch', () => {
  function* batches(labels: number[][], weights?: number[][]): Generator<st.DatasetBatch> {
    for (let i = 0; i < labels.length; i++) {
      const ys = tf.tensor1d(labels[i]!);
      const xs = tf.ones([labels[i]!.length, 2]);
      yield weights ? { xs, ys, sampleWeight: tf.tensor1d(weights[i]!) } : { xs, ys };
    }
  }

  it('a bad label in any batch fails the epoch with the count and the range seen', async () => {
    const net = classifier(3);
    const before = tf.memory().numTensors;
    await expect(net.fitDataset({ [Symbol.iterator]: () => batches([[0, 1], [2, 7], [-1, 1]]) }, { epochs: 2, verbose: 0 }))
      .rejects.toThrow(/2 label\(s\) of output '.*' in epoch 0 are outside the valid range of \[0, 3\) or not integers.*range over \[-1, 7\]/);
    expect(tf.memory().numTensors).toBe(before);
    const w = (): Generator<st.DatasetBatch> => batches([[0, 1], [2, 1]], [[1, 1], [-3, 1]]);
    await expect(net.fitDataset({ [Symbol.iterator]: w }, { epochs: 1, verbose: 0 })).rejects.toThrow(/1 sample weight\(s\) in epoch 0 are negative/);
    net.dispose();
  });

  it('good batches train with no host read per batch', async () => {
    const net = classifier(3);
    const labels = Array.from({ length: 12 }, (_, i) => [i % 3, (i + 1) % 3]);
    const reads = vi.spyOn(tf.Tensor.prototype, 'data');
    const syncs = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    await net.fitDataset({ [Symbol.iterator]: () => batches(labels) }, { epochs: 1, verbose: 0 });
    // The epoch's logs and the value watch: a constant number of reads, not one per batch.
    expect(reads.mock.calls.length).toBeLessThanOrEqual(3);
    expect(syncs.mock.calls.length).toBe(0);
    reads.mockRestore();
    syncs.mockRestore();
    net.dispose();
  });
});
