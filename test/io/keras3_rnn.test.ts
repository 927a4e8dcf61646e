/**
 * Recurrent models in real Keras 3 files (scripts/fixtures/make_rnn_files.py): Embedding with
 * mask_zero → LSTM → GRU, stacked Bidirectional LSTMs, GRU with reset_after=False and a
 * Bidirectional with its own backward layer, SimpleRNN (one going backwards),
 * TimeDistributed(Dense). Each loads from `.keras` and `.h5` and predicts as Keras did on
 * zero-padded token ids; strata writes them back with Keras' own weight layout and reads its
 * files back bit for bit; the weights alone load through `loadKerasWeights` from either
 * layout; and config keys that would change the math are refused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { h5Layout, maxAbs, memory, weightsAloneSuites } from './helpers.js';

const { tf } = st;
const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'keras3_rnn');
interface Case { input_shape: number[]; input_dtype: string; input: number[]; output_shape: number[]; output: number[] }
const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, Case>;
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(DIR, name)));
const MODELS = ['embed_lstm_gru', 'bidirectional', 'gru_reset_before', 'simple_rnn', 'time_distributed'];

beforeAll(async () => {
  await st.setBackend('cpu');
});

function inputOf(name: string): st.tf.Tensor {
  const e = expected[name]!;
  return tf.tensor(e.input, e.input_shape, e.input_dtype === 'int32' ? 'int32' : 'float32');
}

/** The model's prediction on the fixture's input, and its worst difference from Keras'. */
function predictErr(m: st.Sequential | st.Model, name: string): { values: Float32Array; err: number } {
  const x = inputOf(name);
  const y = m.predict(x) as st.tf.Tensor;
  expect(y.shape).toEqual(expected[name]!.output_shape);
  const values = y.dataSync() as Float32Array;
  tf.dispose([x, y]);
  return { values, err: maxAbs(values, expected[name]!.output) };
}

