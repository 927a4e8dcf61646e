/** Save → load round trip (tfjs-layers format, in memory) of a model with the sequence layers. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { memory } from '../io/helpers.js';

const { tf } = st;
const L = st.layers;

beforeAll(async () => {
  await st.setBackend('cpu');
});

describe('sequence models save and load', () => {
  it('embedding(maskZero), bidirectional LSTM, GRU, attention, transformer block, conv1d, pooling: same predictions after loading', async () => {
    const ids = L.input({ shape: [7] });
    let h = L.embedding({ inputDim: 12, outputDim: 8, maskZero: true }).apply(ids);
    h = L.positionalEmbedding({ sequenceLength: 7 }).apply(h);
    h = L.bidirectional({ layer: L.lstm({ units: 4, returnSequences: true }), mergeMode: 'sum' }).apply(h) as st.SymbolicTensor;
    h = L.gru({ units: 4, returnSequences: true, resetAfter: false }).apply(h) as st.SymbolicTensor;
    h = L.multiHeadAttention({ numHeads: 2, keyDim: 2 }).apply([h, h]) as st.SymbolicTensor;
    h = L.transformerEncoderBlock({ intermediateDim: 8, numHeads: 2 }).apply(h);
    h = L.layerNormalization().apply(h);
    h = L.timeDistributed({ layer: L.dense({ units: 4 }) }).apply(h);
    h = L.conv1d({ filters: 3, kernelSize: 2, padding: 'causal', dilationRate: 2 }).apply(h);
    h = L.globalAveragePooling1d().apply(h);
    const out = L.dense({ units: 2 }).apply(h);
    const m = st.model({ inputs: ids, outputs: out });
    const x = tf.tensor2d([[3, 1, 4, 1, 5, 0, 0], [9, 2, 6, 5, 3, 5, 8]]);
    const mem = memory();
    await st.saveModel(m, mem.save);
    const again = await st.loadModel(mem.load());
    expect(again.layers.map((l) => l.className)).toEqual(m.layers.map((l) => l.className));
    const a = m.predict(x) as st.tf.Tensor;
    const b = again.predict(x) as st.tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    m.dispose();
    again.dispose();
  });
});

describe('variable-length int inputs', () => {
  it("input({ shape: [null], dtype: 'int32' }) -> embedding -> lstm takes sequences of any length", () => {
    const ids = L.input({ shape: [null], dtype: 'int32' });
    const h = L.embedding({ inputDim: 6, outputDim: 3, maskZero: true }).apply(ids);
    const out = L.lstm({ units: 2 }).apply(h) as st.SymbolicTensor;
    expect(out.shape).toEqual([null, 2]);
    const m = st.model({ inputs: ids, outputs: out });
    const x3 = tf.tensor2d([[1, 2, 3]], undefined, 'int32');
    const x5 = tf.tensor2d([[1, 2, 3, 0, 0]], undefined, 'int32');
    const a = m.predict(x3) as st.tf.Tensor;
    const b = m.predict(x5) as st.tf.Tensor;
    Array.from(b.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(a.dataSync()[i]!, 6));
    tf.dispose([a, b, x3, x5]);
    m.dispose();
  });
});
