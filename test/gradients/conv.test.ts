/**
 * Gradient property tests for the convolution, pooling and reshaping layers: autodiff
 * against central finite differences, with respect to inputs and weights, on random small
 * shapes, options and values. `GRAD_RUNS=50 npx vitest run test/gradients/conv.test.ts`
 * runs more cases.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import type { ActivationName } from '../../src/engine/activations.js';
import { randomUniform } from '../../src/engine/initializers_api.js';
import type { Layer } from '../../src/engine/layer.js';
import { l2 } from '../../src/engine/regularizers.js';
import { conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d } from '../../src/layers/conv/index.js';
import {
  averagePooling2d, globalAveragePooling2d, globalMaxPooling2d, maxPooling2d,
} from '../../src/layers/pooling/index.js';
import { flatten, reshape, upSampling2d, zeroPadding2d } from '../../src/layers/reshape/index.js';
import { checkGradients } from '../../src/testing/check_gradients.js';

const RUNS = Number(process.env.GRAD_RUNS ?? 5);
const TOL = 1e-2;

beforeAll(async () => {
  await setBackend('cpu');
});

/** Runs `body`, frees what it registered, and checks that no tensors were left behind. */
function noLeak(body: (own: <T extends Layer | tf.Tensor>(x: T) => T) => void): void {
  const owned: (Layer | tf.Tensor)[] = [];
  const n0 = tf.memory().numTensors;
  try {
    body((x) => { owned.push(x); return x; });
  } finally {
    for (const o of owned) o.dispose();
  }
  expect(tf.memory().numTensors).toBe(n0);
}

/** The layer's output, flattened, followed by its weight penalties: one check covers both. */
function withPenalties(y: tf.Tensor, layer: Layer): tf.Tensor {
  const reg = layer.regularizationLosses();
  const flat = tf.reshape(y, [-1]);
  return reg.length ? tf.concat([flat, tf.stack(reg)]) : flat;
}

/** Checks d(output)/d(input) and d(output)/d(weights) of `layer` at `x`. */
function expectGradientsMatch(layer: Layer, x: tf.Tensor): void {
  tf.dispose(layer.apply(x) as tf.Tensor);
  const report = checkGradients((t) => withPenalties(layer.apply(t) as tf.Tensor, layer), [x], { weights: layer.weights });
  expect(report.passed, report.toString()).toBe(true);
  expect(report.maxRelativeError).toBeLessThan(TOL);
  expect(report.entries).toHaveLength(1 + layer.weights.length);
}

type Fmt = 'channelsLast' | 'channelsFirst';

/** An NHWC or NCHW shape from batch, height, width and channels. */
const imageShape = (fmt: Fmt, n: number, h: number, w: number, c: number) => (fmt === 'channelsLast' ? [n, h, w, c] : [n, c, h, w]);

// Smooth activations, so no finite difference straddles a kink; linear and sigmoid run
// through tfjs' fused kernels, tanh and softplus through the separate activation.
const SMOOTH: ActivationName[] = ['linear', 'sigmoid', 'tanh', 'softplus'];

interface WindowCase {
  n: number; h: number; w: number; c: number; k: [number, number]; s: [number, number]; d: [number, number];
  padding: 'valid' | 'same'; fmt: Fmt; activation: ActivationName; useBias: boolean; seed: number;
}

/** Random window options; a stride above 1 comes only with dilation 1, as Keras requires. */
const windowCase: fc.Arbitrary<WindowCase> = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  h: fc.integer({ min: 3, max: 6 }),
  w: fc.integer({ min: 3, max: 6 }),
  c: fc.integer({ min: 1, max: 3 }),
  k: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  strided: fc.boolean(),
  step: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  padding: fc.constantFrom('valid' as const, 'same' as const),
  fmt: fc.constantFrom('channelsLast' as const, 'channelsFirst' as const),
  activation: fc.constantFrom(...SMOOTH),
  useBias: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1e6 }),
}).map(({ strided, step, ...r }) => ({
  ...r, s: strided ? step : [1, 1] as [number, number], d: strided ? [1, 1] as [number, number] : step,
})).filter((c) => c.padding === 'same' || (c.h >= (c.k[0] - 1) * c.d[0] + 1 && c.w >= (c.k[1] - 1) * c.d[1] + 1));

function windowInput(c: WindowCase): tf.Tensor {
  return tf.randomUniform(imageShape(c.fmt, c.n, c.h, c.w, c.c), -1, 1, 'float32', c.seed);
}

