/**
 * Attention, convolution, normalization and masking models in Keras files both ways, against
 * the real Keras 3 (STRATA_PYTHON, KERAS_BACKEND=jax): `.keras` files strata writes with
 * MultiHeadAttention (self-attention after a masking Embedding in a transformer encoder block
 * of plain layers; cross-attention with a key, an attention-mask input and output_shape; causal
 * attention returning its scores), LayerNormalization, Conv1D, the 1-D pooling layers,
 * UpSampling1D, RepeatVector and Masking, and masks merged by Add and Concatenate, load in
 * `keras.models.load_model` and predict as
 * strata does within 1e-5; the files scripts/fixtures/make_seq_files.py writes with Keras load
 * in strata and predict as Keras does within 1e-5.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { runPython } from './python.js';
import { maxAbs } from '../io/helpers.js';

const { tf } = st;
const L = st.layers;
type Sym = st.SymbolicTensor;
let root: string;

beforeAll(async () => {
  await st.setBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-keras-seq-oracle-'));
});
afterAll(() => { if (!process.env.STRATA_KEEP) fs.rmSync(root, { recursive: true, force: true }); else console.log('kept', root); });

const T = 6;
/** Token ids padded with zeros at the end (one full row, one of a single step). */
const TOKENS = [[4, 9, 1, 17, 3, 8], [5, 2, 11, 0, 0, 0], [7, 0, 0, 0, 0, 0], [12, 6, 19, 2, 0, 0]];
const SHORT = [[3, 1, 0, 0], [8, 2, 9, 4], [5, 0, 0, 0], [6, 7, 1, 0]];

/** Every weight of the model drawn from U(-0.5, 0.5), biases included. */
function randomize(model: st.Sequential | st.Model, seed: number): void {
  model.weights.forEach((w, i) => {
    const v = tf.randomUniform(w.shape, -0.5, 0.5, 'float32', seed + i);
    w.write(v);
    v.dispose();
  });
}

const tokensIn = (n = T, name?: string) => L.input({ shape: [n], dtype: 'int32', ...(name ? { name } : {}) });
const apply = (l: st.Layer, x: Sym | Sym[]) => l.apply(x) as Sym;

