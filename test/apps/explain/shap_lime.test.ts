import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../../src/index.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

const owned: st.tf.Tensor[] = [];
afterEach(() => tf.dispose(owned.splice(0)));
const keep = <T extends st.tf.Tensor>(t: T): T => (owned.push(t), t);

interface ShapFixture {
  w1: number[][]; b1: number[]; w2: number[][]; b2: number[];
  background: number[][]; x: number[][];
  expectedValue: number[]; fx: number[][]; values: number[][][];
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/explain/shap_kernel.json', import.meta.url), 'utf8')) as ShapFixture;

/** The fixture's tanh MLP as a tensor function. */
function mlp(): (x: st.tf.Tensor) => st.tf.Tensor {
  const w1 = keep(tf.tensor2d(fixture.w1));
  const b1 = keep(tf.tensor1d(fixture.b1));
  const w2 = keep(tf.tensor2d(fixture.w2));
  const b2 = keep(tf.tensor1d(fixture.b2));
  return (x) => tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x, w1), b1)), w2), b2);
}

describe('Kernel SHAP', () => {
  it('the kernel-weighted fit over all coalitions equals enumerated exact Shapley values within 1e-6', async () => {
    const f = mlp();
    const x = keep(tf.tensor2d(fixture.x));
    const background = keep(tf.tensor2d(fixture.background));
    const before = tf.memory().numTensors;
    const exact = await st.explain.kernelShap(f, x, { background, method: 'exact' });
    const kernel = await st.explain.kernelShap(f, x, { background, method: 'kernel', nSamples: 254 });
    expect(tf.memory().numTensors).toBe(before);
    expect(exact[0]!.exact).toBe(true);
    expect(kernel[0]!.exact).toBe(false);
    expect(kernel[0]!.evaluations).toBe(256);
    for (let i = 0; i < 3; i++) {
      for (let o = 0; o < 2; o++) {
        exact[i]!.values[o]!.forEach((v, g) => expect(Math.abs(v - kernel[i]!.values[o]![g]!)).toBeLessThan(1e-6));
        // Efficiency: the values add up to f(x) − E[f(background)].
        const sum = exact[i]!.values[o]!.reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(exact[i]!.fx[o]! - exact[i]!.expectedValue[o]!, 5);
      }
    }
  });

  it('agrees with the shap package KernelExplainer on the same model and background', async () => {
    const f = mlp();
    const res = await st.explain.kernelShap(f, keep(tf.tensor2d(fixture.x)), { background: keep(tf.tensor2d(fixture.background)) });
    res.forEach((r, i) => {
      expect(r.exact).toBe(true);
      r.expectedValue.forEach((e, o) => expect(e).toBeCloseTo(fixture.expectedValue[o]!, 4));
      for (let o = 0; o < 2; o++) r.values[o]!.forEach((v, g) => expect(Math.abs(v - fixture.values[i]![o]![g]!)).toBeLessThan(1e-4));
    });
  });

  it('with a budget below full enumeration the sampled fit stays close and keeps efficiency', async () => {
    const f = mlp();
    const x = keep(tf.tensor2d([fixture.x[0]!]));
    const background = keep(tf.tensor2d(fixture.background));
    const [exact] = await st.explain.kernelShap(f, x, { background, method: 'exact' });
    const [a] = await st.explain.kernelShap(f, x, { background, method: 'kernel', nSamples: 120, seed: 3 });
    const [b] = await st.explain.kernelShap(f, x, { background, method: 'kernel', nSamples: 120, seed: 3 });
    expect(a!.values).toEqual(b!.values);
    const sum = a!.values[0]!.reduce((s, v) => s + v, 0);
    expect(sum).toBeCloseTo(a!.fx[0]! - a!.expectedValue[0]!, 6);
    const scale = Math.max(...exact!.values[0]!.map(Math.abs));
    a!.values[0]!.forEach((v, g) => expect(Math.abs(v - exact!.values[0]![g]!)).toBeLessThan(0.1 * scale));
  });

  it('feature groups make one player per group; bad groups are rejected', async () => {
    const f = mlp();
    const x = keep(tf.tensor2d([fixture.x[1]!]));
    const background = keep(tf.tensor2d(fixture.background));
    const groups = [0, 0, 1, 1, 2, 2, 3, 3];
    const [r] = await st.explain.kernelShap(f, x, { background, groups });
    expect(r!.values[0]!.length).toBe(4);
    expect(r!.values[0]!.reduce((s, v) => s + v, 0)).toBeCloseTo(r!.fx[0]! - r!.expectedValue[0]!, 5);
    await expect(st.explain.kernelShap(f, x, { background, groups: [0, 0, 2, 2, 2, 2, 2, 2] })).rejects.toThrow(/1 is not used/);
    await expect(st.explain.kernelShap(f, x, { background: keep(tf.zeros([3, 5])) })).rejects.toThrow(st.ShapeError);
  });
});

