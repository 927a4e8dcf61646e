import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { expectAllClose, expectWasmMatchesCpu, kernel, outSize, runOn, seeded, spreadByMatMul, values } from './helpers.js';

beforeAll(async () => {
  await setBackend('wasm');
});

afterAll(async () => {
  await setBackend('cpu');
});

type Pad = 'same' | 'valid' | 'explicit';

interface ConvCase {
  batch: number;
  h: number;
  w: number;
  inC: number;
  outC: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  pad: Pad;
  pads: [number, number, number, number];
  nchw: boolean;
  seed: number;
}

// Shapes around the kernels' switch points: few and many input channels (patches vs
// swapped convolution, col2im vs flipped convolution), strides 1–3, odd sizes, batch 1 and more.
const convCase: fc.Arbitrary<ConvCase> = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 3, max: 9 }),
    w: fc.integer({ min: 3, max: 9 }),
    inC: fc.constantFrom(1, 2, 3, 5, 8, 11),
    outC: fc.integer({ min: 1, max: 6 }),
    kh: fc.integer({ min: 1, max: 3 }),
    kw: fc.integer({ min: 1, max: 3 }),
    sh: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 2 }),
    pad: fc.constantFrom<Pad>('same', 'valid', 'explicit'),
    pads: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
    nchw: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1e9 }),
  })
  .filter((c) => c.kh <= c.h && c.kw <= c.w);

function padAttr(c: ConvCase): 'same' | 'valid' | number[][] {
  if (c.pad !== 'explicit') return c.pad;
  const [t, b, l, r] = c.pads;
  return c.nchw ? [[0, 0], [0, 0], [t, b], [l, r]] : [[0, 0], [t, b], [l, r], [0, 0]];
}

function outDims(c: ConvCase): [number, number] {
  if (c.pad !== 'explicit') return [outSize(c.h, c.kh, c.sh, c.pad), outSize(c.w, c.kw, c.sw, c.pad)];
  const [t, b, l, r] = c.pads;
  return [Math.floor((c.h + t + b - c.kh) / c.sh) + 1, Math.floor((c.w + l + r - c.kw) / c.sw) + 1];
}

function shapes(c: ConvCase): { x: number[]; dy: number[]; filter: [number, number, number, number] } {
  const [oh, ow] = outDims(c);
  return {
    x: c.nchw ? [c.batch, c.inC, c.h, c.w] : [c.batch, c.h, c.w, c.inC],
    dy: c.nchw ? [c.batch, c.outC, oh, ow] : [c.batch, oh, ow, c.outC],
    filter: [c.kh, c.kw, c.inC, c.outC],
  };
}

const attrsOf = (c: ConvCase) => ({ strides: [c.sh, c.sw], pad: padAttr(c), dataFormat: c.nchw ? 'NCHW' : 'NHWC' });
const valid = (c: ConvCase) => outDims(c).every((d) => d > 0);

describe('Conv2DBackpropFilter on wasm equals cpu', () => {
  it('for random shapes, strides, paddings and data formats', async () => {
    await fc.assert(
      fc.asyncProperty(convCase.filter(valid), async (c) => {
        const s = shapes(c);
        await expectWasmMatchesCpu(() =>
          kernel('Conv2DBackpropFilter', { x: seeded(s.x, c.seed), dy: seeded(s.dy, c.seed + 1) }, { ...attrsOf(c), filterShape: s.filter }),
        );
      }),
      { numRuns: 40 },
    );
  });

  // Few taps per output channel take the patch product, many the swapped convolution.
  it('for the shapes of a small MNIST CNN (both algorithms)', async () => {
    for (const [x, dy, filter] of [
      [[2, 28, 28, 1], [2, 26, 26, 16], [3, 3, 1, 16]],
      [[2, 13, 13, 8], [2, 11, 11, 16], [3, 3, 8, 16]],
      // A batch whose pixels (11,200 virtual rows) split the product along k.
      [[16, 28, 25, 1], [16, 26, 23, 8], [3, 3, 1, 8]],
    ] as const) {
      await expectWasmMatchesCpu(() =>
        kernel('Conv2DBackpropFilter', { x: seeded([...x], 3), dy: seeded([...dy], 4) }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: filter }),
      );
    }
  });
});