/** Each model and its inputs (as nested arrays). */
const models: Record<string, () => { model: st.Sequential | st.Model; inputs: () => st.tf.Tensor[] }> = {
  // A transformer encoder block in plain layers, as in make_seq_files.py.
  transformer_encoder: () => {
    const x = tokensIn();
    const e = apply(L.embedding({ inputDim: 20, outputDim: 8, maskZero: true }), x);
    const a = apply(L.multiHeadAttention({ numHeads: 2, keyDim: 4 }), [e, e]);
    const h = apply(L.layerNormalization({ epsilon: 1e-6 }), apply(L.add(), [e, a]));
    const f = apply(L.dense({ units: 8 }), apply(L.dense({ units: 16, activation: 'relu' }), h));
    const h2 = apply(L.layerNormalization({ epsilon: 1e-6 }), apply(L.add(), [h, f]));
    const out = apply(L.dense({ units: 3 }), apply(L.globalAveragePooling1d(), h2));
    return { model: st.model({ inputs: x, outputs: out }), inputs: () => [tf.tensor2d(TOKENS, undefined, 'int32')] };
  },
  // Every position returned: padded queries average all values, as Keras' fused path.
  self_attention_sequence: () => {
    const x = tokensIn();
    const e = apply(L.embedding({ inputDim: 20, outputDim: 8, maskZero: true }), x);
    return { model: st.model({ inputs: x, outputs: apply(L.multiHeadAttention({ numHeads: 2, keyDim: 4 }), [e, e]) }), inputs: () => [tf.tensor2d(TOKENS, undefined, 'int32')] };
  },
  cross_attention: () => {
    const q = tokensIn(T, 'queries');
    const v = tokensIn(4, 'values');
    const allowed = L.input({ shape: [T, 4], name: 'allowed' });
    const qe = apply(L.embedding({ inputDim: 20, outputDim: 8, maskZero: true }), q);
    const ve = apply(L.embedding({ inputDim: 20, outputDim: 6, maskZero: true }), v);
    const k = apply(L.dense({ units: 5 }), ve);
    const a = apply(L.multiHeadAttention({ numHeads: 2, keyDim: 3, outputShape: 5 }), [qe, ve, k, allowed]);
    const out = apply(L.lstm({ units: 3 }), a);
    const mask = Array.from({ length: 4 }, (_, b) => Array.from({ length: T }, (_, i) => Array.from({ length: 4 }, (_, j) => ((b + i * 3 + j) % 4 === 0 ? 0 : 1))));
    return {
      model: st.model({ inputs: [q, v, allowed], outputs: out }),
      inputs: () => [tf.tensor2d(TOKENS, undefined, 'int32'), tf.tensor2d(SHORT, undefined, 'int32'), tf.tensor3d(mask)],
    };
  },
  causal_scores: () => {
    const x = L.input({ shape: [T, 3] });
    const c = apply(L.conv1d({ filters: 8, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'relu' }), x);
    const [o, scores] = L.multiHeadAttention({ numHeads: 2, keyDim: 4, valueDim: 3, dropout: 0.1, useBias: false, useCausalMask: true, returnAttentionScores: true })
      .apply([c, c]) as Sym[];
    const out = apply(L.layerNormalization({ center: false }), o!);
    return { model: st.model({ inputs: x, outputs: [out, scores!] }), inputs: () => [tf.randomNormal([3, T, 3], 0, 1, 'float32', 5)] };
  },
  conv_pool: () => ({
    model: st.sequential([
      L.input({ shape: [8, 3] }),
      L.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.maxPooling1d({ poolSize: 2 }),
      L.conv1d({ filters: 5, kernelSize: 2, dilationRate: 2, padding: 'causal', useBias: false }),
      L.averagePooling1d({ poolSize: 2, strides: 1, padding: 'same' }),
      L.upSampling1d({ size: 2 }),
      L.conv1d({ filters: 6, kernelSize: 3, strides: 2, activation: 'tanh' }),
      L.layerNormalization({ scale: false }),
      L.globalMaxPooling1d(),
      L.repeatVector({ n: 3 }),
      L.globalAveragePooling1d(),
      L.dense({ units: 2 }),
    ]),
    inputs: () => [tf.randomNormal([3, 8, 3], 0, 1, 'float32', 9)],
  }),
  masking: () => {
    const x = L.input({ shape: [T, 3] });
    const h = apply(L.lstm({ units: 4, returnSequences: true }), apply(L.masking({ maskValue: 0.5 }), x));
    const data = tf.tidy(() => {
      const r = tf.randomNormal([3, T, 3], 0, 1, 'float32', 3);
      const keep = tf.tensor3d([0, 1, 2].map((b) => Array.from({ length: T }, (_, t) => [t < [6, 3, 5][b]! ? 1 : 0])));
      return tf.add(tf.mul(r, keep), tf.mul(tf.sub(1, keep), 0.5));
    });
    return { model: st.model({ inputs: x, outputs: apply(L.globalAveragePooling1d(), apply(L.layerNormalization(), h)) }), inputs: () => [data] };
  },
  // Keras 3's mask rules: Add ORs masks and drops them with an unmasked input; Concatenate
  // joins them along features and along time. The Concatenate layers keep their default
  // names, which Keras gives the operations joining their masks (keras/op_names.ts).
  merge_masks: () => {
    const a = tokensIn(T, 'a');
    const b = tokensIn(T, 'b');
    const f = L.input({ shape: [T, 4], name: 'f' });
    const ea = apply(L.embedding({ inputDim: 20, outputDim: 4, maskZero: true }), a);
    const eb = apply(L.embedding({ inputDim: 20, outputDim: 4, maskZero: true }), b);
    const branches = [
      apply(L.add(), [ea, eb]), apply(L.add(), [ea, f]), apply(L.concatenate(), [ea, eb]), apply(L.concatenate({ axis: 1 }), [ea, eb]),
    ].map((t) => apply(L.lstm({ units: 3 }), t));
    const other = [[2, 9, 0, 0, 0, 0], [4, 4, 4, 4, 4, 0], [1, 3, 5, 0, 0, 0], [7, 8, 9, 1, 2, 3]];
    return {
      model: st.model({ inputs: [a, b, f], outputs: apply(L.concatenate(), branches) }),
      inputs: () => [tf.tensor2d(TOKENS, undefined, 'int32'), tf.tensor2d(other, undefined, 'int32'), tf.randomNormal([4, T, 4], 0, 1, 'float32', 4)],
    };
  },
  embed_global_max: () => ({
    model: st.sequential([tokensIn(), L.embedding({ inputDim: 20, outputDim: 6, maskZero: true }), L.globalMaxPooling1d(), L.dense({ units: 2 })]),
    inputs: () => [tf.tensor2d(TOKENS, undefined, 'int32')],
  }),
};