describe('recurrent models written by Keras 3', () => {
  for (const name of MODELS) {
    for (const ext of ['keras', 'h5']) {
      it(`${name}.${ext} loads and predicts as Keras within 1e-5`, async () => {
        const before = tf.memory().numTensors;
        const m = await st.io.loadKerasModel(fixture(`${name}.${ext}`));
        expect(predictErr(m, name).err).toBeLessThanOrEqual(1e-5);
        m.dispose();
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  }

  it('the masked rows really are padded, and the GRU output differs from an unmasked run', async () => {
    const m = await st.io.loadKerasModel(fixture('embed_lstm_gru.keras'));
    expect(expected.embed_lstm_gru!.input.filter((v) => v === 0).length).toBeGreaterThan(6);
    const x = inputOf('embed_lstm_gru');
    const emb = m.getLayer('embedding');
    const lstm = m.getLayer('lstm');
    const gru = m.getLayer('gru');
    // Without the mask, the padded steps change the result: the mask is what makes it match.
    const unmasked = tf.tidy(() => gru.apply(lstm.apply(emb.apply(x) as st.tf.Tensor) as st.tf.Tensor) as st.tf.Tensor);
    expect(maxAbs(unmasked.dataSync(), expected.embed_lstm_gru!.output)).toBeGreaterThan(1e-3);
    tf.dispose([x, unmasked]);
    m.dispose();
  });

  it('a Bidirectional with its own backward layer keeps it', async () => {
    const m = await st.io.loadKerasModel(fixture('gru_reset_before.keras'));
    const bi = m.layers.find((l) => l.className === 'Bidirectional') as st.layers.Bidirectional;
    expect((bi.forwardLayer as st.layers.GRU).units).toBe(3);
    expect((bi.backwardLayer as st.layers.GRU).units).toBe(2);
    expect(bi.backwardLayer.goBackwards).toBe(true);
    expect((bi.getConfig().backwardLayer as { config: Record<string, unknown> }).config.units).toBe(2);
    m.dispose();
  });
});

describe('recurrent models saved by strata as .keras', () => {
  for (const name of MODELS) {
    it(`${name}: the weights file has Keras' layout, and strata reads it back bit for bit`, async () => {
      const before = tf.memory().numTensors;
      const keras = fixture(`${name}.keras`);
      const m = await st.io.loadKerasModel(keras);
      const bytes = await st.io.saveKerasModel(m);
      // The same groups and datasets, with the same shapes, as Keras wrote for this model.
      expect(await h5Layout(unzipSync(bytes)['model.weights.h5']!, false)).toEqual(await h5Layout(unzipSync(keras)['model.weights.h5']!, false));
      const back = await st.io.loadKerasModel(bytes);
      expect(back.weights.map((w) => w.shape)).toEqual(m.weights.map((w) => w.shape));
      back.weights.forEach((w, i) => expect(Array.from(w.read().dataSync())).toEqual(Array.from(m.weights[i]!.read().dataSync())));
      expect(Array.from(predictErr(back, name).values)).toEqual(Array.from(predictErr(m, name).values));
      m.dispose();
      back.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('a model built in strata round-trips: LSTM, GRU (both bias forms), SimpleRNN, Bidirectional, TimeDistributed', async () => {
    const L = st.layers;
    const x = L.input({ shape: [5], dtype: 'int32' });
    let h = L.embedding({ inputDim: 12, outputDim: 4, maskZero: true }).apply(x) as st.SymbolicTensor;
    h = L.bidirectional({ layer: L.lstm({ units: 3, returnSequences: true }), mergeMode: 'sum' }).apply(h) as st.SymbolicTensor;
    h = L.timeDistributed({ layer: L.dense({ units: 4 }) }).apply(h) as st.SymbolicTensor;
    h = L.gru({ units: 3, returnSequences: true, resetAfter: false }).apply(h) as st.SymbolicTensor;
    h = L.simpleRNN({ units: 3, returnSequences: true }).apply(h) as st.SymbolicTensor;
    const y = L.gru({ units: 2 }).apply(h) as st.SymbolicTensor;
    const m = st.model({ inputs: x, outputs: y });
    const tokens = tf.tensor2d([[3, 1, 4, 0, 0], [5, 9, 2, 6, 5]], [2, 5], 'int32');
    const back = await st.io.loadKerasModel(await st.io.saveKerasModel(m));
    const a = m.predict(tokens) as st.tf.Tensor;
    const b = back.predict(tokens) as st.tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([tokens, a, b]);
    m.dispose();
    back.dispose();
  });
});

describe('recurrent models from Keras in strata\'s own format', () => {
  for (const name of ['gru_reset_before', 'time_distributed', 'bidirectional']) {
    it(`${name}: saves to model.json artifacts and loads back with the same predictions`, async () => {
      const m = await st.io.loadKerasModel(fixture(`${name}.keras`));
      const mem = memory();
      await st.saveModel(m, mem.save);
      const back = await st.loadModel(mem.load());
      expect(Array.from(predictErr(back, name).values)).toEqual(Array.from(predictErr(m, name).values));
      m.dispose();
      back.dispose();
    });
  }
});

weightsAloneSuites('recurrent weights alone (loadKerasWeights)', ['bidirectional', 'time_distributed', 'gru_reset_before'], {
  load: (name) => st.io.loadKerasModel(fixture(`${name}.keras`)),
  keras3Weights: (name) => unzipSync(fixture(`${name}.keras`))['model.weights.h5']!,
  legacy: (name) => fixture(`${name}.h5`),
  loadWeights: (m, bytes) => st.io.loadKerasWeights(m, bytes),
  err: (m, name) => predictErr(m, name).err,
});

/** A fixture's `.keras` bytes with its config changed by `edit`. */
function patched(name: string, edit: (layers: Record<string, any>[]) => void): Uint8Array {
  const files = unzipSync(fixture(`${name}.keras`));
  const config = JSON.parse(new TextDecoder().decode(files['config.json']));
  edit(config.config.layers);
  files['config.json'] = strToU8(JSON.stringify(config));
  return zipSync(files);
}

const byClass = (layers: Record<string, any>[], cls: string) => layers.find((l) => l.class_name === cls)!;

describe('Keras configs of recurrent layers', () => {
  it('accepts Keras-only keys at no-op values and unroll: true (a speed hint)', async () => {
    const bytes = patched('bidirectional', (layers) => {
      const inner = byClass(layers, 'Bidirectional').config.layer.config;
      // implementation and time_major are what Keras 2 configs add.
      Object.assign(inner, { unroll: true, stateful: false, seed: 7, kernel_constraint: null, activity_regularizer: null, implementation: 2, time_major: false });
    });
    const m = await st.io.loadKerasModel(bytes);
    expect(predictErr(m, 'bidirectional').err).toBeLessThanOrEqual(1e-5);
    m.dispose();
  });

  const refused: [string, string, (layers: Record<string, any>[]) => void, RegExp][] = [
    ['a kernel constraint on a wrapped LSTM', 'bidirectional',
      (ls) => { byClass(ls, 'Bidirectional').config.layer.config.kernel_constraint = { module: 'keras.constraints', class_name: 'NonNeg', config: {} }; },
      /layer 'forward_lstm' \(LSTM\) wrapped in 'bidirectional\w*': config key\(s\) 'kernelConstraint' are not supported/],
    ['time_major: true (Keras 2)', 'simple_rnn',
      (ls) => { byClass(ls, 'SimpleRNN').config.time_major = true; },
      /layer 'simple_rnn' \(SimpleRNN\): config key 'time_major' = true would change the layer's computation/],
    ['stateful: true', 'simple_rnn',
      (ls) => { byClass(ls, 'SimpleRNN').config.stateful = true; },
      /layer 'simple_rnn' \(SimpleRNN\): bad config: .*'stateful' = true is not supported/],
    ['an activity regularizer on a GRU', 'gru_reset_before',
      (ls) => { byClass(ls, 'GRU').config.activity_regularizer = { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 } }; },
      /layer 'gru' \(GRU\): config key\(s\) 'activityRegularizer' are not supported/],
    ['a backward layer going the same way', 'gru_reset_before',
      (ls) => { byClass(ls, 'Bidirectional').config.backward_layer.config.go_backwards = false; },
      /'backwardLayer' must have the opposite 'goBackwards' of 'layer'/],
    ['a wrapped layer of an unknown class', 'time_distributed',
      (ls) => { ls.find((l) => l.name === 'head')!.config.layer.class_name = 'Quantum'; },
      /layer 'dense_1': unknown layer class 'Quantum'/],
    ['a mixed-precision policy on a wrapped Dense', 'time_distributed',
      (ls) => { ls.find((l) => l.name === 'head')!.config.layer.config.dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' } }; },
      /layer 'dense_1' \(Dense\) wrapped in 'head': bad config: .*'dtype' must be 'float32'; got 'mixed_float16'/],
    ['an explicit mask that is not the embedding padding mask', 'embed_lstm_gru',
      (ls) => { byClass(ls, 'NotEqual').inbound_nodes[0].args[1] = 1; },
      /operation 'not_equal' \(NotEqual\): strata reads it only as the padding mask of Embedding\(mask_zero=True\), not_equal\(x, 0\); got a comparison with 1/],
    ['a mask that strata would not carry to the layer (the embedding does not mask)', 'time_distributed',
      (ls) => { byClass(ls, 'Embedding').config.mask_zero = false; },
      /layer 'per_step' is given the mask 'not_equal\w*' explicitly, which is not the padding mask its input carries/],
  ];
  for (const [what, name, edit, message] of refused) {
    it(`refuses ${what}, naming the layer`, async () => {
      const before = tf.memory().numTensors;
      const err = await st.io.loadKerasModel(patched(name, edit)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(st.SerializationError);
      expect((err as Error).message).toMatch(message);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