describe('Conv2DBackpropFilter on wasm, virtual pixels', () => {
  // The filter gradient's product runs over every pixel of the input, outputs past each row's
  // end (virtual, with zero gradient) included; where its rows and columns are multiples of 4
  // (here kW·inC = 12, outC = 8) it skips them. An Inf in the last input column is seen only
  // by the filter's last column: the other columns' gradients stay finite, as on cpu, and do
  // not pick up Inf · 0 from the virtual pixels.
  it('leave an input the filter column never sees out of its gradient', async () => {
    const at = ((0 * 8 + 3) * 10 + 9) * 4 + 2; // x[0, 3, 9, 2]
    const run = () => {
      const copy = values(8 * 10 * 4, 7);
      copy[at] = Infinity;
      const x = tf.tensor4d(copy, [1, 8, 10, 4]);
      const out = kernel('Conv2DBackpropFilter', { x, dy: seeded([1, 6, 8, 8], 8) }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 4, 8] });
      x.dispose();
      return out;
    };
    const [cpu] = await runOn('cpu', run);
    const [wasm] = await runOn('wasm', run);
    const finite = (a: Float32Array) => Array.from(a, Number.isFinite);
    // dW[ky, kx, i, o] at index ((ky·3 + kx)·4 + i)·8 + o: column kx = 2 of input channel 2 is not finite, the rest is.
    expect(finite(cpu!).filter((f) => !f)).toHaveLength(3 * 8);
    expect(finite(wasm!)).toEqual(finite(cpu!));
    const keep = (a: Float32Array) => a.filter((_, i) => Number.isFinite(cpu![i]!));
    expectAllClose([keep(wasm!)], [keep(cpu!)]);
  });
});

describe('Conv2DBackpropInput on wasm equals cpu', () => {
  it('for random shapes, strides, paddings and data formats', async () => {
    await fc.assert(
      fc.asyncProperty(convCase.filter(valid), async (c) => {
        const s = shapes(c);
        await expectWasmMatchesCpu(() =>
          kernel('Conv2DBackpropInput', { dy: seeded(s.dy, c.seed), filter: seeded(s.filter, c.seed + 1) }, { ...attrsOf(c), inputShape: s.x }),
        );
      }),
      { numRuns: 40 },
    );
  });

  // Strided layers of a DCGAN discriminator (4×4, stride 2, 'same'), odd sizes, and a stride
  // larger than the filter (phases with no taps): the one-convolution-per-phase route.
  it('for strided convolutions with many input channels', async () => {
    for (const [x, filter, strides, pad] of [
      [[2, 14, 14, 32], [4, 4, 32, 16], [2, 2], 'same'],
      [[3, 9, 11, 8], [3, 4, 8, 5], [2, 3], 'valid'],
      [[2, 10, 10, 12], [2, 2, 12, 4], [3, 3], 'same'],
    ] as const) {
      const info = tf.backend_util.computeConv2DInfo([...x] as [number, number, number, number], [...filter] as [number, number, number, number], [...strides], 1, pad);
      await expectWasmMatchesCpu(() =>
        kernel('Conv2DBackpropInput', { dy: seeded([...info.outShape], 5), filter: seeded([...filter], 6) }, { strides: [...strides], pad, dataFormat: 'NHWC', inputShape: [...x] }),
      );
    }
  });
});

