import { expect } from 'vitest';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';

/** Deterministic values in [-1, 1) from a seed (Park–Miller), so cases replay exactly. */
export function values(n: number, seed: number): Float32Array {
  let s = (Math.abs(Math.floor(seed)) % 2147483646) + 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 48271) % 2147483647;
    out[i] = (2 * s) / 2147483647 - 1;
  }
  return out;
}

/** A float32 tensor of the given shape filled from `seed`. */
export function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed), shape, 'float32');
}

type Outputs = tf.Tensor | tf.Tensor[];

/** Data ids the active backend holds: counts intermediate buffers a kernel forgot to free. */
function backendBuffers(): number {
  return tf.engine().backend.numDataIds();
}

/**
 * Runs `f` on one backend and returns its outputs as arrays. Fails if `f` leaves a
 * tensor behind or if the backend holds more buffers afterwards than before.
 */
export async function runOn(backend: 'cpu' | 'wasm', f: () => Outputs): Promise<Float32Array[]> {
  await setBackend(backend);
  const tensors = tf.memory().numTensors;
  const buffers = backendBuffers();
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const arrays = list.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(list);
  expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(tensors);
  expect(backendBuffers(), `buffers leaked on ${backend}`).toBe(buffers);
  return arrays;
}

/** Largest |a−e| over the larger of 1 and the largest |e|: relative error of the tensor. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return worst / scale;
}

/** Asserts every output agrees within `tol` relative error. */
export function expectAllClose(actual: Float32Array[], expected: Float32Array[], tol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const err = relativeError(a, expected[i]!);
    expect(err, `output ${i}: relative error ${err}`).toBeLessThanOrEqual(tol);
  });
}

/** Runs `f` on cpu and on wasm (inputs rebuilt from seeds on each) and compares. */
export async function expectWasmMatchesCpu(f: () => Outputs, tol = 1e-4): Promise<void> {
  const cpu = await runOn('cpu', f);
  const wasm = await runOn('wasm', f);
  expectAllClose(wasm, cpu, tol);
}

/** `engine.runKernel` for kernels without a public op. */
export function kernel(name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
}

/** Output size of a convolution or pooling along one axis, as tfjs computes it. */
export function outSize(size: number, k: number, stride: number, pad: 'same' | 'valid', dilation = 1): number {
  const eff = (k - 1) * dilation + 1;
  return pad === 'same' ? Math.ceil(size / stride) : Math.floor((size - eff) / stride) + 1;
}

/**
 * Test-local zero insertion: `[kH, kW, a, b]` → `[(kH-1)d+1, (kW-1)d+1, a, b]`, built
 * from a buffer so that it shares no code with the implementation under test.
 */
export function spreadByBuffer(filter: tf.Tensor4D, d: number): tf.Tensor4D {
  const [kh, kw, a, b] = filter.shape;
  const src = filter.dataSync();
  const h = (kh - 1) * d + 1;
  const w = (kw - 1) * d + 1;
  const out = new Float32Array(h * w * a * b);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      out.set(src.subarray((i * kw + j) * a * b, (i * kw + j + 1) * a * b), (i * d * w + j * d) * a * b);
    }
  }
  return tf.tensor4d(out, [h, w, a, b]);
}

/** A zero-insertion that is differentiable: the spread filter as a matrix product with a 0/1 selector. */
export function spreadByMatMul(filter: tf.Tensor4D, d: number): tf.Tensor4D {
  const [kh, kw, a, b] = filter.shape;
  const h = (kh - 1) * d + 1;
  const w = (kw - 1) * d + 1;
  const sel = new Float32Array(h * w * kh * kw);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) sel[(i * d * w + j * d) * kh * kw + i * kw + j] = 1;
  const spread = tf.matMul(tf.tensor2d(sel, [h * w, kh * kw]), tf.reshape(filter, [kh * kw, a * b]));
  return tf.reshape(spread, [h, w, a, b]);
}

/**
 * Trains the model `layers()` builds (input `[5, 3]`, one output) for 2 SGD epochs on the
 * same seeded batch and the same starting weights on cpu and on wasm, and checks that wasm
 * ran `kernel` in its forward pass (cpu did not) and ended with cpu's losses and weights.
 */
export async function expectTrainsOnWasmAsOnCpu(layers: () => unknown[], kernel: string): Promise<void> {
  const st = await import('../../src/index.js');
  let initial: number[][] | undefined;
  const run = async (backend: 'cpu' | 'wasm') => {
    await setBackend(backend);
    const model = st.sequential(layers() as Parameters<typeof st.sequential>[0]);
    initial ??= model.getWeights().map((w) => Array.from(w.dataSync()));
    const start = model.getWeights().map((w, i) => tf.tensor(initial![i]!, w.shape));
    model.setWeights(start);
    tf.dispose(start);
    const x = seeded([4, 5, 3], 7);
    const y = seeded([4, 1], 8);
    const kernels = (await tf.profile(() => tf.dispose(model.predict(x) as tf.Tensor))).kernelNames;
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const history = await model.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    tf.dispose([x, y]);
    model.dispose();
    return { kernels, loss: history.history.loss as number[], weights };
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  expect(wasm.kernels).toContain(kernel);
  expect(cpu.kernels).not.toContain(kernel);
  wasm.loss.forEach((l, i) => expect(l).toBeCloseTo(cpu.loss[i]!, 5));
  wasm.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - cpu.weights[i]![j]!)).toBeLessThanOrEqual(1e-5)));
}