/** Keras' predictions (every output, flattened) of each `<name>.keras` in `dir` on `<name>.input.json`. */
function kerasPredicts(dir: string, names: string[]): Record<string, number[][]> {
  const out = runPython(`
import json, os, sys
import numpy as np
import keras
d = sys.argv[1]
res = {}
for name in sys.argv[2:]:
    m = keras.models.load_model(os.path.join(d, name + ".keras"))
    xs = [np.array(s["x"], dtype=s["dtype"]).reshape(s["shape"]) for s in json.load(open(os.path.join(d, name + ".input.json")))]
    ys = m.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    ys = ys if isinstance(ys, (list, tuple)) else [ys]
    res[name] = [np.asarray(y).ravel().tolist() for y in ys]
print(json.dumps(res))
`, [dir, ...names]);
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number[][]>;
}

describe('sequence models: strata → Keras', () => {
  it('Keras 3 loads strata .keras files with MultiHeadAttention, LayerNormalization, Conv1D, pooling and Masking and predicts within 1e-5', async () => {
    const ours: Record<string, Float32Array[]> = {};
    let seed = 11;
    for (const [name, make] of Object.entries(models)) {
      const { model, inputs } = make();
      randomize(model, (seed += 100));
      const xs = inputs();
      const y = model.predict(xs.length === 1 ? xs[0]! : xs) as st.tf.Tensor | st.tf.Tensor[];
      const ys = Array.isArray(y) ? y : [y];
      ours[name] = ys.map((t) => t.dataSync() as Float32Array);
      fs.writeFileSync(path.join(root, `${name}.keras`), await st.io.saveKerasModel(model));
      fs.writeFileSync(path.join(root, `${name}.input.json`), JSON.stringify(xs.map((x) => ({ shape: x.shape, dtype: x.dtype, x: Array.from(x.dataSync()) }))));
      tf.dispose([...xs, ...ys]);
      model.dispose();
    }
    const theirs = kerasPredicts(root, Object.keys(models));
    for (const name of Object.keys(models)) {
      expect(theirs[name]!.length, name).toBe(ours[name]!.length);
      ours[name]!.forEach((o, i) => expect(maxAbs(o, theirs[name]![i]!), `${name} output ${i}`).toBeLessThanOrEqual(1e-5));
    }
  });
});

describe('sequence models: Keras → strata', () => {
  it('every model make_seq_files.py writes loads from .keras and .h5 and predicts within 1e-5', async () => {
    const dir = path.join(root, 'from-keras');
    runPython(fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'scripts', 'fixtures', 'make_seq_files.py'), 'utf8'), [dir]);
    interface Arr { shape: number[]; dtype: string; values: number[] }
    const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, { inputs: Arr[]; outputs: Arr[] }>;
    const names = Object.keys(expected).filter((n) => !n.startsWith('_'));
    expect(names.length).toBe(10);
    for (const name of names) {
      for (const ext of ['keras', 'h5']) {
        const m = await st.io.loadKerasModel(new Uint8Array(fs.readFileSync(path.join(dir, `${name}.${ext}`))));
        const e = expected[name]!;
        const xs = e.inputs.map((a) => tf.tensor(a.values, a.shape, a.dtype === 'int32' ? 'int32' : 'float32'));
        const y = m.predict(xs.length === 1 ? xs[0]! : xs) as st.tf.Tensor | st.tf.Tensor[];
        const ys = Array.isArray(y) ? y : [y];
        ys.forEach((t, i) => expect(maxAbs(t.dataSync(), e.outputs[i]!.values), `${name}.${ext} output ${i}`).toBeLessThanOrEqual(1e-5));
        tf.dispose([...xs, ...ys]);
        m.dispose();
      }
    }
  });
});