describe('gradients of conv2d on wasm equal cpu', () => {
  it('with respect to input and filter, dilation 1 and 2', async () => {
    const cases = fc.record({
      batch: fc.integer({ min: 1, max: 2 }),
      h: fc.integer({ min: 5, max: 9 }),
      w: fc.integer({ min: 5, max: 9 }),
      inC: fc.integer({ min: 1, max: 4 }),
      outC: fc.integer({ min: 1, max: 4 }),
      k: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 2 }),
      dilation: fc.integer({ min: 1, max: 2 }),
      pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
      seed: fc.integer({ min: 1, max: 1e9 }),
    });
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        // tfjs allows dilation only with stride 1.
        const stride = c.dilation > 1 ? 1 : c.stride;
        if (outSize(c.h, c.k, stride, c.pad, c.dilation) < 1 || outSize(c.w, c.k, stride, c.pad, c.dilation) < 1) return;
        const grads = () => {
          const x = seeded([c.batch, c.h, c.w, c.inC], c.seed) as tf.Tensor4D;
          const f = seeded([c.k, c.k, c.inC, c.outC], c.seed + 1) as tf.Tensor4D;
          const wgt = (y: tf.Tensor) => seeded(y.shape, c.seed + 2);
          return tf.grads((a: tf.Tensor, b: tf.Tensor) => {
            const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, c.pad, 'NHWC', c.dilation);
            return tf.sum(tf.mul(y, wgt(y)));
          })([x, f]);
        };
        await expectWasmMatchesCpu(grads);
      }),
      { numRuns: 25 },
    );
  });

  it('for dilation 2 match an undilated convolution with a zero-spread filter', async () => {
    for (const [pad, seed] of [
      ['same', 11],
      ['valid', 12],
    ] as const) {
      const dilated = () => {
        const x = seeded([2, 9, 8, 3], seed) as tf.Tensor4D;
        const f = seeded([3, 2, 3, 4], seed + 1) as tf.Tensor4D;
        return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad, 'NHWC', 2))))([x, f]);
      };
      const reference = () => {
        const x = seeded([2, 9, 8, 3], seed) as tf.Tensor4D;
        const f = seeded([3, 2, 3, 4], seed + 1) as tf.Tensor4D;
        return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, spreadByMatMul(b as tf.Tensor4D, 2), 1, pad))))([x, f]);
      };
      expectAllClose(await runOn('wasm', dilated), await runOn('cpu', reference));
    }
  });

  it('conv2dTranspose (transposed convolution) forward and gradients', async () => {
    await expectWasmMatchesCpu(() => {
      const x = seeded([2, 4, 5, 6], 21) as tf.Tensor4D;
      const f = seeded([3, 3, 2, 6], 22) as tf.Tensor4D;
      const [y, ...g] = [
        tf.conv2dTranspose(x, f, [2, 8, 10, 2], 2, 'same'),
        ...tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 8, 10, 2], 2, 'same'))),
        )([x, f]),
      ];
      return [y!, ...g];
    });
  });

  it('conv1d with stride 2 and with dilation 2', async () => {
    await expectWasmMatchesCpu(() => {
      const x = seeded([2, 11, 3], 31) as tf.Tensor3D;
      const f = seeded([3, 3, 4], 32) as tf.Tensor3D;
      return [
        ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, 2, 'same'))))([x, f]),
        ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, 1, 'valid', 'NWC', 2))))([x, f]),
      ];
    });
  });
});

describe('a whole CNN step', () => {
  it('has the same gradients on wasm and cpu (conv-pool-conv-pool-dense, batch 4)', async () => {
    const grads = () => {
      const x = tf.add(seeded([4, 14, 14, 1], 41), 0) as tf.Tensor4D;
      const w1 = seeded([3, 3, 1, 4], 42);
      const b1 = seeded([4], 43);
      const w2 = seeded([3, 3, 4, 6], 44);
      const w3 = seeded([54, 5], 45);
      const labels = tf.oneHot(tf.tensor1d([0, 3, 1, 4], 'int32'), 5);
      return tf.grads((...vars: tf.Tensor[]) => {
        const [a, b, c, d] = vars as [tf.Tensor4D, tf.Tensor1D, tf.Tensor4D, tf.Tensor2D];
        let h = tf.relu(tf.add(tf.conv2d(x, a, 1, 'same'), b)) as tf.Tensor4D;
        h = tf.maxPool(h, 2, 2, 'valid');
        h = tf.relu(tf.conv2d(h, c, 1, 'valid'));
        h = tf.avgPool(h, 2, 2, 'same');
        const logits = tf.matMul(tf.reshape(h, [4, 54]), d);
        return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
      })([w1, b1, w2, w3]);
    };
    await expectWasmMatchesCpu(grads);
  });
});

describe('conv3d gradients on wasm equal cpu', () => {
  it('with respect to input and filter, random shapes, strides and paddings', async () => {
    const cases = fc.record({
      batch: fc.integer({ min: 1, max: 2 }),
      d: fc.integer({ min: 2, max: 5 }),
      h: fc.integer({ min: 2, max: 5 }),
      w: fc.integer({ min: 2, max: 5 }),
      inC: fc.integer({ min: 1, max: 3 }),
      outC: fc.integer({ min: 1, max: 3 }),
      k: fc.integer({ min: 1, max: 2 }),
      stride: fc.integer({ min: 1, max: 2 }),
      pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
      seed: fc.integer({ min: 1, max: 1e9 }),
    });
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        await expectWasmMatchesCpu(() => {
          const x = seeded([c.batch, c.d, c.h, c.w, c.inC], c.seed) as tf.Tensor5D;
          const f = seeded([c.k, c.k, c.k, c.inC, c.outC], c.seed + 1) as tf.Tensor5D;
          return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, c.stride, c.pad))))([x, f]);
        });
      }),
      { numRuns: 20 },
    );
  });
});
