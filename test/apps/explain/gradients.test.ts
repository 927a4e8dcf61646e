import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../../src/index.js';
import { images, smallCnn } from './models.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

const owned: st.tf.Tensor[] = [];
afterEach(() => tf.dispose(owned.splice(0)));
const keep = <T extends st.tf.Tensor>(t: T): T => (owned.push(t), t);

describe('gradient explanations', () => {
  it('saliency of a linear function is |w| for every sample and leaks nothing', () => {
    const w = tf.tensor1d([2, -3, 0.5]);
    const f = (x: st.tf.Tensor) => tf.sum(tf.mul(x, w), 1);
    const x = keep(tf.tensor2d([[1, 2, 3], [-1, 0, 4]]));
    const before = tf.memory().numTensors;
    const s = keep(st.explain.saliency(f, x));
    const signed = keep(st.explain.saliency(f, x, { mode: 'signed' }));
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(Array.from(s.dataSync())).toEqual([2, 3, 0.5, 2, 3, 0.5]);
    expect(Array.from(signed.dataSync())).toEqual([2, -3, 0.5, 2, -3, 0.5]);
    w.dispose();
  });

  it('saliency on a model equals a finite-difference estimate of the target output', () => {
    const net = smallCnn();
    const x = keep(images(2));
    const g = keep(st.explain.saliency(net, x, { target: [1, 2], mode: 'signed' }));
    const probs = keep(net.predict(x) as st.tf.Tensor);
    const h = 1e-2;
    const flat = x.reshape([2, 64]);
    const idx = 27;
    for (const [row, cls] of [[0, 1], [1, 2]] as const) {
      const bump = (sign: number) => {
        const e = tf.oneHot(tf.tensor1d([row * 64 + idx], 'int32'), 128).reshape([2, 8, 8, 1]).mul(sign * h);
        const p = net.predict(flat.reshape([2, 8, 8, 1]).add(e)) as st.tf.Tensor;
        const v = p.arraySync() as number[][];
        tf.dispose([e, p]);
        return v[row]![cls]!;
      };
      const fd = (bump(1) - bump(-1)) / (2 * h);
      const an = (g.reshape([2, 64]).arraySync() as number[][])[row]![idx]!;
      expect(Math.abs(an - fd)).toBeLessThan(1e-3 + 0.05 * Math.abs(fd));
    }
    flat.dispose();
    void probs;
    net.dispose();
  });

  it('integrated gradients meet completeness within 1% at the default steps', () => {
    const net = smallCnn();
    const x = keep(images(4));
    const before = tf.memory().numTensors;
    const r = st.explain.integratedGradients(net, x);
    owned.push(r.attributions);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(r.attributions.shape).toEqual(x.shape);
    const sums = tf.sum(r.attributions.reshape([4, -1]), 1).arraySync() as number[];
    sums.forEach((s, i) => {
      expect(Math.abs(s - (r.fx[i]! - r.fBaseline[i]!))).toBeCloseTo(Math.abs(r.delta[i]!), 5);
      expect(r.relativeError[i]!).toBeLessThan(0.01);
    });
    // A coarse left Riemann sum misses completeness by more: the report is not vacuous.
    const coarse = st.explain.integratedGradients(net, x, { steps: 2, method: 'riemannLeft' });
    owned.push(coarse.attributions);
    expect(Math.max(...coarse.relativeError)).toBeGreaterThan(Math.max(...r.relativeError));
    net.dispose();
  });

  it('integrated gradients of a linear function are exactly w·(x − baseline)', () => {
    const f = (x: st.tf.Tensor) => tf.sum(tf.mul(x, tf.tensor1d([1, -2])), 1);
    const x = keep(tf.tensor2d([[3, 1]]));
    const r = st.explain.integratedGradients(f, x, { baseline: keep(tf.tensor1d([1, 1])), steps: 3 });
    owned.push(r.attributions);
    const a = r.attributions.dataSync();
    expect(a[0]).toBeCloseTo(2, 5);
    expect(a[1]).toBeCloseTo(0, 5);
    expect(r.delta[0]).toBeCloseTo(0, 5);
  });

  it('smoothGrad and gradientShap are seeded, shaped like x and finite', () => {
    const net = smallCnn();
    const x = keep(images(2));
    const a = keep(st.explain.smoothGrad(net, x, { nSamples: 8, seed: 5 }));
    const b = keep(st.explain.smoothGrad(net, x, { nSamples: 8, seed: 5 }));
    expect(a.shape).toEqual(x.shape);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBe(0);
    const bg = keep(images(6, 11));
    const before = tf.memory().numTensors;
    const gs = keep(st.explain.gradientShap(net, x, { background: bg, nSamples: 200, seed: 1 }));
    expect(tf.memory().numTensors).toBe(before + 1);
    // Expected gradients: sums approach f(x) − E[f(background)] as draws grow.
    const p = net.predict(x) as st.tf.Tensor;
    const cls = tf.argMax(p, 1);
    const fx = tf.sum(tf.mul(p, tf.oneHot(cls, 3)), 1).arraySync() as number[];
    const pb = net.predict(bg) as st.tf.Tensor;
    const eb = tf.matMul(tf.mean(pb, 0, true), tf.transpose(tf.oneHot(cls, 3))).arraySync() as number[][];
    const sums = tf.sum(gs.reshape([2, -1]), 1).arraySync() as number[];
    sums.forEach((s, i) => expect(Math.abs(s - (fx[i]! - eb[0]![i]!))).toBeLessThan(0.1 * Math.abs(fx[i]! - eb[0]![i]!) + 0.02));
    tf.dispose([p, cls, pb]);
    net.dispose();
  });

  it('inputXGradient is gradient times input', () => {
    const f = (x: st.tf.Tensor) => tf.sum(tf.square(x), 1);
    const x = keep(tf.tensor2d([[1, -2, 3]]));
    const a = keep(st.explain.inputXGradient(f, x));
    expect(Array.from(a.dataSync())).toEqual([2, 8, 18]);
  });

  it('Grad-CAM maps have the conv layer spatial size, are non-negative and normalised', () => {
    const net = smallCnn();
    const x = keep(images(3));
    const before = tf.memory().numTensors;
    const { maps, layer } = st.explain.gradCam(net, x);
    owned.push(maps);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(layer).toBe('conv_b');
    expect(maps.shape).toEqual([3, 4, 4]);
    const v = maps.dataSync();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeCloseTo(1, 5);
    const first = st.explain.gradCam(net, x, { layer: 'conv', normalize: false });
    owned.push(first.maps);
    expect(first.maps.shape).toEqual([3, 6, 6]);
    // The model still predicts as before: the tap was removed.
    const p1 = keep(net.predict(x) as st.tf.Tensor);
    expect(p1.shape).toEqual([3, 3]);
    expect(Object.prototype.hasOwnProperty.call(net.getLayer('conv'), 'call')).toBe(false);
    net.dispose();
  });

  it('works on a functional model and rejects bad options clearly', () => {
    const inp = st.layers.input({ shape: [4] });
    const h = st.layers.dense({ units: 5, activation: 'tanh' }).apply(inp) as st.SymbolicTensor;
    const out = st.layers.dense({ units: 2, activation: 'softmax' }).apply(h) as st.SymbolicTensor;
    const m = st.model({ inputs: inp, outputs: out });
    const x = keep(tf.randomNormal([3, 4], 0, 1, 'float32', 2));
    const s = keep(st.explain.saliency(m, x, { target: 1 }));
    expect(s.shape).toEqual([3, 4]);
    expect(() => st.explain.saliency(m, x, { target: 2 })).toThrow(st.ValueError);
    expect(() => st.explain.saliency(m, x, { target: [0, 1] })).toThrow(/lists 2 classes for 3 samples/);
    expect(() => st.explain.integratedGradients(m, x, { steps: 0 })).toThrow(/'steps'/);
    expect(() => st.explain.integratedGradients(m, x, { baseline: keep(tf.zeros([5])) })).toThrow(st.ShapeError);
    m.dispose();
  });
});
