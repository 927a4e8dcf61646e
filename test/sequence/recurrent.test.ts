/**
 * Embedding, Masking and the recurrent layers: the shared harness, mask propagation
 * through Sequential and functional models, and errors that name the layer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ShapeError, ValueError } from '../../src/engine/errors.js';
import { input } from '../../src/layers/core/input.js';
import { dense } from '../../src/layers/core/dense.js';
import { embedding } from '../../src/layers/core/embedding.js';
import { masking } from '../../src/layers/core/masking.js';
import { bidirectional, gru, lstm, simpleRNN, timeDistributed } from '../../src/layers/recurrent/index.js';
import { FunctionalNetwork } from '../../src/models/functional.js';
import { SequentialNetwork } from '../../src/models/sequential.js';
import { layerHarness } from '../harness/layer_harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

layerHarness({ title: 'embedding', make: () => embedding({ inputDim: 5, outputDim: 3 }), inputShape: [2, 4], trainable: true });
layerHarness({ title: 'masking', make: () => masking({ maskValue: 0.5 }), inputShape: [2, 4, 3], trainable: false });
layerHarness({ title: 'simpleRNN last', make: () => simpleRNN({ units: 3 }), inputShape: [2, 4, 3], trainable: true });
layerHarness({ title: 'simpleRNN sequences elu', make: () => simpleRNN({ units: 2, returnSequences: true, activation: 'elu' }), inputShape: [2, 3, 2], trainable: true });
layerHarness({ title: 'lstm sequences', make: () => lstm({ units: 3, returnSequences: true }), inputShape: [2, 4, 3], trainable: true });
layerHarness({ title: 'lstm dropout goBackwards', make: () => lstm({ units: 2, dropout: 0.2, recurrentDropout: 0.2, goBackwards: true, seed: 3 }), inputShape: [2, 3, 2], trainable: true, stochastic: true });
layerHarness({ title: 'gru resetAfter', make: () => gru({ units: 3 }), inputShape: [2, 4, 3], trainable: true });
layerHarness({ title: 'gru resetAfter false sequences', make: () => gru({ units: 2, resetAfter: false, returnSequences: true }), inputShape: [2, 3, 2], trainable: true });
layerHarness({ title: 'bidirectional lstm concat', make: () => bidirectional({ layer: lstm({ units: 2, returnSequences: true }) }), inputShape: [2, 3, 2], trainable: true });
layerHarness({ title: 'bidirectional gru ave', make: () => bidirectional({ layer: gru({ units: 2 }), mergeMode: 'ave' }), inputShape: [2, 3, 2], trainable: true });
layerHarness({ title: 'timeDistributed dense', make: () => timeDistributed({ layer: dense({ units: 3 }) }), inputShape: [2, 4, 2], trainable: true });

describe('masks travel through models', () => {
  const ids = [[3, 1, 2, 0, 0], [1, 2, 3, 4, 2]];

  it('embedding(maskZero) -> lstm: padded steps leave the last output as at the last real step', () => {
    const emb = embedding({ inputDim: 5, outputDim: 3, maskZero: true });
    const rnn = lstm({ units: 2 });
    const m = new SequentialNetwork([input({ shape: [5] }), emb, rnn]);
    const x = tf.tensor2d(ids);
    const short = tf.tensor2d([[3, 1, 2]]);
    const y = m.predict(x) as tf.Tensor;
    const m3 = new SequentialNetwork([input({ shape: [3] }), emb, rnn]);
    const y3 = m3.predict(short) as tf.Tensor;
    // Sample 0 has two padded steps: its output equals the unpadded 3-step run.
    const a = Array.from(y.dataSync()).slice(0, 2);
    const b = Array.from(y3.dataSync());
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 6));
    tf.dispose([x, short, y, y3]);
  });

  it('without maskZero the padding changes the output', () => {
    const emb = embedding({ inputDim: 5, outputDim: 3 });
    const rnn = lstm({ units: 2 });
    const m = new SequentialNetwork([input({ shape: [5] }), emb, rnn]);
    const m3 = new SequentialNetwork([input({ shape: [3] }), emb, rnn]);
    const x = tf.tensor2d(ids);
    const short = tf.tensor2d([[3, 1, 2]]);
    const y = m.predict(x) as tf.Tensor;
    const y3 = m3.predict(short) as tf.Tensor;
    const diff = Math.abs(y.dataSync()[0]! - y3.dataSync()[0]!);
    expect(diff).toBeGreaterThan(1e-6);
    tf.dispose([x, short, y, y3]);
  });

  it('functional: masking -> bidirectional(gru) -> dense, mask reaches the RNN through a dense layer', () => {
    const inp = input({ shape: [4, 2] });
    const h = masking().apply(inp);
    const d = dense({ units: 2 }).apply(h);
    const out = bidirectional({ layer: gru({ units: 2 }) }).apply(d);
    const m = new FunctionalNetwork({ inputs: inp, outputs: out });
    const x = tf.tensor3d([[[1, 2], [3, 4], [0, 0], [0, 0]], [[1, 2], [3, 4], [5, 6], [7, 8]]]);
    const xShort = tf.tensor3d([[[1, 2], [3, 4]]]);
    const inp2 = input({ shape: [2, 2] });
    const m2 = new FunctionalNetwork({ inputs: inp2, outputs: m.apply(inp2) as never });
    const y = m.predict(x) as tf.Tensor;
    const y2 = m2.predict(xShort) as tf.Tensor;
    Array.from(y2.dataSync()).forEach((v, i) => expect(y.dataSync()[i]).toBeCloseTo(v, 6));
    tf.dispose([x, xShort, y, y2]);
  });

  it('leaks no tensors when masks flow', () => {
    const m = new SequentialNetwork([input({ shape: [5] }), embedding({ inputDim: 5, outputDim: 3, maskZero: true }), gru({ units: 2, returnSequences: true }), lstm({ units: 2 })]);
    const x = tf.tensor2d(ids);
    tf.dispose(m.predict(x));
    const n0 = tf.memory().numTensors;
    tf.dispose(m.predict(x));
    expect(tf.memory().numTensors).toBe(n0);
    x.dispose();
  });
});

describe('recurrent errors name the layer and the argument', () => {
  it('rejects bad options', () => {
    expect(() => lstm({ units: 0 })).toThrow(/LSTM 'lstm': 'units' must be a positive integer; got 0/);
    expect(() => gru({ units: 2, dropout: 1.5 })).toThrow(ValueError);
    expect(() => simpleRNN({ units: 2, stateful: true })).toThrow(/stateful/);
    expect(() => bidirectional({ layer: dense({ units: 2 }) as never })).toThrow(/'layer' must be a recurrent layer/);
    expect(() => bidirectional({ layer: lstm({ units: 2 }), mergeMode: 'max' as never })).toThrow(/mergeMode/);
    expect(() => embedding({ inputDim: 0, outputDim: 2 })).toThrow(/'inputDim' must be a positive integer/);
  });
  it('rejects a rank-2 input and wrong initial states', () => {
    expect(() => lstm({ units: 2 }).apply(input({ shape: [3] }))).toThrow(ShapeError);
    const x = input({ shape: [3, 2] });
    const h = input({ shape: [5] });
    expect(() => lstm({ units: 2 }).apply([x, h])).toThrow(/initial states must be 2 tensor/);
  });
});

layerHarness({
  title: 'bidirectional with its own backward layer',
  make: () => bidirectional({ layer: gru({ units: 3, returnSequences: true }), backwardLayer: gru({ units: 2, returnSequences: true, goBackwards: true, resetAfter: false }) }),
  inputShape: [2, 3, 2], trainable: true,
});

describe("bidirectional's backwardLayer (Keras' backward_layer)", () => {
  it('concatenates directions of different sizes and saves the backward layer in its config', () => {
    const bi = bidirectional({ layer: lstm({ units: 3 }), backwardLayer: simpleRNN({ units: 2, goBackwards: true }) });
    const x = tf.randomNormal([2, 4, 3]);
    const y = bi.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 5]);
    expect(bi.computeOutputShape([null, 4, 3])).toEqual([null, 5]);
    const cfg = bi.getConfig();
    expect(cfg.backwardLayer).toMatchObject({ className: 'SimpleRNN', config: { units: 2, goBackwards: true } });
    const again = bidirectional(cfg);
    expect(again.backwardLayer.className).toBe('SimpleRNN');
    tf.dispose([x, y]);
    bi.dispose();
    again.dispose();
  });

  it('leaves the backward layer out of the config when it is the default copy', () => {
    const bi = bidirectional({ layer: gru({ units: 2 }), backwardLayer: gru({ units: 2, goBackwards: true }) });
    expect(bi.getConfig().backwardLayer).toBeUndefined();
  });

  it('refuses a backward layer going the same way, or with other returnSequences, naming the argument', () => {
    expect(() => bidirectional({ layer: gru({ units: 2 }), backwardLayer: gru({ units: 2 }) }))
      .toThrow(/'backwardLayer' must have the opposite 'goBackwards' of 'layer'; both have false/);
    expect(() => bidirectional({ layer: gru({ units: 2 }), backwardLayer: gru({ units: 2, goBackwards: true, returnSequences: true }) }))
      .toThrow(ValueError);
  });

  it("refuses 'sum' of directions of different sizes when built", () => {
    const bi = bidirectional({ layer: gru({ units: 3 }), backwardLayer: gru({ units: 2, goBackwards: true }), mergeMode: 'sum' });
    expect(() => bi.computeOutputShape([null, 4, 3])).toThrow(ShapeError);
    expect(() => bi.computeOutputShape([null, 4, 3])).toThrow(/mergeMode 'sum' needs both directions of one size; forward gives 3, backward 2/);
  });
});
