import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('wasm');
});

afterAll(async () => {
  await st.setBackend('cpu');
});

interface Counted {
  readSync: (...a: unknown[]) => ArrayLike<number>;
}

/**
 * Elements copied off the backend's heap while `work` runs: every `readSync` (the
 * wasm `Slice` of tfjs 4.22 did one of its whole input per call) and every element
 * the slicing/gathering kernels produce.
 */
async function elementsMoved(work: () => Promise<unknown>): Promise<number> {
  const backend = tf.backend() as unknown as Counted;
  const readSync = backend.readSync;
  let moved = 0;
  backend.readSync = function (this: unknown, ...a: unknown[]) {
    const out = readSync.apply(this, a);
    moved += out.length;
    return out;
  };
  const kernels = ['Slice', 'GatherV2'].map((name) => tf.getKernel(name, 'wasm')!);
  const originals = kernels.map((k) => k.kernelFunc);
  kernels.forEach((k, i) => {
    (k as { kernelFunc: st.tf.KernelFunc }).kernelFunc = (args) => {
      const out = originals[i]!(args) as st.tf.TensorInfo;
      moved += out.shape.reduce((a, b) => a * b, 1);
      return out;
    };
  });
  try {
    await work();
  } finally {
    backend.readSync = readSync;
    kernels.forEach((k, i) => { (k as { kernelFunc: st.tf.KernelFunc }).kernelFunc = originals[i]!; });
  }
  return moved;
}

async function perEpoch(n: number, shuffle: boolean): Promise<number> {
  const features = 32;
  const x = tf.randomUniform([n, features], -1, 1, 'float32', 1);
  const y = tf.randomUniform([n, 1], -1, 1, 'float32', 2);
  const net = st.sequential([st.layers.dense({ units: 4, inputShape: [features] }), st.layers.dense({ units: 1 })]);
  net.compile({ optimizer: 'sgd', loss: 'mse' });
  const moved = await elementsMoved(() => net.fit(x, y, { epochs: 1, batchSize: 32, shuffle, verbose: 0, seed: 1 }));
  tf.dispose([x, y]);
  net.dispose?.();
  return moved;
}

describe('fit batching work', () => {
  for (const shuffle of [false, true]) {
    it(`grows linearly with the number of samples (shuffle: ${shuffle})`, async () => {
      const small = await perEpoch(512, shuffle);
      const large = await perEpoch(4096, shuffle);
      // Each batch must move its own rows (33 elements per sample here), not the data set.
      expect(small).toBeGreaterThanOrEqual(512 * 33);
      expect(large / small, `moved ${small} elements for 512 samples, ${large} for 4096`).toBeLessThan(8 * 1.25);
      expect(large / 4096).toBeLessThan(33 * 3);
    });
  }
});
