import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;
const dir = mkdtempSync(join(tmpdir(), 'strata-save-'));

beforeAll(async () => {
  await st.setBackend('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('model.save and st.loadModel (the design contract)', () => {
  it('net.save(file://) then st.loadModel gives bit-identical predictions', async () => {
    const net = st.sequential([
      st.layers.input({ shape: [4] }),
      st.layers.dense({ units: 3, activation: 'relu' }),
      st.layers.dense({ units: 2, activation: 'softmax' }),
    ]);
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 3);
    const p1 = net.predict(x) as st.tf.Tensor;
    await net.save(`file://${join(dir, 'm')}`);
    const again = await st.loadModel(`file://${join(dir, 'm', 'model.json')}`);
    const p2 = again.predict(x) as st.tf.Tensor;
    expect(Array.from(p2.dataSync())).toEqual(Array.from(p1.dataSync()));
    tf.dispose([x, p1, p2]);
    net.dispose();
    again.dispose();
  });

  it('a functional model saves through tfjs-core io routers too', async () => {
    const inp = st.layers.input({ shape: [3] });
    const out = st.layers.dense({ units: 2 }).apply(inp) as st.SymbolicTensor;
    const m = st.model({ inputs: inp, outputs: out });
    const res = await m.save(`file://${join(dir, 'f')}`);
    expect(res.errors ?? []).toEqual([]);
    const handlers = tf.io.getLoadHandlers(`file://${join(dir, 'f', 'model.json')}`);
    expect(handlers).toHaveLength(1);
    m.dispose();
  });
});