describe('LIME', () => {
  it('recovers the coefficients of a linear model within 5%', async () => {
    const w = [3, -1.5, 0.25, 2, -4];
    const wt = keep(tf.tensor2d(w.map((v) => [v])));
    const f = (x: st.tf.Tensor) => tf.add(tf.matMul(x, wt), 0.5);
    const background = keep(tf.randomNormal([200, 5], 0, 2, 'float32', 4));
    const x = keep(tf.tensor2d([[0.3, -1, 2, 0.5, 1]]));
    const before = tf.memory().numTensors;
    const [e] = await st.explain.lime(f, x, { background, nSamples: 2000, seed: 9 });
    expect(tf.memory().numTensors).toBe(before);
    e!.coefficients.forEach((c, j) => expect(Math.abs(c - w[j]!)).toBeLessThan(0.05 * Math.abs(w[j]!)));
    expect(e!.score).toBeGreaterThan(0.99);
  });

  it('on grouped inputs the segment that drives the output gets the largest weight', async () => {
    // Output = mean of the top-left 4x4 block of an 8x8 image; four 4x4 grid segments.
    const f = (x: st.tf.Tensor) => tf.mean(tf.slice(x, [0, 0, 0, 0], [-1, 4, 4, 1]), [1, 2, 3]);
    const x = keep(tf.fill([1, 8, 8, 1], 1));
    const segmentation = st.explain.gridSegments(8, 8, 4);
    const [e] = await st.explain.lime(f, x, { segmentation, hideValue: 0, nSamples: 300, seed: 2 });
    expect(e!.coefficients.length).toBe(4);
    const top = e!.coefficients.indexOf(Math.max(...e!.coefficients));
    expect(top).toBe(segmentation.labels[0]);
    expect(e!.coefficients[top]!).toBeGreaterThan(0.8);
  });

  it('SLIC splits an image into about the asked number of coherent segments', () => {
    // Left half dark, right half bright: no segment should straddle the edge.
    const h = 16;
    const w = 16;
    const img = Float32Array.from({ length: h * w }, (_, p) => ((p % w) < 8 ? 0.1 : 0.9));
    const seg = st.explain.slic(img, h, w, 1, { nSegments: 8, compactness: 5 });
    expect(seg.count).toBeGreaterThanOrEqual(4);
    expect(seg.count).toBeLessThanOrEqual(12);
    const side = new Map<number, Set<boolean>>();
    seg.labels.forEach((l, p) => {
      if (!side.has(l)) side.set(l, new Set());
      side.get(l)!.add((p % w) < 8);
    });
    for (const s of side.values()) expect(s.size).toBe(1);
  });
});

describe('adversarial examples', () => {
  it('FGSM moves every value by ε (within the clip range) in the direction that raises the loss', () => {
    const net = st.sequential([
      st.layers.input({ shape: [4] }),
      st.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: 1 }) }),
    ]);
    const x = keep(tf.tensor2d([[0.5, 0.5, 0.5, 0.5], [0.2, 0.4, 0.6, 0.8]]));
    const y = keep(tf.tensor1d([0, 2], 'int32'));
    const before = tf.memory().numTensors;
    const adv = keep(st.explain.fgsm(net, x, y, { epsilon: 0.1 }));
    expect(tf.memory().numTensors).toBe(before + 1);
    const diff = tf.abs(tf.sub(adv, x)).dataSync();
    for (const v of diff) expect(v).toBeCloseTo(0.1, 5);
    const loss = (t: st.tf.Tensor) => {
      const p = net.predict(t) as st.tf.Tensor;
      const v = tf.neg(tf.log(tf.sum(tf.mul(p, tf.oneHot(y, 3)), 1))).dataSync();
      p.dispose();
      return Array.from(v);
    };
    const l0 = loss(x);
    const l1 = loss(adv);
    l0.forEach((v, i) => expect(l1[i]!).toBeGreaterThan(v));
    const p = keep(st.explain.pgd(net, x, y, { epsilon: 0.1, steps: 5, seed: 1 }));
    expect(tf.max(tf.abs(tf.sub(p, x))).dataSync()[0]!).toBeLessThanOrEqual(0.1 + 1e-6);
    loss(p).forEach((v, i) => expect(v).toBeGreaterThanOrEqual(l0[i]!));
    expect(() => st.explain.fgsm(net, x, y, { epsilon: -1 })).toThrow(/'epsilon'/);
    net.dispose();
  });
});
