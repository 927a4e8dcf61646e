import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;
let root = '';

beforeAll(async () => {
  await st.setBackend('cpu');
  root = mkdtempSync(join(tmpdir(), 'strata-runs-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function train(lr: number, name?: string) {
  const x = tf.randomUniform([32, 2], -1, 1, 'float32', 5);
  const y = tf.tidy(() => tf.sum(x, 1, true));
  const net = st.sequential([st.layers.dense({ units: 1, inputShape: [2], kernelInitializer: st.initializers.zeros() })]);
  net.compile({ optimizer: st.optimizers.sgd({ learningRate: lr }), loss: 'mse' });
  const log = st.callbacks.runLog({ dir: root, ...(name ? { name } : {}), params: { lr } });
  const h = await net.fit(x, y, { epochs: 3, batchSize: 8, validationSplit: 0.25, verbose: 0, callbacks: [log] });
  tf.dispose([x, y]);
  return { net, h, log };
}

describe('callbacks.runLog and runs.compare', () => {
  it('writes params.json, metrics.csv and the model, and compares runs', async () => {
    const a = await train(0.1, 'fast');
    const b = await train(0.001);
    const c = await train(0.001);
    expect(b.log.runDir).not.toBe(c.log.runDir); // default names never collide
    const dir = a.log.runDir!;
    const rec = JSON.parse(readFileSync(join(dir, 'params.json'), 'utf8'));
    expect(rec).toMatchObject({ name: 'fast', params: { lr: 0.1 }, epochs: 3, training: { epochs: 3, batchSize: 8, optimizer: 'SGD' } });
    expect(rec.final.val_loss).toBe(a.h.history.val_loss![2]);
    const csv = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('epoch,loss,val_loss');
    expect(csv.slice(1).map((l) => Number(l.split(',')[2]))).toEqual(a.h.history.val_loss);
    expect(existsSync(join(dir, 'model', 'model.json'))).toBe(true);
    const again = await st.loadModel(`file://${join(dir, 'model', 'model.json')}`);
    const probe = tf.tensor2d([[0.5, -0.25]]);
    const p1 = a.net.predict(probe) as st.tf.Tensor;
    const p2 = again.predict(probe) as st.tf.Tensor;
    expect(Array.from(await p2.data())).toEqual(Array.from(await p1.data()));
    tf.dispose([probe, p1, p2]);
    again.dispose();

    const table = st.runs.compare([root], { sortBy: 'val_loss', print: false }).split('\n');
    expect(table[0]).toMatch(/^run\s+lr\s+epochs\s+loss\s+best loss\s+val_loss\s+best val_loss$/);
    expect(table).toHaveLength(2 + 3);
    expect(table[2]).toMatch(/^fast\s+0\.1000\s+3/); // lr 0.1 converges fastest: lowest val_loss first
    expect(() => st.runs.compare([join(root, 'nope')], { print: false })).toThrow(/does not exist/);
    for (const r of [a, b, c]) r.net.dispose();
  });
});
