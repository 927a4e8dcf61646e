import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { biasActivationGrad, fusedConv2d, fusedMatMul, type FusedActivation } from '../../src/backend/fused.js';
import { expectAllClose, runOn, seeded } from './helpers.js';

afterAll(async () => {
  await setBackend('cpu');
});

const ACTIVATIONS: FusedActivation[] = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'softmax'];

/** The activation as plain tfjs ops. */
function activate(activation: FusedActivation, z: tf.Tensor): tf.Tensor {
  switch (activation) {
    case 'linear': return z;
    case 'relu': return tf.relu(z);
    case 'relu6': return tf.relu6(z);
    case 'elu': return tf.elu(z);
    case 'sigmoid': return tf.sigmoid(z);
    case 'softmax': return tf.softmax(z);
  }
}

describe('StrataBiasActivationGrad', () => {
  it('matches the derivative written as tfjs ops on cpu, in SIMD rows, scalar rows and across 256-row blocks', async () => {
    const cases = fc.record({
      activation: fc.constantFrom(...ACTIVATIONS),
      rows: fc.constantFrom(1, 7, 256, 300, 613),
      channels: fc.constantFrom(4, 8, 32, 1, 3, 10),
      hasBias: fc.boolean(),
      seed: fc.integer({ min: 1, max: 10_000 }),
    });
    await fc.assert(fc.asyncProperty(cases, async ({ activation, rows, channels, hasBias, seed }) => {
      const f = () => {
        const dy = seeded([rows, channels], seed);
        // Outputs from inputs in [-8, 8), so relu6 is cut at both ends.
        const y = activate(activation, tf.mul(seeded([rows, channels], seed + 1), 8));
        const [dz, db] = biasActivationGrad(dy, y, activation, hasBias);
        expect(db === undefined).toBe(!hasBias);
        return db ? [dz, db] : [dz];
      };
      const cpu = await runOn('cpu', f);
      const wasm = await runOn('wasm', f);
      expectAllClose(wasm, cpu, 1e-5);
      if (activation === 'relu') {
        // A derivative that is not all ones: some rows really were masked.
        expect(cpu[0]!.some((v) => v === 0)).toBe(true);
      }
    }), { numRuns: 40 });
  });

  it('keeps a rank-4 output channels-last: one bias sum per channel', async () => {
    const f = () => {
      const dy = seeded([2, 5, 3, 8], 7);
      const [, db] = biasActivationGrad(dy, tf.onesLike(dy), 'relu', true);
      return [db!, tf.sum(dy, [0, 1, 2])];
    };
    const [db, expected] = await runOn('wasm', f);
    expect(db!.length).toBe(8);
    expectAllClose([db!], [expected!], 1e-6);
  });
});

describe('fused dense and convolution gradients', () => {
  const reference = {
    dense: (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, a: FusedActivation) => activate(a, tf.add(tf.matMul(x, w), b)),
    conv: (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, a: FusedActivation) => activate(a, tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [1, 1], 'same'), b)),
  };
  const fused = {
    dense: (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, a: FusedActivation) => fusedMatMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: a }),
    conv: (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, a: FusedActivation) => fusedConv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: [1, 1], pad: 'same', bias: b, activation: a as Exclude<FusedActivation, 'softmax'> }),
  };
  const shapes = { dense: [[9, 12], [12, 8], [8]], conv: [[2, 6, 5, 3], [3, 3, 3, 8], [8]] };

  for (const kind of ['dense', 'conv'] as const) {
    // A softmax is fused in dense layers only (the last axis of a convolution is its channels).
    for (const activation of ACTIVATIONS.filter((a) => kind === 'dense' || a !== 'softmax')) {
      it(`${kind} ${activation}: values and gradients for input, kernel and bias match tfjs' unfused ops`, async () => {
        const run = (op: (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, a: FusedActivation) => tf.Tensor) => () => {
          // The input spans [-4, 4) so that relu6's outputs reach past 6 too.
          const [x, w, b] = shapes[kind].map((s, i) => tf.mul(seeded(s, 11 + i), i === 0 ? 4 : 1));
          const probe = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
            const y = op(x, w, b, activation);
            return tf.sum(tf.mul(y, seeded(y.shape, 5)));
          };
          return [op(x!, w!, b!, activation), ...tf.grads(probe)([x!, w!, b!])];
        };
        const expected = await runOn('cpu', run(reference[kind]));
        if (activation === 'relu6') expect(expected[0]!.some((v) => v === 6)).toBe(true);
        for (const backend of ['cpu', 'wasm'] as const) {
          expectAllClose(await runOn(backend, run(fused[kind])), expected, 1e-4);
        }
      });
    }
  }

  it('runs one kernel through relu and bias on wasm where tfjs runs Step, Cast, Multiply and Sum', async () => {
    await setBackend('wasm');
    const [x, w, b] = [seeded([16, 12], 1), seeded([12, 8], 2), seeded([8], 3)];
    const names = async (op: () => tf.Tensor[]) => (await tf.profile(() => tf.dispose(op()))).kernelNames;
    const fusedNames = await names(() => tf.grads((x, w, b) => tf.sum(fusedMatMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: 'relu' })))([x, w, b]));
    const tfjsNames = await names(() => tf.grads((x, w, b) => tf.sum(tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: 'relu' })))([x, w, b]));
    expect(fusedNames).toContain('StrataBiasActivationGrad');
    expect(fusedNames).toContain('_FusedMatMul');
    expect(fusedNames).not.toContain('Step');
    expect(tfjsNames).toContain('Step');
    expect(fusedNames.length).toBeLessThan(tfjsNames.length);
    tf.dispose([x, w, b]);
  });

  it("computes a convolution's filter gradient before its input gradient", async () => {
    await setBackend('wasm');
    const [x, w, b] = [seeded([2, 6, 6, 3], 1), seeded([3, 3, 3, 4], 2), seeded([4], 3)];
    const conv = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(fusedConv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: [1, 1], pad: 'valid', bias: b, activation: 'relu' }));
    const { kernelNames } = await tf.profile(() => tf.dispose(tf.grads(conv)([x, w, b])));
    const [filter, input] = [kernelNames.indexOf('Conv2DBackpropFilter'), kernelNames.indexOf('Conv2DBackpropInput')];
    expect(filter).toBeGreaterThanOrEqual(0);
    expect(input).toBeGreaterThan(filter);
    tf.dispose([x, w, b]);
  });
});
