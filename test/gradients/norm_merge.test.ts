/**
 * Gradient property tests for BatchNormalization and the merge layers: autodiff against
 * central finite differences, for inputs and weights, on random shapes and values.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import type { Layer } from '../../src/engine/layer.js';
import { residualBlock } from '../../src/layers/blocks/index.js';
import { batchNormalization } from '../../src/layers/norm/index.js';
import { add, average, concatenate, maximum, minimum, multiply, subtract } from '../../src/layers/merge/index.js';
import { checkGradients } from '../../src/testing/check_gradients.js';

const RUNS = Number(process.env.GRAD_RUNS ?? 5);
const TOL = 1e-2;

beforeAll(async () => {
  await setBackend('cpu');
});

/** A float in ±[lo, hi]. */
const signed = (lo: number, hi: number) =>
  fc.tuple(fc.double({ min: lo, max: hi, noNaN: true }), fc.boolean()).map(([m, neg]) => (neg ? -m : m));

const vals = (n: number, lo = 0.05, hi = 2) => fc.array(signed(lo, hi), { minLength: n, maxLength: n });
const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Runs `body`, then checks that it left no tensors behind and frees the layers it made. */
function noLeak(body: (own: <L extends Layer>(l: L) => L) => void): void {
  const layers: Layer[] = [];
  const n0 = tf.memory().numTensors;
  try {
    body((l) => { layers.push(l); return l; });
  } finally {
    for (const l of layers) l.dispose();
  }
  expect(tf.memory().numTensors).toBe(n0);
}

describe('BatchNormalization gradients', () => {
  const bnCase = fc.record({
    rank: fc.constantFrom(2, 3, 4),
    batch: fc.integer({ min: 4, max: 6 }),
    mid: fc.integer({ min: 1, max: 3 }),
    channels: fc.integer({ min: 1, max: 3 }),
    channelsFirst: fc.boolean(),
    training: fc.boolean(),
    center: fc.boolean(),
    scale: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1e6 }),
  }).chain((c) => {
    const shape = c.rank === 2 ? [c.batch, c.channels] : c.rank === 3 ? [c.batch, c.mid, c.channels] : [c.batch, c.mid, 2, c.channels];
    return fc.record({ x: vals(prod(shape), 0.05, 3), stats: vals(2 * c.channels, 0.2, 2) }).map((v) => ({ ...c, shape, ...v }));
  });

  it('match finite differences for inputs, gamma and beta (training with batch >= 4, and inference)', () => {
    fc.assert(fc.property(bnCase, (c) => {
      noLeak((own) => {
        const axis = c.channelsFirst && c.rank > 2 ? 1 : -1;
        const bn = own(batchNormalization({ axis, momentum: 0.9, center: c.center, scale: c.scale }));
        const raw = tf.tensor(c.x, c.shape);
        const x = axis === 1 ? tf.transpose(raw, [0, c.rank - 1, ...Array.from({ length: c.rank - 2 }, (_, i) => i + 1)]) : raw.clone();
        tf.dispose(bn.apply(x));
        // Move gamma, beta and the statistics away from their trivial initial values.
        tf.tidy(() => {
          for (const w of bn.weights) {
            const s = c.stats.slice(0, w.size).map((v) => (w.shortName.includes('variance') ? Math.abs(v) : v));
            w.write(tf.tensor1d(s));
          }
        });
        const report = checkGradients((t) => bn.apply(t, { training: c.training }) as tf.Tensor, [x], { weights: bn.trainableWeights });
        expect(report.passed, report.toString()).toBe(true);
        expect(report.entries).toHaveLength(1 + bn.trainableWeights.length);
        tf.dispose([raw, x]);
      });
    }), { numRuns: RUNS });
  });
});

