/**
 * A model mixing Embedding(maskZero), Bidirectional(LSTM), LayerNormalization,
 * MultiHeadAttention, GRU, Conv1D(causal), GlobalAveragePooling1D and Dense, trained 3
 * full-batch SGD steps on MSE, ends where Keras ends (weights and losses within 1e-3).
 * Fixture: scripts/fixtures/make_sequence_fixtures.py (training.json).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { expectClose, loadFixture, toTensor, type Arr } from './fixtures.js';

const { tf } = st;

interface TrainingFixture {
  x: number[][]; y: number[]; weightNames: string[]; initial: Arr[]; final: Arr[]; predictBefore: Arr; losses: number[];
}
const fx = loadFixture<TrainingFixture>('training.json');

function build(): st.Model {
  const L = st.layers;
  const ids = L.input({ shape: [6] });
  let h = L.embedding({ inputDim: 10, outputDim: 4, maskZero: true }).apply(ids);
  h = L.bidirectional({ layer: L.lstm({ units: 3, returnSequences: true }) }).apply(h) as st.SymbolicTensor;
  h = L.layerNormalization().apply(h);
  h = L.multiHeadAttention({ numHeads: 2, keyDim: 2 }).apply([h, h]) as st.SymbolicTensor;
  h = L.gru({ units: 4, returnSequences: true }).apply(h) as st.SymbolicTensor;
  h = L.conv1d({ filters: 3, kernelSize: 2, padding: 'causal', activation: 'tanh' }).apply(h);
  h = L.globalAveragePooling1d().apply(h);
  const out = L.dense({ units: 1 }).apply(h);
  return st.model({ inputs: ids, outputs: out });
}

describe.each(['cpu', 'wasm'])('mixed sequence model trains like Keras (%s)', (backend) => {
  beforeAll(async () => {
    await st.setBackend(backend as 'cpu');
  });

  it('predicts Keras outputs on Keras weights and ends 3 SGD steps where Keras ends', async () => {
    const m = build();
    expect(m.weights.map((w) => w.shape)).toEqual(fx.initial.map((a) => a.shape));
    const init = fx.initial.map((a) => toTensor(a));
    m.setWeights(init);
    tf.dispose(init);
    const x = tf.tensor2d(fx.x, undefined, 'float32');
    const y = tf.tensor2d(fx.y, [fx.y.length, 1]);
    const p = m.predict(x) as st.tf.Tensor;
    expectClose(p, fx.predictBefore, 1e-5, 'prediction before training');
    p.dispose();
    m.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    const hist = await m.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    const losses = hist.history.loss as number[];
    losses.forEach((l, i) => expect(Math.abs(l - fx.losses[i]!)).toBeLessThan(1e-3));
    m.weights.forEach((w, i) => expectClose(w.read(), fx.final[i]!, 1e-3, `${fx.weightNames[i]} after 3 steps`));
    tf.dispose([x, y]);
    m.dispose();
  });
});
