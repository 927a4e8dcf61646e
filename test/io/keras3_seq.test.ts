/**
 * Attention, convolution, normalization and masking models in real Keras 3 files
 * (scripts/fixtures/make_seq_files.py): a transformer encoder block of plain layers
 * (Embedding with mask_zero, self-attention, residual Add, LayerNormalization, feed-forward
 * Dense pair, masked mean), self-attention returning every position, cross-attention with a
 * key of its own and output_shape, an attention_mask input, causal attention returning its
 * scores over a causal Conv1D, Conv1D / pooling / UpSampling1D / LayerNormalization /
 * RepeatVector, Masking (in a Sequential and in a functional model), and Keras 3's mask rules
 * for Add and Concatenate (masks ORed, dropped by an unmasked input, joined along time). Each loads from
 * `.keras` and `.h5` and predicts as Keras did; strata writes them back with Keras' own weight
 * layout and call form and reads its files back bit for bit; the weights alone load through
 * `loadKerasWeights` from either layout; and what strata cannot compute is refused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { h5Layout, maxAbs, memory, weightsAloneSuites } from './helpers.js';

const { tf } = st;
const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'keras3_seq');
interface Arr { shape: number[]; dtype: string; values: number[] }
interface Case { inputs: Arr[]; outputs: Arr[] }
const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, Case>;
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(DIR, name)));
const MODELS = ['transformer_encoder', 'self_attention', 'cross_attention', 'attention_mask', 'causal_scores', 'conv_pool', 'masking', 'masking_functional', 'embed_global_max', 'merge_masks'];
type Net = st.Sequential | st.Model;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function inputsOf(name: string): st.tf.Tensor[] {
  return expected[name]!.inputs.map((a) => tf.tensor(a.values, a.shape, a.dtype === 'int32' ? 'int32' : a.dtype === 'bool' ? 'bool' : 'float32'));
}

/** The model's predictions on the fixture's inputs, and their worst difference from Keras'. */
function predictErr(m: Net, name: string): { values: Float32Array[]; err: number } {
  const xs = inputsOf(name);
  const y = m.predict(xs.length === 1 ? xs[0]! : xs) as st.tf.Tensor | st.tf.Tensor[];
  const ys = Array.isArray(y) ? y : [y];
  const want = expected[name]!.outputs;
  expect(ys.map((t) => t.shape)).toEqual(want.map((o) => o.shape));
  const values = ys.map((t) => t.dataSync() as Float32Array);
  const err = Math.max(...values.map((v, i) => maxAbs(v, want[i]!.values)));
  tf.dispose([...xs, ...ys]);
  return { values, err };
}

describe('sequence models written by Keras 3', () => {
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

  it('the transformer block matches only with the padding mask carried through attention, Add, LayerNormalization, Dense and pooling', async () => {
    const m = await st.io.loadKerasModel(fixture('transformer_encoder.keras'));
    expect(expected.transformer_encoder!.inputs[0]!.values.filter((v) => v === 0).length).toBeGreaterThan(6);
    const [x] = inputsOf('transformer_encoder');
    const l = (n: string) => m.getLayer(n);
    // Each layer applied alone carries no mask: the padded tokens then count everywhere.
    const unmasked = tf.tidy(() => {
      const call = (n: string, t: st.tf.Tensor | st.tf.Tensor[]) => l(n).apply(t) as st.tf.Tensor;
      const e = call('embedding', x!);
      const h = call('ln_1', call('add_1', [e, call('mha', [e, e])]));
      const h2 = call('ln_2', call('add_2', [h, call('ffn_2', call('ffn_1', h))]));
      return call('head', call('pool', h2));
    });
    expect(maxAbs(unmasked.dataSync(), expected.transformer_encoder!.outputs[0]!.values)).toBeGreaterThan(1e-3);
    tf.dispose([x!, unmasked]);
    m.dispose();
  });

  it('self-attention: a padded query attends to nothing and gets the mean of all values, as in Keras', async () => {
    const m = await st.io.loadKerasModel(fixture('self_attention.keras'));
    const { values } = predictErr(m, 'self_attention');
    const tokens = expected.self_attention!.inputs[0]!.values;
    const d = 8;
    // Sample 1 has 4 real tokens: its steps 4 and 5 are padding, and come out the same.
    expect(tokens.slice(6, 12).map((v) => v !== 0)).toEqual([true, true, true, true, false, false]);
    const row = (b: number, t: number) => Array.from(values[0]!.slice((b * 6 + t) * d, (b * 6 + t + 1) * d));
    expect(maxAbs(row(1, 4), row(1, 5))).toBeLessThan(1e-6);
    const bias = m.weights.find((w) => w.name.endsWith('attention_output/bias'))!.read().dataSync();
    expect(maxAbs(row(1, 4), bias)).toBeGreaterThan(1e-3);
    m.dispose();
  });
});

