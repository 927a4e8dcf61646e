import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { oraclePython } from './python.js';

const { tf } = st;
const dir = mkdtempSync(join(tmpdir(), 'strata-shap-'));
beforeAll(async () => {
  await st.setBackend('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.each([1, 2, 3])('kernelShap matches shap.KernelExplainer run now (seed %i)', async (seed) => {
  const out = join(dir, `shap_${seed}.json`);
  execFileSync(oraclePython(), [new URL('../../scripts/fixtures/make_shap_fixture.py', import.meta.url).pathname, out, String(seed)]);
  const fx = JSON.parse(readFileSync(out, 'utf8')) as { w1: number[][]; b1: number[]; w2: number[][]; b2: number[]; background: number[][]; x: number[][]; values: number[][][] };
  const [w1, b1, w2, b2] = [tf.tensor2d(fx.w1), tf.tensor1d(fx.b1), tf.tensor2d(fx.w2), tf.tensor1d(fx.b2)];
  const f = (x: st.tf.Tensor) => tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x, w1), b1)), w2), b2);
  const x = tf.tensor2d(fx.x);
  const background = tf.tensor2d(fx.background);
  const res = await st.explain.kernelShap(f, x, { background });
  res.forEach((r, i) => r.values.forEach((row, o) => row.forEach((v, g) => expect(Math.abs(v - fx.values[i]![o]![g]!)).toBeLessThan(1e-4))));
  tf.dispose([w1, b1, w2, b2, x, background]);
});
