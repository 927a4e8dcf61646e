/**
 * Recurrent models in Keras files both ways, against the real Keras 3 (STRATA_PYTHON,
 * KERAS_BACKEND=jax): `.keras` files strata writes with LSTM, GRU (both bias forms),
 * SimpleRNN, Bidirectional (with and without a backward layer of its own) and TimeDistributed,
 * fed zero-padded token ids through a masking Embedding, load in `keras.models.load_model` and
 * predict as strata does within 1e-5; the files scripts/fixtures/make_rnn_files.py writes with
 * Keras load in strata and predict as Keras does within 1e-5.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { kerasPredicts, runPython } from './python.js';
import { maxAbs } from '../io/helpers.js';

const { tf } = st;
const L = st.layers;
let root: string;

beforeAll(async () => {
  await st.setBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-keras-rnn-oracle-'));
});
afterAll(() => { if (!process.env.STRATA_KEEP) fs.rmSync(root, { recursive: true, force: true }); else console.log('kept', root); });

const T = 6;
/** Token ids padded with zeros at the end (one full row, one of a single step). */
const TOKENS = [[4, 9, 1, 17, 3, 8], [5, 2, 11, 0, 0, 0], [7, 0, 0, 0, 0, 0], [12, 6, 19, 2, 0, 0]];

/** Every weight of the model drawn from U(-0.5, 0.5), biases included. */
function randomize(model: st.Sequential | st.Model, seed: number): void {
  model.weights.forEach((w, i) => {
    const v = tf.randomUniform(w.shape, -0.5, 0.5, 'float32', seed + i);
    w.write(v);
    v.dispose();
  });
}

const tokensIn = () => L.input({ shape: [T], dtype: 'int32' });
const models: Record<string, () => { model: st.Sequential | st.Model; tokens: boolean }> = {
  lstm_gru: () => {
    const x = tokensIn();
    let h = L.embedding({ inputDim: 20, outputDim: 5, maskZero: true }).apply(x) as st.SymbolicTensor;
    h = L.lstm({ units: 6, returnSequences: true }).apply(h) as st.SymbolicTensor;
    return { model: st.model({ inputs: x, outputs: L.gru({ units: 4 }).apply(h) as st.SymbolicTensor }), tokens: true };
  },
  bidirectional: () => ({
    model: st.sequential([
      tokensIn(),
      L.embedding({ inputDim: 20, outputDim: 5, maskZero: true }),
      L.bidirectional({ layer: L.lstm({ units: 4, returnSequences: true }), mergeMode: 'concat' }),
      L.bidirectional({ layer: L.gru({ units: 3, resetAfter: false }), mergeMode: 'ave' }),
    ]),
    tokens: true,
  }),
  own_backward: () => {
    const x = tokensIn();
    let h = L.embedding({ inputDim: 20, outputDim: 5, maskZero: true }).apply(x) as st.SymbolicTensor;
    h = L.timeDistributed({ layer: L.dense({ units: 4, activation: 'tanh' }) }).apply(h) as st.SymbolicTensor;
    h = L.bidirectional({ layer: L.gru({ units: 3 }), backwardLayer: L.gru({ units: 3, goBackwards: true, resetAfter: false }) }).apply(h) as st.SymbolicTensor;
    return { model: st.model({ inputs: x, outputs: L.dense({ units: 2 }).apply(h) as st.SymbolicTensor }), tokens: true };
  },
  unmasked: () => ({
    model: st.sequential([
      L.input({ shape: [T, 3] }),
      L.gru({ units: 4, resetAfter: false, returnSequences: true }),
      L.simpleRNN({ units: 3, returnSequences: true, goBackwards: true }),
      L.timeDistributed({ layer: L.dense({ units: 2 }) }),
    ]),
    tokens: false,
  }),
};

describe('recurrent models: strata → Keras', () => {
  it('Keras 3 loads strata .keras files with LSTM, GRU, SimpleRNN, Bidirectional, TimeDistributed and predicts within 1e-5', async () => {
    const ours: Record<string, Float32Array> = {};
    let seed = 7;
    for (const [name, make] of Object.entries(models)) {
      const { model, tokens } = make();
      randomize(model, (seed += 100));
      const x = tokens ? tf.tensor2d(TOKENS, [TOKENS.length, T], 'int32') : tf.randomNormal([3, T, 3], 0, 1, 'float32', seed);
      const y = model.predict(x) as st.tf.Tensor;
      ours[name] = y.dataSync() as Float32Array;
      fs.writeFileSync(path.join(root, `${name}.keras`), await st.io.saveKerasModel(model));
      fs.writeFileSync(path.join(root, `${name}.input.json`), JSON.stringify({ shape: x.shape, dtype: x.dtype, x: Array.from(x.dataSync()) }));
      tf.dispose([x, y]);
      model.dispose();
    }
    const theirs = kerasPredicts(root, Object.keys(models));
    for (const name of Object.keys(models)) expect(maxAbs(ours[name]!, theirs[name]!), name).toBeLessThanOrEqual(1e-5);
  });
});

describe('recurrent models: Keras → strata', () => {
  it('every model make_rnn_files.py writes loads from .keras and .h5 and predicts within 1e-5', async () => {
    const dir = path.join(root, 'from-keras');
    runPython(fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'scripts', 'fixtures', 'make_rnn_files.py'), 'utf8'), [dir]);
    const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as
      Record<string, { input_shape: number[]; input_dtype: string; input: number[]; output: number[] }>;
    const names = Object.keys(expected).filter((n) => !n.startsWith('_'));
    expect(names.length).toBe(5);
    for (const name of names) {
      for (const ext of ['keras', 'h5']) {
        const m = await st.io.loadKerasModel(new Uint8Array(fs.readFileSync(path.join(dir, `${name}.${ext}`))));
        const e = expected[name]!;
        const x = tf.tensor(e.input, e.input_shape, e.input_dtype === 'int32' ? 'int32' : 'float32');
        const y = m.predict(x) as st.tf.Tensor;
        expect(maxAbs(y.dataSync(), e.output), `${name}.${ext}`).toBeLessThanOrEqual(1e-5);
        tf.dispose([x, y]);
        m.dispose();
      }
    }
  });
});
