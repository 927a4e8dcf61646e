import { afterAll, beforeAll, describe, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { expectAllClose, expectWasmMatchesCpu, kernel, outSize, runOn, seeded, spreadByBuffer, spreadByMatMul } from './helpers.js';

beforeAll(async () => {
  await setBackend('wasm');
});

afterAll(async () => {
  await setBackend('cpu');
});

const depthwiseCase = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 3, max: 9 }),
    w: fc.integer({ min: 3, max: 9 }),
    c: fc.integer({ min: 1, max: 5 }),
    m: fc.integer({ min: 1, max: 3 }),
    kh: fc.integer({ min: 1, max: 3 }),
    kw: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 3 }),
    pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
    seed: fc.integer({ min: 1, max: 1e9 }),
  })
  .filter((c) => outSize(c.h, c.kh, c.stride, c.pad) > 0 && outSize(c.w, c.kw, c.stride, c.pad) > 0);

type DepthwiseCase = typeof depthwiseCase extends fc.Arbitrary<infer T> ? T : never;

function dims(c: DepthwiseCase, dilation = 1) {
  const oh = outSize(c.h, c.kh, c.stride, c.pad, dilation);
  const ow = outSize(c.w, c.kw, c.stride, c.pad, dilation);
  return {
    x: [c.batch, c.h, c.w, c.c],
    dy: [c.batch, oh, ow, c.c * c.m],
    filter: [c.kh, c.kw, c.c, c.m] as [number, number, number, number],
  };
}

describe('depthwise backprop kernels on wasm equal cpu', () => {
  it('DepthwiseConv2dNativeBackpropFilter, random shapes, strides, paddings, multipliers', async () => {
    await fc.assert(
      fc.asyncProperty(depthwiseCase, async (c) => {
        const d = dims(c);
        const attrs = { strides: c.stride, pad: c.pad, dilations: 1, filterShape: d.filter };
        await expectWasmMatchesCpu(() =>
          kernel('DepthwiseConv2dNativeBackpropFilter', { x: seeded(d.x, c.seed), dy: seeded(d.dy, c.seed + 1) }, attrs),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('DepthwiseConv2dNativeBackpropInput, random shapes, strides, paddings, multipliers', async () => {
    await fc.assert(
      fc.asyncProperty(depthwiseCase, async (c) => {
        const d = dims(c);
        const attrs = { strides: c.stride, pad: c.pad, dilations: 1, inputShape: d.x };
        await expectWasmMatchesCpu(() =>
          kernel('DepthwiseConv2dNativeBackpropInput', { dy: seeded(d.dy, c.seed), filter: seeded(d.filter, c.seed + 1) }, attrs),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('with dilation 2, equal the undilated kernels on a zero-spread filter (cpu)', async () => {
    // The cpu kernels ignore dilation, so the reference spreads the filter instead.
    await fc.assert(
      fc.asyncProperty(depthwiseCase, async (c0) => {
        const c = { ...c0, stride: 1 };
        const d = dims(c, 2);
        if (d.dy[1]! < 1 || d.dy[2]! < 1) return;
        const spreadShape = [(c.kh - 1) * 2 + 1, (c.kw - 1) * 2 + 1, c.c, c.m];
        const wasm = await runOn('wasm', () => [
          kernel('DepthwiseConv2dNativeBackpropFilter', { x: seeded(d.x, c.seed), dy: seeded(d.dy, c.seed + 1) }, { strides: 1, pad: c.pad, dilations: 2, filterShape: d.filter }),
          kernel('DepthwiseConv2dNativeBackpropInput', { dy: seeded(d.dy, c.seed + 1), filter: seeded(d.filter, c.seed + 2) }, { strides: 1, pad: c.pad, dilations: 2, inputShape: d.x }),
        ]);
        const cpu = await runOn('cpu', () => {
          const spreadGrad = kernel('DepthwiseConv2dNativeBackpropFilter', { x: seeded(d.x, c.seed), dy: seeded(d.dy, c.seed + 1) }, { strides: 1, pad: c.pad, dilations: 1, filterShape: spreadShape });
          return [
            tf.stridedSlice(spreadGrad, [0, 0, 0, 0], spreadShape, [2, 2, 1, 1]),
            kernel('DepthwiseConv2dNativeBackpropInput', { dy: seeded(d.dy, c.seed + 1), filter: spreadByBuffer(seeded(d.filter, c.seed + 2) as tf.Tensor4D, 2) }, { strides: 1, pad: c.pad, dilations: 1, inputShape: d.x }),
          ];
        });
        expectAllClose(wasm, cpu);
      }),
      { numRuns: 20 },
    );
  });
});

describe('gradients of depthwise and separable convolutions on wasm equal cpu', () => {
  it('depthwiseConv2d and separableConv2d, dilation 1', async () => {
    await fc.assert(
      fc.asyncProperty(depthwiseCase, async (c) => {
        const d = dims(c);
        await expectWasmMatchesCpu(() => {
          const x = seeded(d.x, c.seed) as tf.Tensor4D;
          const f = seeded(d.filter, c.seed + 1) as tf.Tensor4D;
          const p = seeded([1, 1, c.c * c.m, 2], c.seed + 2) as tf.Tensor4D;
          return [
            ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad))))([x, f]),
            ...tf.grads((a: tf.Tensor, b: tf.Tensor, q: tf.Tensor) =>
              tf.sum(tf.square(tf.separableConv2d(a as tf.Tensor4D, b as tf.Tensor4D, q as tf.Tensor4D, c.stride, c.pad))),
            )([x, f, p]),
          ];
        });
      }),
      { numRuns: 20 },
    );
  });

  it('depthwiseConv2d with dilation 2 matches the zero-spread formulation', async () => {
    for (const [pad, m, seed] of [
      ['same', 1, 51],
      ['valid', 2, 52],
    ] as const) {
      const shapes = { x: [2, 9, 8, 3], f: [3, 2, 3, m] };
      const wasm = await runOn('wasm', () =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad, 'NHWC', 2))))([
          seeded(shapes.x, seed),
          seeded(shapes.f, seed + 1),
        ]),
      );
      const cpu = await runOn('cpu', () =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, spreadByMatMul(b as tf.Tensor4D, 2), 1, pad))))([
          seeded(shapes.x, seed),
          seeded(shapes.f, seed + 1),
        ]),
      );
      expectAllClose(wasm, cpu);
    }
  });
});