const common = (c: WindowCase) => ({
  kernelSize: c.k, strides: c.s, dilationRate: c.d, padding: c.padding, dataFormat: c.fmt,
  activation: c.activation, useBias: c.useBias, biasInitializer: randomUniform({ minval: -0.5, maxval: 0.5, seed: c.seed + 1 }),
});
const kernelInit = (seed: number) => randomUniform({ minval: -1, maxval: 1, seed });

describe('gradient check: convolutions', () => {
  it('Conv2D: input, kernel and bias (strides, dilation, same/valid, channelsFirst, l2)', () => {
    fc.assert(fc.property(windowCase, fc.integer({ min: 1, max: 3 }), fc.boolean(), (c, filters, reg) => noLeak((own) => {
      const layer = own(conv2d({ ...common(c), filters, kernelInitializer: kernelInit(c.seed + 2), kernelRegularizer: reg ? l2({ l2: 0.1 }) : undefined }));
      expectGradientsMatch(layer, own(windowInput(c)));
    })), { numRuns: RUNS });
  });

  it('Conv2DTranspose: input, kernel and bias', () => {
    fc.assert(fc.property(windowCase, fc.integer({ min: 1, max: 3 }), (c, filters) => noLeak((own) => {
      const layer = own(conv2dTranspose({ ...common(c), filters, kernelInitializer: kernelInit(c.seed + 3) }));
      expectGradientsMatch(layer, own(windowInput(c)));
    })), { numRuns: RUNS });
  });

  it('DepthwiseConv2D: input, depthwise kernel and bias (depthMultiplier 1-2)', () => {
    fc.assert(fc.property(windowCase, fc.integer({ min: 1, max: 2 }), (c, depthMultiplier) => noLeak((own) => {
      const layer = own(depthwiseConv2d({ ...common(c), depthMultiplier, depthwiseInitializer: kernelInit(c.seed + 4) }));
      expectGradientsMatch(layer, own(windowInput(c)));
    })), { numRuns: RUNS });
  });

  it('SeparableConv2D: input, depthwise and pointwise kernels and bias', () => {
    fc.assert(fc.property(windowCase, fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), (c, depthMultiplier, filters) => noLeak((own) => {
      const layer = own(separableConv2d({
        ...common(c), filters, depthMultiplier,
        depthwiseInitializer: kernelInit(c.seed + 5), pointwiseInitializer: kernelInit(c.seed + 6),
      }));
      expectGradientsMatch(layer, own(windowInput(c)));
    })), { numRuns: RUNS });
  });

  it('dilated Conv2D gets the same gradients as an undilated one with a zero-stuffed kernel', () => {
    // Autodiff through space-to-batch against the plain convolution the dilation stands for.
    fc.assert(fc.property(windowCase.filter((c) => c.d[0] * c.d[1] > 1), (c) => noLeak((own) => {
      const layer = own(conv2d({ ...common(c), activation: 'linear', useBias: false, filters: 2, kernelInitializer: kernelInit(c.seed) }));
      const x = own(windowInput(c));
      tf.dispose(layer.apply(x) as tf.Tensor);
      const k = layer.weights[0]!.read();
      const [kh, kw] = c.k;
      const big = own(tf.tidy(() => {
        const rows = [];
        for (let i = 0; i < (kh - 1) * c.d[0] + 1; i++) {
          const cols = [];
          for (let j = 0; j < (kw - 1) * c.d[1] + 1; j++) {
            const on = i % c.d[0] === 0 && j % c.d[1] === 0;
            cols.push(on ? tf.slice(k, [i / c.d[0], j / c.d[1], 0, 0], [1, 1, -1, -1]) : tf.zerosLike(tf.slice(k, [0, 0, 0, 0], [1, 1, -1, -1])));
          }
          rows.push(tf.concat(cols, 1));
        }
        return tf.concat(rows, 0);
      }));
      const toLast = (t: tf.Tensor) => (c.fmt === 'channelsFirst' ? tf.transpose(t, [0, 2, 3, 1]) : t);
      const proj = own(tf.randomUniform(layer.computeOutputShape([null, ...x.shape.slice(1)]).map((d) => d ?? c.n), 0.5, 1.5, 'float32', 1));
      const viaLayer = own(tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, proj)))(x)));
      const plain = own(tf.tidy(() => tf.grad((t: tf.Tensor) => {
        const y = tf.conv2d(toLast(t) as tf.Tensor4D, big as tf.Tensor4D, 1, c.padding);
        return tf.sum(tf.mul(c.fmt === 'channelsFirst' ? tf.transpose(y, [0, 3, 1, 2]) : y, proj));
      })(x)));
      const a = viaLayer.dataSync();
      plain.dataSync().forEach((v, i) => expect(Math.abs(a[i]! - v)).toBeLessThan(1e-4));
    })), { numRuns: RUNS });
  });
});

