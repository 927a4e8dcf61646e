/**
 * Shared pieces of the transfer-learning tests: weight snapshots compared byte for byte,
 * summary counts, and a small CNN with BatchNorm on random 8×8 images.
 */
import * as st from '../../src/index.js';

const { tf } = st;

/** Raw bytes of every weight, by full name. */
export function snapshot(net: st.Network): Map<string, Uint8Array> {
  return new Map(net.weights.map((w) => [w.name, new Uint8Array(w.read().dataSync().slice().buffer)]));
}

/** Names of the weights whose bytes differ between two snapshots. */
export function changed(a: Map<string, Uint8Array>, b: Map<string, Uint8Array>): string[] {
  return [...a.keys()].filter((k) => !Buffer.from(a.get(k)!).equals(Buffer.from(b.get(k)!)));
}

/** Parses the total / trainable / non-trainable counts out of the printed summary. */
export function summaryCounts(net: st.Network): { total: number; trainable: number; nonTrainable: number } {
  const lines: string[] = [];
  net.summary({ printFn: (l) => lines.push(l) });
  const read = (prefix: string) => Number(lines.find((l) => l.startsWith(prefix))!.slice(prefix.length).replace(/,/g, ''));
  return { total: read('Total params:'), trainable: read('Trainable params:'), nonTrainable: read('Non-trainable params:') };
}

/** A seeded Glorot-uniform initializer. */
export const seeded = (seed: number) => st.initializers.glorotUniform({ seed });

/**
 * A small CNN on 8×8×1 images with BatchNorm: c1 (40 params), bn1 (8 + 8 statistics),
 * c2 (148), bn2 (8 + 8), flatten, d1 (256·8 + 8 = 2056), out (8·3 + 3 = 27).
 */
export function cnn(): st.Model {
  const inp = st.layers.input({ shape: [8, 8, 1] });
  let h = st.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c1', kernelInitializer: seeded(1) }).apply(inp);
  h = st.layers.batchNormalization({ name: 'bn1', momentum: 0.5 }).apply(h);
  h = st.layers.reLU().apply(h);
  h = st.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c2', kernelInitializer: seeded(2) }).apply(h);
  h = st.layers.batchNormalization({ name: 'bn2', momentum: 0.5 }).apply(h);
  h = st.layers.flatten().apply(h);
  h = st.layers.dense({ units: 8, activation: 'relu', name: 'd1', kernelInitializer: seeded(3) }).apply(h);
  const out = st.layers.dense({ units: 3, activation: 'softmax', name: 'out', kernelInitializer: seeded(4) }).apply(h);
  return st.model({ inputs: inp, outputs: out });
}

/** The parameter count of {@link cnn}. */
export const CNN_TOTAL = 40 + 16 + 148 + 16 + 2056 + 27;

/** Images with an offset of 2 (so BatchNorm statistics move) and 3 classes in turn. */
export function images(n: number, seed = 7): { x: st.tf.Tensor; y: st.tf.Tensor } {
  const x = tf.tidy(() => tf.add(tf.randomNormal([n, 8, 8, 1], 0, 1, 'float32', seed), 2));
  const y = tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32');
  return { x, y };
}

/** Compiles with Adam, sparse categorical cross-entropy and accuracy. */
export function compileAdam(net: st.Model | st.Sequential, learningRate = 0.01): void {
  net.compile({ optimizer: st.optimizers.adam({ learningRate }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
}
