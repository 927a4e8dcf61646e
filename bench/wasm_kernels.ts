/**
 * Speed of strata's wasm kernels: matMul with transposed operands (the backend's own
 * kernel against strata's wrapper) and one training step of a small MNIST-sized CNN
 * (conv32-pool-conv64-pool-dense128-dense10, batch 128, Adam) on wasm and, with `--cpu`,
 * on the cpu backend. Times are CPU time of this process (user + system), which stays
 * meaningful on a shared machine; the minimum over repetitions is reported.
 *
 * tfjs-core's gradient registrations only load when bundled (see tsup.config.ts), so
 * bundle first, then run:
 *
 *   npx tsup bench/wasm_kernels.ts --format esm --no-dts --out-dir bench/out
 *   node bench/out/wasm_kernels.js [--cpu] [--steps N]
 */
import { tf } from '../src/backend/tf.js';
import { ready, setBackend } from '../src/backend/backends.js';
import { originalWasmKernel } from '../src/backend/kernels/index.js';

const args = process.argv.slice(2);
const withCpu = args.includes('--cpu');
const stepsArg = args.indexOf('--steps');
const steps = stepsArg >= 0 ? Number(args[stepsArg + 1]) : 10;

function clock(): [number, number] {
  const u = process.cpuUsage();
  return [(u.user + u.system) / 1000, performance.now()];
}

/** Runs `f` `reps` times after one warm-up; returns the fastest run as [cpu ms, wall ms]. */
function measure(f: () => void, reps: number): [number, number] {
  f();
  let best: [number, number] = [Infinity, Infinity];
  for (let i = 0; i < reps; i++) {
    const [c0, w0] = clock();
    f();
    const [c1, w1] = clock();
    if (c1 - c0 < best[0]) best = [c1 - c0, w1 - w0];
  }
  return best;
}

function matMulBench(): void {
  const original = originalWasmKernel('BatchMatMul');
  const current = tf.getKernel('BatchMatMul', 'wasm');
  if (!original || !current) throw new Error('wasm BatchMatMul is not wrapped; was registerWasmKernels() called?');
  console.log('matMul on wasm, GFLOP/s (cpu time), backend kernel -> strata wrapper');
  for (const [m, k, n] of [
    [128, 784, 256],
    [784, 128, 256],
    [128, 256, 784],
  ] as const) {
    const row: string[] = [];
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
    ] as const) {
      const a = tf.randomNormal(ta ? [k, m] : [m, k]);
      const b = tf.randomNormal(tb ? [n, k] : [k, n]);
      // A new `b` every call, as in training (weights change each step): XNNPACK then
      // packs it again; with the same `b` it would reuse a cached packing.
      const rate = (config: tf.KernelConfig) => {
        const [cpuMs] = measure(() => {
          const fresh = tf.add(b, 0);
          const out = config.kernelFunc({
            inputs: { a, b: fresh },
            backend: tf.backend(),
            attrs: { transposeA: ta, transposeB: tb },
          }) as tf.TensorInfo;
          tf.backend().disposeData(out.dataId);
          fresh.dispose();
        }, 10);
        return ((2 * m * k * n) / cpuMs / 1e6).toFixed(1);
      };
      const label = ta ? 'tA' : tb ? 'tB' : 'plain';
      row.push(`${label} ${rate(original)} -> ${rate(current)}`);
      tf.dispose([a, b]);
    }
    console.log(`  ${m}x${k}x${n}: ${row.join(' | ')}`);
  }
}

function makeCnn(): { vars: tf.Variable[]; loss: (x: tf.Tensor4D, y: tf.Tensor) => tf.Scalar } {
  const glorot = (shape: number[], fanIn: number, fanOut: number) =>
    tf.variable(tf.mul(tf.randomUniform(shape, -1, 1, 'float32', 7), Math.sqrt(6 / (fanIn + fanOut))));
  const w1 = glorot([3, 3, 1, 32], 9, 288);
  const b1 = tf.variable(tf.zeros([32]));
  const w2 = glorot([3, 3, 32, 64], 288, 576);
  const b2 = tf.variable(tf.zeros([64]));
  const w3 = glorot([1600, 128], 1600, 128);
  const b3 = tf.variable(tf.zeros([128]));
  const w4 = glorot([128, 10], 128, 10);
  const b4 = tf.variable(tf.zeros([10]));
  const loss = (x: tf.Tensor4D, y: tf.Tensor) => {
    let h = tf.relu(tf.add(tf.conv2d(x, w1 as tf.Tensor4D, 1, 'valid'), b1));
    h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
    h = tf.relu(tf.add(tf.conv2d(h as tf.Tensor4D, w2 as tf.Tensor4D, 1, 'valid'), b2));
    h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
    const flat = tf.reshape(h, [x.shape[0], 1600]);
    const d = tf.fused.matMul({ a: flat as tf.Tensor2D, b: w3 as tf.Tensor2D, bias: b3, activation: 'relu' });
    const logits = tf.fused.matMul({ a: d, b: w4 as tf.Tensor2D, bias: b4 });
    return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
  };
  return { vars: [w1, b1, w2, b2, w3, b3, w4, b4], loss };
}

async function cnnStep(backend: 'wasm' | 'cpu', reps: number): Promise<void> {
  await setBackend(backend);
  const x = tf.randomUniform([128, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y = tf.oneHot(tf.randomUniform([128], 0, 10, 'int32', 2) as tf.Tensor1D, 10);
  const { vars, loss } = makeCnn();
  const opt = tf.train.adam(1e-3);
  const step = () => {
    const l = opt.minimize(() => loss(x, y), true, vars);
    l?.dataSync();
    l?.dispose();
  };
  const [cpuMs, wallMs] = measure(step, reps);
  console.log(
    `CNN training step on ${backend}, batch 128: ${cpuMs.toFixed(0)} ms cpu time ` +
      `(${wallMs.toFixed(0)} ms wall), ${((128 / cpuMs) * 1000).toFixed(0)} samples/s`,
  );
  opt.dispose();
  tf.dispose([x, y, ...vars]);
}

await ready();
await setBackend('wasm');
matMulBench();
await cnnStep('wasm', steps);
if (withCpu) await cnnStep('cpu', 1);
