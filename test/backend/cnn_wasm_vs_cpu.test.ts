import { afterAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

afterAll(async () => {
  await st.setBackend('cpu');
});

async function train(backend: 'cpu' | 'wasm'): Promise<{ weights: number[][]; losses: number[] }> {
  await st.setBackend(backend);
  // Learnable data: each class is a fixed random image plus noise.
  const y = tf.tidy(() => tf.cast(tf.floor(tf.randomUniform([64], 0, 10, 'float32', 4)), 'int32'));
  const x = tf.tidy(() => tf.add(tf.gather(tf.randomUniform([10, 28, 28, 1], 0, 1, 'float32', 5), y), tf.randomUniform([64, 28, 28, 1], 0, 0.3, 'float32', 3)));
  const init = (seed: number) => st.initializers.glorotUniform({ seed });
  const net = st.sequential([
    st.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1], kernelInitializer: init(1) }),
    st.layers.maxPooling2d({ poolSize: 2 }),
    st.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(2) }),
    st.layers.maxPooling2d({ poolSize: 2 }),
    st.layers.flatten(),
    st.layers.dense({ units: 32, activation: 'relu', kernelInitializer: init(3) }),
    st.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(4) }),
  ]);
  const optimizer = st.optimizers.adam({ learningRate: 1e-2 });
  net.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  const h = await net.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
  const list = net.getWeights();
  const weights = list.map((w) => Array.from(w.dataSync()));
  tf.dispose([x, y]);
  if (list.some((w) => !w.isDisposed)) tf.dispose(list);
  net.dispose();
  optimizer.dispose();
  return { weights, losses: h.history.loss as number[] };
}

// On wasm, Adam updates each weight in place, and tfjs' XNNPACK operators cache packed
// copies of weights: this checks the whole loop (threads, fused update, cache refresh,
// heap Slice) against the cpu backend.
describe('a small CNN trains alike on wasm (threads, fused Adam, heap Slice) and cpu', () => {
  it('gives the same losses and weights', async () => {
    const cpu = await train('cpu');
    const wasm = await train('wasm');
    // The step size is large enough that training moves: a forward pass on stale weights shows.
    expect(cpu.losses[2]!).toBeLessThan(cpu.losses[0]! - 0.05);
    wasm.losses.forEach((l, i) => expect(Math.abs(l - cpu.losses[i]!), `epoch ${i}: ${l} vs ${cpu.losses[i]}`).toBeLessThan(1e-2));
    wasm.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - cpu.weights[i]![j]!)).toBeLessThan(1e-3)));
  });
});
