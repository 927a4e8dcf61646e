import { afterAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

afterAll(async () => {
  await st.setBackend('cpu');
});

/** Threads of the pool of the wasm module the engine's current backend runs. */
function enginePool(): number {
  const backend = tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } };
  const count = backend.wasm?.tfjs?.getThreadsCount?.();
  if (count === undefined) throw new Error(`the current backend (${tf.getBackend()}) is not a wasm backend`);
  return count;
}

/** Trains a small seeded MLP on wasm with `threads` threads and returns its weights. */
async function trainedWeights(threads: number): Promise<{ weights: Float32Array[]; leaked: number; leakedBuffers: number }> {
  await st.setBackend('cpu');
  await st.setThreads(threads);
  await st.setBackend('wasm');
  const before = tf.memory().numTensors;
  const wasmBefore = tf.backend().numDataIds();
  const x = tf.randomUniform([256, 64], -1, 1, 'float32', 7);
  const y = tf.tidy(() => tf.oneHot(tf.cast(tf.mul(tf.add(tf.sum(x, 1), 8), 0.6), 'int32').clipByValue(0, 9), 10));
  const init = (seed: number) => st.initializers.glorotUniform({ seed });
  const net = st.sequential([
    st.layers.dense({ units: 128, activation: 'relu', inputShape: [64], kernelInitializer: init(1) }),
    st.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(2) }),
  ]);
  const optimizer = st.optimizers.adam({ learningRate: 1e-2 });
  net.compile({ optimizer, loss: 'categoricalCrossentropy' });
  await net.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0, seed: 3 });
  const list = net.getWeights();
  const weights = list.map((w) => Float32Array.from(w.dataSync()));
  tf.dispose([x, y]);
  if (list.some((w) => !w.isDisposed)) tf.dispose(list);
  net.dispose();
  optimizer.dispose();
  return { weights, leaked: tf.memory().numTensors - before, leakedBuffers: tf.backend().numDataIds() - wasmBefore };
}

describe('wasm threads', () => {
  it('defaults to every core (STRATA_THREADS overrides) and honours setThreads (pool size reported by the module the engine runs)', async () => {
    await st.ready();
    const info = st.threadsInfo();
    expect(info.requested).toBe(Number(process.env.STRATA_THREADS) || st.coreCount());
    for (const n of [1, 2, 3]) {
      await st.setBackend('cpu');
      await st.setThreads(n);
      await st.setBackend('wasm');
      expect(st.getThreads()).toBe(n);
      expect(st.threadsInfo().active).toBe(n);
      expect(st.threadsInfo().build).toBe(n > 1 ? 'threaded-simd' : 'simd');
      // The instance the engine computes on has that pool (a stray start of tfjs' own
      // single-threaded build once replaced it while the records said 'threaded-simd').
      expect(enginePool()).toBe(n);
      // the module computes: a matMul against cpu
      const a = tf.randomNormal([64, 96], 0, 1, 'float32', n);
      const b = tf.randomNormal([96, 80], 0, 1, 'float32', n + 1);
      const c = tf.matMul(a, b);
      const got = c.dataSync();
      const aa = a.dataSync(), bb = b.dataSync();
      let worst = 0;
      for (const [i, j] of [[0, 0], [63, 79], [17, 41]] as const) {
        let s = 0;
        for (let k = 0; k < 96; k++) s += aa[i * 96 + k]! * bb[k * 80 + j]!;
        worst = Math.max(worst, Math.abs(s - got[i * 80 + j]!));
      }
      expect(worst).toBeLessThan(1e-3);
      tf.dispose([a, b, c]);
    }
  });

  it('gives the same weights for the same seed and thread count', async () => {
    const { weights: a } = await trainedWeights(2);
    // The first run on a backend fills its caches (constants); a second one must leave nothing.
    const { weights: b, leaked, leakedBuffers } = await trainedWeights(2);
    expect(leaked, 'tensors left by fit with 2 threads').toBe(0);
    expect(leakedBuffers, 'wasm buffers left by fit with 2 threads').toBe(0);
    a.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(b[i]!)));
    // One thread agrees closely (sums may associate differently across builds).
    const { weights: c } = await trainedWeights(1);
    a.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - c[i]![j]!)).toBeLessThan(1e-3)));
  });

  it('refuses to change threads while the wasm backend holds tensors', async () => {
    await st.setThreads(2);
    await st.setBackend('wasm');
    const t = tf.ones([2]);
    await expect(st.setThreads(1)).rejects.toThrow(/holds \d+ tensor/);
    t.dispose();
    await expect(st.setThreads(0)).rejects.toThrow(st.ValueError);
    await st.setThreads(1);
    expect(st.getThreads()).toBe(1);
  });

  it("runs strata's own wasm kernels (conv backprop, max-pool gradient) on the threaded build as on cpu", async () => {
    const grads = async (backend: 'cpu' | 'wasm') => {
      await st.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 11);
        const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 12);
        const f = (a: st.tf.Tensor, b: st.tf.Tensor) => tf.sum(tf.square(tf.maxPool(tf.conv2d(a as st.tf.Tensor4D, b as st.tf.Tensor4D, 1, 'same'), 2, 2, 'valid')));
        return tf.grads(f)([x, w]).map((g) => Array.from(g.dataSync()));
      });
    };
    await st.setThreads(2);
    const wasm = await grads('wasm');
    expect(st.threadsInfo().build).toBe('threaded-simd');
    const cpu = await grads('cpu');
    wasm.forEach((g, i) => g.forEach((v, j) => expect(Math.abs(v - cpu[i]![j]!)).toBeLessThan(1e-3 * Math.max(1, Math.abs(cpu[i]![j]!)))));
  });
});