interface PoolCase { n: number; h: number; w: number; c: number; p: [number, number]; s: [number, number]; padding: 'valid' | 'same'; fmt: Fmt; perm: number[] }

/**
 * Random pooling options with input values that are a shuffle of evenly spaced numbers
 * (0.05 apart), so no window has a tie for its maximum within the finite-difference step.
 */
const poolCase: fc.Arbitrary<PoolCase> = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  h: fc.integer({ min: 2, max: 6 }),
  w: fc.integer({ min: 2, max: 6 }),
  c: fc.integer({ min: 1, max: 3 }),
  p: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  padding: fc.constantFrom('valid' as const, 'same' as const),
  fmt: fc.constantFrom('channelsLast' as const, 'channelsFirst' as const),
}).filter((c) => c.padding === 'same' || (c.h >= c.p[0] && c.w >= c.p[1])).chain((c) => {
  const size = c.n * c.h * c.w * c.c;
  const idx = Array.from({ length: size }, (_, i) => i);
  return fc.shuffledSubarray(idx, { minLength: size, maxLength: size }).map((perm) => ({ ...c, perm }));
});

function poolInput(c: PoolCase): tf.Tensor {
  const size = c.perm.length;
  return tf.tensor(c.perm.map((i) => (i - size / 2) * 0.05), imageShape(c.fmt, c.n, c.h, c.w, c.c));
}

describe('gradient check: pooling', () => {
  it('MaxPooling2D (no ties) and AveragePooling2D', () => {
    fc.assert(fc.property(poolCase, (c) => noLeak((own) => {
      for (const make of [maxPooling2d, averagePooling2d]) {
        const layer = own(make({ poolSize: c.p, strides: c.s, padding: c.padding, dataFormat: c.fmt }));
        expectGradientsMatch(layer, own(poolInput(c)));
      }
    })), { numRuns: RUNS });
  });

  it('GlobalMaxPooling2D (no ties) and GlobalAveragePooling2D, with and without keepdims', () => {
    fc.assert(fc.property(poolCase, fc.boolean(), (c, keepdims) => noLeak((own) => {
      for (const make of [globalMaxPooling2d, globalAveragePooling2d]) {
        expectGradientsMatch(own(make({ dataFormat: c.fmt, keepdims })), own(poolInput(c)));
      }
    })), { numRuns: RUNS });
  });
});

describe('gradient check: reshaping', () => {
  const image = fc.record({
    n: fc.integer({ min: 1, max: 2 }),
    h: fc.integer({ min: 1, max: 4 }),
    w: fc.integer({ min: 1, max: 4 }),
    c: fc.integer({ min: 1, max: 3 }),
    fmt: fc.constantFrom('channelsLast' as const, 'channelsFirst' as const),
    seed: fc.integer({ min: 0, max: 1e6 }),
  });
  const img = (c: { n: number; h: number; w: number; c: number; fmt: Fmt; seed: number }) =>
    tf.randomUniform(imageShape(c.fmt, c.n, c.h, c.w, c.c), -1, 1, 'float32', c.seed);

  it('UpSampling2D nearest and bilinear', () => {
    const size = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }));
    fc.assert(fc.property(image, size, (c, s) => noLeak((own) => {
      for (const interpolation of ['nearest', 'bilinear'] as const) {
        expectGradientsMatch(own(upSampling2d({ size: s, interpolation, dataFormat: c.fmt })), own(img(c)));
      }
    })), { numRuns: RUNS });
  });

  it('ZeroPadding2D, Flatten and Reshape', () => {
    const pads = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }));
    fc.assert(fc.property(image, pads, (c, [t, b, l, r]) => noLeak((own) => {
      expectGradientsMatch(own(zeroPadding2d({ padding: [[t, b], [l, r]], dataFormat: c.fmt })), own(img(c)));
      expectGradientsMatch(own(flatten({ dataFormat: c.fmt })), own(img(c)));
      expectGradientsMatch(own(reshape({ targetShape: [c.c, -1] })), own(img(c)));
    })), { numRuns: RUNS });
  });
});
