import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ValueError } from '../../src/engine/errors.js';
import * as metrics from '../../src/metrics/index.js';
import * as lref from '../losses/reference.js';
import * as ref from './reference.js';

beforeAll(async () => {
  await setBackend('cpu');
});

function aucOf(labels: number[], preds: number[], opts: metrics.AUCOptions = {}, weights?: number[]): number {
  const m = metrics.auc(opts);
  const yt = tf.tensor2d(labels, [labels.length, 1]);
  const yp = tf.tensor2d(preds, [preds.length, 1]);
  const sw = weights ? tf.tensor1d(weights) : undefined;
  m.update(yt, yp, sw);
  const r = m.result();
  const v = r.dataSync()[0]!;
  tf.dispose([yt, yp, r, ...(sw ? [sw] : [])]);
  m.dispose();
  return v;
}

/** The wrong rule (pred >= threshold), to show the test above can tell them apart. */
function aucAtOrAbove(labels: number[], preds: number[], numThresholds: number): number {
  const nudged = preds.map((p) => p + 1e-9);
  return ref.aucKeras(labels, nudged, undefined, numThresholds);
}

describe('auc', () => {
  it('a known small example: 3 of 4 positive/negative pairs ordered right', () => {
    const labels = [0, 0, 1, 1];
    const preds = [0.1, 0.4, 0.35, 0.8];
    expect(ref.aucExact(labels, preds)).toBe(0.75);
    expect(aucOf(labels, preds)).toBeCloseTo(0.75, 6);
    expect(aucOf(labels, preds)).toBeCloseTo(ref.aucKeras(labels, preds, undefined, 200), 6);
  });

  it('perfect ranking gives 1, reversed ranking 0', () => {
    expect(aucOf([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9])).toBeCloseTo(1, 6);
    expect(aucOf([1, 1, 0, 0], [0.1, 0.2, 0.7, 0.9])).toBeCloseTo(0, 6);
  });

  it('ties inside one bucket count half, as trapezoids do', () => {
    // 0.501 and 0.502 share a bucket of width 1/199: the curve is a straight line there.
    expect(aucOf([0, 1], [0.502, 0.501])).toBeCloseTo(0.5, 6);
    expect(aucOf([0, 1], [0.502, 0.501], { numThresholds: 2000 })).toBeCloseTo(0, 6);
  });

  it('a prediction exactly on a threshold does not pass it (strict >, as Keras)', () => {
    const labels = [0, 1, 0, 1, 1, 0, 1];
    const preds = [0.25, 0.25, 0.5, 0.75, 1, 0, 0.5];
    const got = aucOf(labels, preds, { numThresholds: 5 });
    expect(got).toBeCloseTo(ref.aucKeras(labels, preds, undefined, 5), 6);
    // Counting "pred >= threshold" instead would give a different curve here.
    expect(Math.abs(got - aucAtOrAbove(labels, preds, 5))).toBeGreaterThan(1e-3);
  });

  it('matches the plain-JS threshold computation on random data, with and without weights', () => {
    fc.assert(fc.property(fc.integer(), fc.integer({ min: 2, max: 60 }), fc.constantFrom(3, 10, 200), fc.boolean(),
      (seed, n, numThresholds, weighted) => {
        const r = lref.rng(seed);
        const labels = Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0));
        const preds = Array.from({ length: n }, () => Math.fround(r()));
        const w = weighted ? Array.from({ length: n }, () => Math.fround(r() * 3)) : undefined;
        const got = aucOf(labels, preds, { numThresholds }, w);
        expect(got).toBeCloseTo(ref.aucKeras(labels, preds, w, numThresholds), 5);
      }), { numRuns: 30 });
  });

  it('approaches the exact AUC with many thresholds', () => {
    const r = lref.rng(5);
    const labels = Array.from({ length: 80 }, () => (r() < 0.4 ? 1 : 0));
    const preds = labels.map((l) => Math.fround(Math.min(1, Math.max(0, 0.35 + 0.3 * l + 0.4 * (r() - 0.5)))));
    expect(Math.abs(aucOf(labels, preds, { numThresholds: 5000 }) - ref.aucExact(labels, preds))).toBeLessThan(2e-3);
  });

  it('fromLogits applies the sigmoid first; predictions outside [0, 1] are clipped', () => {
    const labels = [0, 1, 0, 1, 1];
    const logits = [-2, 0.5, 0.3, 3, -1];
    const probs = logits.map((x) => Math.fround(lref.sigmoid(x)));
    expect(aucOf(labels, logits, { fromLogits: true })).toBeCloseTo(aucOf(labels, probs), 6);
    expect(aucOf([0, 1, 0], [-5, 7, 0.2])).toBeCloseTo(ref.aucKeras([0, 1, 0], [0, 1, 0.2], undefined, 200), 6);
  });

  it('only one class seen gives 0, not NaN', () => {
    expect(aucOf([1, 1], [0.3, 0.6])).toBe(0);
  });

  it('thresholds() lists Keras\'s placement', () => {
    const m = metrics.auc({ numThresholds: 5 });
    expect(m.thresholds()).toEqual([-1e-7, 0.25, 0.5, 0.75, 1 + 1e-7]);
    m.dispose();
  });

  it('numThresholds is validated', () => {
    expect(() => metrics.auc({ numThresholds: 1 })).toThrow(ValueError);
    expect(() => metrics.auc({ numThresholds: 2.5 })).toThrow(/numThresholds/);
  });
});
