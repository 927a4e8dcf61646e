import { afterAll, beforeAll, describe, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { expectWasmMatchesCpu, outSize, seeded } from './helpers.js';

beforeAll(async () => {
  await setBackend('wasm');
});

afterAll(async () => {
  await setBackend('cpu');
});

// Strides above the filter size with 'same' padding made tfjs-backend-wasm's convolutions
// return zeros; the forward pass is part of every gradient test, so it is checked alone too.
const forwardCase = fc
  .record({
    batch: fc.integer({ min: 1, max: 2 }),
    h: fc.integer({ min: 2, max: 7 }),
    w: fc.integer({ min: 2, max: 7 }),
    inC: fc.integer({ min: 1, max: 4 }),
    outC: fc.integer({ min: 1, max: 4 }),
    kh: fc.integer({ min: 1, max: 3 }),
    kw: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 3 }),
    dilation: fc.integer({ min: 1, max: 2 }),
    pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
    activation: fc.constantFrom<'linear' | 'relu' | 'elu'>('linear', 'relu', 'elu'),
    seed: fc.integer({ min: 1, max: 1e9 }),
  })
  .map((c) => ({ ...c, stride: c.dilation > 1 ? 1 : c.stride }))
  .filter((c) => outSize(c.h, c.kh, c.stride, c.pad, c.dilation) > 0 && outSize(c.w, c.kw, c.stride, c.pad, c.dilation) > 0);

describe('forward convolutions and pooling on wasm equal cpu', () => {
  it('conv2d, depthwiseConv2d and their fused forms, any stride, padding, dilation', async () => {
    await fc.assert(
      fc.asyncProperty(forwardCase, async (c) => {
        await expectWasmMatchesCpu(() => {
          const x = seeded([c.batch, c.h, c.w, c.inC], c.seed) as tf.Tensor4D;
          const f = seeded([c.kh, c.kw, c.inC, c.outC], c.seed + 1) as tf.Tensor4D;
          const fd = seeded([c.kh, c.kw, c.inC, 2], c.seed + 2) as tf.Tensor4D;
          const bias = seeded([c.outC], c.seed + 3);
          const biasD = seeded([c.inC * 2], c.seed + 4);
          const common = { x, strides: c.stride, pad: c.pad, dilations: c.dilation, activation: c.activation } as const;
          return [
            tf.conv2d(x, f, c.stride, c.pad, 'NHWC', c.dilation),
            tf.depthwiseConv2d(x, fd, c.stride, c.pad, 'NHWC', c.dilation),
            tf.fused.conv2d({ ...common, filter: f, bias }),
            tf.fused.depthwiseConv2d({ ...common, filter: fd, bias: biasD }),
          ];
        });
      }),
      { numRuns: 60 },
    );
  });

  it('maxPool and avgPool with any window, stride and padding', async () => {
    await fc.assert(
      fc.asyncProperty(forwardCase, async (c) => {
        await expectWasmMatchesCpu(() => {
          const x = seeded([c.batch, c.h, c.w, c.inC], c.seed) as tf.Tensor4D;
          return [tf.maxPool(x, [c.kh, c.kw], c.stride, c.pad), tf.avgPool(x, [c.kh, c.kw], c.stride, c.pad)];
        });
      }),
      { numRuns: 30 },
    );
  });
});
