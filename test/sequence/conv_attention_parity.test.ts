/**
 * Conv1D, LayerNormalization, the 1-D pooling layers and MultiHeadAttention give Keras'
 * outputs on Keras' weights within 1e-5, masked and unmasked (attention: padding, causal
 * and explicit masks, with and without the attention scores). Fixtures: scripts/fixtures/make_sequence_fixtures.py.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import type { Layer } from '../../src/engine/layer.js';
import { MultiHeadAttention } from '../../src/layers/attention/index.js';
import { Conv1D } from '../../src/layers/conv/conv1d.js';
import { LayerNormalization } from '../../src/layers/norm/layer_normalization.js';
import { AveragePooling1D, MaxPooling1D } from '../../src/layers/pooling/pooling1d.js';
import { GlobalAveragePooling1D, GlobalMaxPooling1D } from '../../src/layers/pooling/global_pooling1d.js';
import { UpSampling1D } from '../../src/layers/reshape/up_sampling1d.js';
import { expectClose, loadFixture, setKerasWeights, toTensor, type LayerCase } from './fixtures.js';

const CLASSES: Record<string, new (o: never) => Layer> = {
  Conv1D, LayerNormalization, MaxPooling1D, AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, UpSampling1D, MultiHeadAttention,
};
const conv = loadFixture('conv_norm.json').cases;
const attention = loadFixture('attention.json').cases;

function run(c: LayerCase): void {
  const n0 = tf.memory().numTensors;
  const layer = new CLASSES[c.className]!(c.options as never);
  const xs = c.inputs ? c.inputs.map((a) => toTensor(a)) : [toTensor(c.x)];
  const masks: (tf.Tensor | null)[] = (c.masks ?? [c.mask]).map((m) => (m ? tf.tensor2d(m, undefined, 'bool') : null));
  const ins = c.inputs ? xs : xs[0]!;
  layer.ensureBuilt(Array.isArray(ins) ? ins.map((t) => [null, ...t.shape.slice(1)]) : [null, ...xs[0]!.shape.slice(1)]);
  setKerasWeights(layer, c.weights);
  const anyMask = masks.some((m) => m);
  const out = layer.apply(ins, { mask: anyMask ? (c.masks ? masks : masks[0]) : null }) as tf.Tensor | tf.Tensor[];
  const outs = Array.isArray(out) ? out : [out];
  // MultiHeadAttention cases hold [output, scores] and, where Keras can compute it, the output
  // without scores (its fused path averages all values for a query with nothing to attend to,
  // where the masked softmax of the scores path gives zeros); run it again with scores returned.
  if (c.className === 'MultiHeadAttention') {
    expectClose(outs[0]!, c.outputs[2] ?? c.outputs[0]!, 1e-5, `${c.name} output`);
    const withScores = new MultiHeadAttention({ ...(c.options as object), returnAttentionScores: true } as never);
    withScores.ensureBuilt((ins as tf.Tensor[]).map((t) => [null, ...t.shape.slice(1)]));
    setKerasWeights(withScores, c.weights);
    const both = withScores.apply(ins, { mask: anyMask ? masks : null }) as tf.Tensor[];
    expectClose(both[0]!, c.outputs[0]!, 1e-5, `${c.name} output (with scores)`);
    expectClose(both[1]!, c.outputs[1]!, 1e-5, `${c.name} scores`);
    tf.dispose(both);
    withScores.dispose();
  } else {
    outs.forEach((o, i) => expectClose(o, c.outputs[i]!, 1e-5, `${c.name} output ${i}`));
  }
  tf.dispose([...outs, ...xs, ...masks.filter((m): m is tf.Tensor => m !== null)]);
  layer.dispose();
  expect(tf.memory().numTensors).toBe(n0);
}

describe.each(['cpu', 'wasm'])('Conv1D, LayerNormalization, pooling and MultiHeadAttention equal Keras (%s)', (backend) => {
  beforeAll(async () => {
    await setBackend(backend as 'cpu');
  });
  it('covers causal and dilated convolutions, masked pooling and masked attention', () => {
    expect(conv.some((c) => c.name.includes('causal') && c.name.includes('_d2'))).toBe(true);
    expect(conv.some((c) => c.mask)).toBe(true);
    expect(attention.filter((c) => c.masks?.some((m) => m)).length).toBeGreaterThanOrEqual(2);
  });
  it.each(conv.map((c) => [c.name, c] as [string, LayerCase]))('%s', (_n, c) => run(c));
  it.each(attention.map((c) => [c.name, c] as [string, LayerCase]))('%s', (_n, c) => run(c));
});