describe('merge gradients', () => {
  const ELEMENTWISE = { add, subtract, multiply, average, maximum, minimum };
  type Kind = keyof typeof ELEMENTWISE;

  const mergeCase = fc.record({
    kind: fc.constantFrom<Kind>('add', 'subtract', 'multiply', 'average', 'maximum', 'minimum'),
    n: fc.integer({ min: 2, max: 3 }),
    shape: fc.constantFrom<number[]>([2, 3], [1, 4], [2, 2, 3], [3, 1, 2, 2]),
    broadcastAxis: fc.boolean(),
  }).chain((c) => {
    const n = c.kind === 'subtract' ? 2 : c.n;
    // Optionally give the last input a size-1 axis, to exercise broadcasting gradients.
    const shapes = Array.from({ length: n }, (_, i) =>
      c.broadcastAxis && i === n - 1 && c.shape.length > 2 ? c.shape.map((d, k) => (k === 1 ? 1 : d)) : c.shape);
    return fc.tuple(...shapes.map((s) => vals(prod(s), 0.1, 2))).map((data) => ({ kind: c.kind, shapes, data }));
  });

  /** Smallest gap between the inputs at any output position (after broadcasting). */
  function minGap(xs: tf.Tensor[]): number {
    return tf.tidy(() => {
      const full = xs.map((x) => tf.broadcastTo(x, xs[0]!.shape));
      let gap = Infinity;
      for (let i = 0; i < full.length; i += 1) {
        for (let k = i + 1; k < full.length; k += 1) gap = Math.min(gap, tf.min(tf.abs(tf.sub(full[i]!, full[k]!))).dataSync()[0]!);
      }
      return gap;
    });
  }

  it('elementwise merges match finite differences for every input', () => {
    fc.assert(fc.property(mergeCase, (c) => {
      noLeak((own) => {
        const layer = own(ELEMENTWISE[c.kind]());
        const xs = c.shapes.map((s, i) => tf.tensor(c.data[i]!, s));
        // Maximum and minimum have a kink where inputs tie: keep them apart by 20 steps.
        const apart = !(c.kind === 'maximum' || c.kind === 'minimum') || minGap(xs) > 0.02;
        if (apart) {
          const report = checkGradients((...ts) => layer.apply(ts) as tf.Tensor, xs);
          expect(report.passed, `${c.kind}\n${report.toString()}`).toBe(true);
          expect(report.entries).toHaveLength(xs.length);
        }
        tf.dispose(xs);
      });
    }), { numRuns: RUNS * 4 });
  });

  const concatCase = fc.record({
    rank: fc.constantFrom(2, 3, 4),
    axisFromEnd: fc.integer({ min: 1, max: 3 }),
    sizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 3 }),
    seed: fc.integer({ min: 0, max: 1e6 }),
  });

  it('concatenate matches finite differences for every input', () => {
    fc.assert(fc.property(concatCase, (c) => {
      noLeak((own) => {
        const axis = -Math.min(c.axisFromEnd, c.rank - 1);
        const layer = own(concatenate({ axis }));
        const base = [2, 3, 2, 2].slice(0, c.rank);
        const xs = c.sizes.map((sz, i) => {
          const s = [...base];
          s[c.rank + axis] = sz;
          return tf.randomUniform(s, -2, 2, 'float32', c.seed + i);
        });
        const report = checkGradients((...ts) => layer.apply(ts) as tf.Tensor, xs);
        expect(report.passed, report.toString()).toBe(true);
        tf.dispose(xs);
      });
    }), { numRuns: RUNS });
  });
});

describe('residual block gradients', () => {
  const blockCase = fc.record({
    batch: fc.integer({ min: 4, max: 5 }),
    size: fc.integer({ min: 2, max: 4 }),
    // BN makes each output channel's kernel slice scale-invariant, so a slice of one
    // element has a zero gradient, which a relative error cannot judge: keep 1×1 slices >= 2.
    inC: fc.integer({ min: 2, max: 3 }),
    filters: fc.integer({ min: 2, max: 3 }),
    strides: fc.constantFrom(1, 2),
    bottleneck: fc.boolean(),
    useBatchNorm: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1e6 }),
  })
    // A 2×2 input at stride 2 leaves one pixel per image, so BN in training normalizes each
    // channel over the batch's 4–5 values alone; when their spread is small the block is so
    // curved that central differences miss by their truncation error (found by fast-check
    // about once in 3,000 cases: conv2/kernel off by 29 % at step 1e-3, 69 % at 3e-3, 3.8 %
    // at 3e-4, the autodiff value unchanged). BN over so few values is checked on its own
    // by the BatchNormalization property above (batches of 4–6, rank 2).
    .filter((c) => c.strides === 1 || c.size >= 3);

  it('match finite differences for the input and every trainable weight (smooth activation, BN in training)', () => {
    fc.assert(fc.property(blockCase, (c) => {
      noLeak((own) => {
        // tanh keeps the whole block smooth, so no kink can spoil the finite differences.
        const block = own(residualBlock({ filters: c.filters, kernelSize: 3, strides: c.strides, bottleneck: c.bottleneck, useBatchNorm: c.useBatchNorm, activation: 'tanh' }));
        const x = tf.randomUniform([c.batch, c.size, c.size, c.inC], -2, 2, 'float32', c.seed);
        tf.dispose(block.apply(x));
        const report = checkGradients((t) => block.apply(t, { training: true }) as tf.Tensor, [x], { weights: block.trainableWeights, maxElements: 32 });
        expect(report.passed, report.toString()).toBe(true);
        x.dispose();
      });
    }), { numRuns: RUNS });
  });
});