describe('sequence models saved by strata as .keras', () => {
  for (const name of MODELS) {
    it(`${name}: the weights file has Keras' groups and datasets, and strata reads it back bit for bit`, async () => {
      const before = tf.memory().numTensors;
      const keras = fixture(`${name}.keras`);
      const m = await st.io.loadKerasModel(keras);
      const bytes = await st.io.saveKerasModel(m);
      expect(await h5Layout(unzipSync(bytes)['model.weights.h5']!, true)).toEqual(await h5Layout(unzipSync(keras)['model.weights.h5']!, true));
      const back = await st.io.loadKerasModel(bytes);
      expect(back.weights.map((w) => w.shape)).toEqual(m.weights.map((w) => w.shape));
      back.weights.forEach((w, i) => expect(Array.from(w.read().dataSync())).toEqual(Array.from(m.weights[i]!.read().dataSync())));
      expect(predictErr(back, name).values).toEqual(predictErr(m, name).values);
      m.dispose();
      back.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it("MultiHeadAttention is written in Keras' call form: (query, value[, key]) and call keywords, not config keys", async () => {
    const configOf = async (name: string) => {
      const m = await st.io.loadKerasModel(fixture(`${name}.keras`));
      const config = JSON.parse(new TextDecoder().decode(unzipSync(await st.io.saveKerasModel(m))['config.json']));
      m.dispose();
      return config.config.layers.find((l: { class_name: string }) => l.class_name === 'MultiHeadAttention');
    };
    const history = (t: { config: { keras_history: unknown } }) => t.config.keras_history;
    const causal = await configOf('causal_scores');
    expect(causal.inbound_nodes[0].kwargs).toEqual({ use_causal_mask: true, return_attention_scores: true });
    expect(causal.inbound_nodes[0].args.map(history)).toEqual([['conv', 0, 0], ['conv', 0, 0]]);
    expect(causal.config).not.toHaveProperty('use_causal_mask');
    expect(causal.config).not.toHaveProperty('return_attention_scores');
    const cross = await configOf('cross_attention');
    expect(cross.inbound_nodes[0].args.map(history)).toEqual([['q_embedding', 0, 0], ['v_embedding', 0, 0], ['key_proj', 0, 0]]);
    expect(cross.config.output_shape).toEqual([5]);
    const allowed = await configOf('attention_mask');
    expect(allowed.inbound_nodes[0].args.map(history)).toEqual([['embedding', 0, 0], ['embedding', 0, 0]]);
    expect(history(allowed.inbound_nodes[0].kwargs.attention_mask)).toEqual(['allowed', 0, 0]);
  });

  it('a model built in strata round-trips: attention with a key and a mask input, causal attention with scores, Conv1D, pooling, LayerNormalization, Masking', async () => {
    const L = st.layers;
    const q = L.input({ shape: [5], dtype: 'int32' });
    const f = L.input({ shape: [4, 3] });
    const allowed = L.input({ shape: [5, 4] });
    const e = L.embedding({ inputDim: 12, outputDim: 6, maskZero: true }).apply(q) as st.SymbolicTensor;
    const v = L.conv1d({ filters: 6, kernelSize: 2, padding: 'causal' }).apply(L.masking().apply(f) as st.SymbolicTensor) as st.SymbolicTensor;
    const k = L.dense({ units: 4 }).apply(v) as st.SymbolicTensor;
    let h = L.multiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 2, outputShape: 6 }).apply([e, v, k, allowed]) as st.SymbolicTensor;
    h = L.layerNormalization().apply(L.add().apply([e, h]) as st.SymbolicTensor) as st.SymbolicTensor;
    const [o, scores] = L.multiHeadAttention({ numHeads: 1, keyDim: 4, useCausalMask: true, returnAttentionScores: true }).apply([h, h]) as st.SymbolicTensor[];
    const pooled = L.globalAveragePooling1d().apply(L.upSampling1d({ size: 2 }).apply(L.maxPooling1d({ poolSize: 2, padding: 'same' }).apply(o!) as st.SymbolicTensor) as st.SymbolicTensor) as st.SymbolicTensor;
    const m = st.model({ inputs: [q, f, allowed], outputs: [pooled, scores!] });
    const xs = [
      tf.tensor2d([[3, 1, 4, 0, 0], [5, 9, 2, 6, 5]], [2, 5], 'int32'),
      tf.tensor3d([[[1, 2, 3], [0, 1, 0], [0, 0, 0], [0, 0, 0]], [[1, 1, 1], [2, 2, 2], [3, 3, 3], [0, 0, 0]]]),
      tf.tensor3d(Array.from({ length: 2 }, (_, b) => Array.from({ length: 5 }, (_, i) => [1, (i + b) % 2, 1, i % 3 === 0 ? 0 : 1]))),
    ];
    const back = await st.io.loadKerasModel(await st.io.saveKerasModel(m));
    const a = m.predict(xs) as st.tf.Tensor[];
    const b = back.predict(xs) as st.tf.Tensor[];
    a.forEach((t, i) => expect(Array.from(b[i]!.dataSync())).toEqual(Array.from(t.dataSync())));
    tf.dispose([...xs, ...a, ...b]);
    m.dispose();
    back.dispose();
  });
});

describe('layer names Keras gives its own mask operations', () => {
  it("a Concatenate of masked tensors named 'concatenate' is written as 'concatenate_layer' (Keras names the operation joining the masks so); unmasked, names stay", async () => {
    const L = st.layers;
    const build = (maskZero: boolean) => {
      const a = L.input({ shape: [4], dtype: 'int32' });
      const b = L.input({ shape: [4], dtype: 'int32' });
      const ea = L.embedding({ inputDim: 9, outputDim: 2, maskZero }).apply(a) as st.SymbolicTensor;
      const eb = L.embedding({ inputDim: 9, outputDim: 2, maskZero }).apply(b) as st.SymbolicTensor;
      const joined = L.concatenate().apply([ea, eb]) as st.SymbolicTensor;
      const h = L.concatenate().apply([L.lstm({ units: 2 }).apply(joined) as st.SymbolicTensor, L.lstm({ units: 2 }).apply(eb) as st.SymbolicTensor]) as st.SymbolicTensor;
      return st.model({ inputs: [a, b], outputs: h });
    };
    const names = async (m: st.Model) => {
      const config = JSON.parse(new TextDecoder().decode(unzipSync(await st.io.saveKerasModel(m))['config.json']));
      return (config.config.layers as Entry[]).filter((l) => l.class_name === 'Concatenate').map((l) => [l.name, l.config.name]);
    };
    const masked = build(true);
    expect(await names(masked)).toEqual([['concatenate_layer', 'concatenate_layer'], ['concatenate_1_layer', 'concatenate_1_layer']]);
    const xs = [tf.tensor2d([[1, 2, 0, 0], [3, 0, 0, 0]], undefined, 'int32'), tf.tensor2d([[4, 0, 0, 0], [5, 6, 7, 0]], undefined, 'int32')];
    const back = await st.io.loadKerasModel(await st.io.saveKerasModel(masked));
    const [y1, y2] = [masked.predict(xs), back.predict(xs)] as st.tf.Tensor[];
    expect(Array.from(y2!.dataSync())).toEqual(Array.from(y1!.dataSync()));
    const plain = build(false);
    expect(await names(plain)).toEqual([['concatenate', 'concatenate'], ['concatenate_1', 'concatenate_1']]);
    tf.dispose([...xs, y1!, y2!]);
    [masked, back, plain].forEach((m) => m.dispose());
  });
});

describe("sequence models from Keras in strata's own format", () => {
  for (const name of ['transformer_encoder', 'causal_scores', 'attention_mask']) {
    it(`${name}: saves to model.json artifacts and loads back with the same predictions`, async () => {
      const m = await st.io.loadKerasModel(fixture(`${name}.keras`));
      const mem = memory();
      await st.saveModel(m, mem.save);
      const back = await st.loadModel(mem.load());
      expect(predictErr(back, name).values).toEqual(predictErr(m, name).values);
      m.dispose();
      back.dispose();
    });
  }
});

weightsAloneSuites('attention weights alone (loadKerasWeights)', ['transformer_encoder', 'cross_attention', 'causal_scores'], {
  load: (name) => st.io.loadKerasModel(fixture(`${name}.keras`)),
  keras3Weights: (name) => unzipSync(fixture(`${name}.keras`))['model.weights.h5']!,
  legacy: (name) => fixture(`${name}.h5`),
  loadWeights: (m, bytes) => st.io.loadKerasWeights(m, bytes),
  err: (m, name) => predictErr(m, name).err,
});

type Entry = Record<string, any>;

/** A fixture's `.keras` bytes with its config's layer list changed by `edit`. */
function patched(name: string, edit: (layers: Entry[]) => void): Uint8Array {
  const files = unzipSync(fixture(`${name}.keras`));
  const config = JSON.parse(new TextDecoder().decode(files['config.json']));
  edit(config.config.layers);
  files['config.json'] = strToU8(JSON.stringify(config));
  return zipSync(files);
}

const named = (layers: Entry[], n: string) => layers.find((l) => l.name === n)!;

describe('Keras configs and calls of attention, normalization and masking', () => {
  it('accepts Keras-only keys at no-op values (attention_axes [1], use_gate false, rms_scaling false, data_format channels_last)', async () => {
    const bytes = patched('causal_scores', (ls) => {
      Object.assign(named(ls, 'mha').config, { attention_axes: [1], use_gate: false, sliding_window: null, kernel_constraint: null });
      Object.assign(named(ls, 'ln').config, { rms_scaling: false });
      Object.assign(named(ls, 'conv').config, { data_format: 'channels_last' });
      named(ls, 'mha').inbound_nodes[0].kwargs.training = false;
    });
    const m = await st.io.loadKerasModel(bytes);
    expect(predictErr(m, 'causal_scores').err).toBeLessThanOrEqual(1e-5);
    m.dispose();
  });

  const refused: [string, string, (layers: Entry[]) => void, RegExp][] = [
    ['a gated MultiHeadAttention', 'causal_scores',
      (ls) => { named(ls, 'mha').config.use_gate = true; },
      /layer 'mha' \(MultiHeadAttention\): config key 'use_gate' = true would change the layer's computation/],
    ['attention over other axes', 'causal_scores',
      (ls) => { named(ls, 'mha').config.attention_axes = [2]; },
      /layer 'mha' \(MultiHeadAttention\): config key 'attention_axes' = \[2\] would change the layer's computation/],
    ['a sliding window', 'causal_scores',
      (ls) => { named(ls, 'mha').config.sliding_window = 2; },
      /layer 'mha' \(MultiHeadAttention\): config key\(s\) 'slidingWindow' are not supported/],
    ['an output_shape of several axes', 'cross_attention',
      (ls) => { named(ls, 'cross').config.output_shape = [5, 2]; },
      /layer 'cross' \(MultiHeadAttention\): bad config: .*'outputShape' must be a positive integer/],
    ['an explicit query_mask', 'transformer_encoder',
      (ls) => { named(ls, 'mha').inbound_nodes[0].kwargs.query_mask = named(ls, 'mha').inbound_nodes[0].args[0]; },
      /layer 'mha' inbound node 0: MultiHeadAttention keyword argument 'query_mask' = .* is not supported \(strata takes the padding masks of query, value and key from the tensors/],
    ['a call in training mode', 'causal_scores',
      (ls) => { named(ls, 'mha').inbound_nodes[0].kwargs.training = true; },
      /layer 'mha' inbound node 0: MultiHeadAttention keyword argument 'training' = true is not supported/],
    ['a call with one tensor', 'transformer_encoder',
      (ls) => { named(ls, 'mha').inbound_nodes[0].args.pop(); },
      /layer 'mha' inbound node 0: MultiHeadAttention is called with \(query, value\[, key\]\); got 1 positional argument/],
    ['a shared layer called causally in one place only', 'transformer_encoder',
      (ls) => { const n = named(ls, 'mha').inbound_nodes; n.push({ ...n[0], kwargs: { use_causal_mask: true } }); },
      /layer 'mha' is called with different use_causal_mask \/ return_attention_scores in different places; strata sets them once per layer/],
    ['LayerNormalization with rms_scaling', 'masking',
      (ls) => { ls.find((l) => l.class_name === 'LayerNormalization')!.config.rms_scaling = true; },
      /\(LayerNormalization\): config key 'rms_scaling' = true would change the layer's computation/],
    ['channels_first data', 'conv_pool',
      (ls) => { ls.find((l) => l.class_name === 'Conv1D')!.config.data_format = 'channels_first'; },
      /\(Conv1D\): config key 'data_format' = "channelsFirst" would change the layer's computation/],
    ['a merged mask strata would not carry (the embedding does not mask)', 'transformer_encoder',
      (ls) => { named(ls, 'embedding').config.mask_zero = false; },
      /layer 'pool' is given the mask 'logical_or_1' explicitly, which is not the padding mask its input carries in strata/],
    ['a mask Keras drops where strata carries one', 'transformer_encoder',
      (ls) => { named(ls, 'pool').inbound_nodes[0].kwargs.mask = null; },
      /layer 'pool' is given no mask \(mask=None\) by Keras, but its input carries a padding mask in strata/],
    ['an any() over another axis', 'masking_functional',
      (ls) => { ls.find((l) => l.class_name === 'Any')!.config.axis = 1; },
      /operation 'any_\w*' \(Any\): strata reads it only as any\(\.\.\., axis=-1\), as Masking and Concatenate make masks; got axis 1/],
    ['a mask operation used as data', 'transformer_encoder',
      (ls) => { named(ls, 'head').inbound_nodes[0].args[0].config.keras_history = ['logical_or', 0, 0]; },
      /layer 'head' takes 'logical_or' \(LogicalOr\) as an input; strata reads that operation only as a padding mask/],
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
