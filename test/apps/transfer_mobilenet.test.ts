import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { addHead, featureExtractor, fineTune } from '../../src/apps/transfer/index.js';
import { modelFromArtifacts } from '../../src/io/index.js';
import { mobileNetV2Artifacts } from '../../examples/_shared/mobilenet_v2.js';
import { changed, snapshot } from './transfer_fixtures.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

/** The real pretrained MobileNetV2 base (to `out_relu`) on small 32×32 inputs, so each step is cheap. */
async function backbone(): Promise<st.Model> {
  const m = await modelFromArtifacts(mobileNetV2Artifacts({ inputSize: 32 }), { compile: false });
  if (!(m instanceof st.Model)) throw new Error('expected a functional model');
  return m;
}

describe('transfer learning on the pretrained MobileNetV2 from nsfwjs', () => {
  it('a frozen backbone under a new head: only the head trains, BatchNorm statistics stay put', async () => {
    const base = await backbone();
    expect(base.outputShapes).toEqual([[null, 1, 1, 1280]]);
    const bns = base.layers.filter((l) => l.className === 'BatchNormalization');
    expect(bns.length).toBe(52);
    const net = addHead(base, { units: 3, dropout: 0.2 });
    const x = tf.randomUniform([8, 32, 32, 3], 0, 1, 'float32', 1);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32');
    net.compile({ optimizer: st.optimizers.adam({ learningRate: 1e-2 }), loss: 'sparseCategoricalCrossentropy' });
    const before = snapshot(net);
    await net.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    expect(changed(before, snapshot(net)).sort()).toEqual(['head_output/bias', 'head_output/kernel']);
    const entries = net.optimizer!.getWeights();
    expect(entries.filter((e) => e.variable).map((e) => e.variable!.shape)).toEqual([[1280, 3], [1280, 3], [3], [3]]);
    tf.dispose(entries.map((e) => e.value));
    tf.dispose([x, y]);
    net.dispose();
  }, 180_000);

  it('two-phase fineTune unfreezes the top block only, keeping its BatchNorm frozen', async () => {
    const base = await backbone();
    const net = addHead(base, { units: 2 });
    const x = tf.randomUniform([4, 32, 32, 3], 0, 1, 'float32', 2);
    const y = tf.tensor1d([0, 1, 0, 1], 'int32');
    const start = snapshot(net);
    const before = tf.memory().numTensors;
    const result = await fineTune(net, x, y, {
      base, loss: 'sparseCategoricalCrossentropy', headEpochs: 1, fineTuneEpochs: 1, batchSize: 4,
      unfreeze: { from: 'block_16_expand' }, verbose: 0,
    });
    expect(result.fineTune!.epoch).toEqual([1]);
    const moved = new Set(changed(start, snapshot(net)).map((n) => n.split('/')[0]));
    expect([...moved].sort()).toEqual(['Conv_1', 'block_16_depthwise', 'block_16_expand', 'block_16_project', 'head_output']);
    // What stays allocated: Adam's two slots per trained weight, and the model's metric state.
    const trained = net.trainableWeights.length;
    const entries = net.optimizer!.getWeights();
    expect(entries.length).toBe(1 + 2 * trained);
    tf.dispose(entries.map((e) => e.value));
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(2 * trained + 4);
    tf.dispose([x, y]);
    net.dispose();
  }, 180_000);

  it('cuts the backbone at an inner block as a feature extractor', async () => {
    const base = await backbone();
    const cut = featureExtractor(base, 'block_13_expand_relu');
    expect(cut.outputShapes).toEqual([[null, 2, 2, 576]]);
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 3);
    const full = base.predict(x) as st.tf.Tensor;
    const part = cut.predict(x) as st.tf.Tensor;
    expect(part.shape).toEqual([2, 2, 2, 576]);
    expect(tf.min(part).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(part).dataSync()[0]).toBeLessThanOrEqual(6); // ReLU6
    tf.dispose([x, full, part]);
    base.dispose();
  }, 180_000);
});
