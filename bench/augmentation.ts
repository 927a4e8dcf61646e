/**
 * What data augmentation costs inside training: a randomFlip + randomRotation + randomZoom
 * stack in front of the benchmark CNN (conv32-pool-conv64-pool-dense128-dense10, batch 128,
 * 28×28×1, Adam), against the same CNN without it. Both models run `fit` on the same
 * batches in turns (A B A B), and CPU time (user + system) is compared, which a shared
 * machine disturbs less than wall time. It also times the stack alone on one batch.
 *
 *   npm run build && node --import tsx bench/augmentation.ts [--backend wasm|cpu] [--batches 8] [--reps 3] [--quick]
 */
import * as st from 'strata';

const { tf } = st;
const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const quick = args.includes('--quick');
const backend = opt('backend', 'wasm') as 'wasm' | 'cpu';
const batches = Number(opt('batches', quick ? '2' : '8'));
const reps = Number(opt('reps', quick ? '1' : '3'));
const BATCH = 128;

function augmentation(): st.Layer[] {
  return [
    st.layers.randomFlip({ mode: 'horizontal', seed: 1 }),
    st.layers.randomRotation({ factor: 0.05, seed: 2 }),
    st.layers.randomZoom({ heightFactor: 0.1, seed: 3 }),
  ];
}

function cnn(withAugmentation: boolean) {
  const net = st.sequential([
    st.layers.input({ shape: [28, 28, 1] }),
    ...(withAugmentation ? augmentation() : []),
    st.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: st.initializers.glorotUniform({ seed: 1 }) }),
    st.layers.maxPooling2d({ poolSize: 2 }),
    st.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: st.initializers.glorotUniform({ seed: 2 }) }),
    st.layers.maxPooling2d({ poolSize: 2 }),
    st.layers.flatten(),
    st.layers.dense({ units: 128, activation: 'relu', kernelInitializer: st.initializers.glorotUniform({ seed: 3 }) }),
    st.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: 4 }) }),
  ]);
  net.compile({ optimizer: st.optimizers.adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy' });
  return net;
}

/** CPU seconds (user + system) and wall seconds of `f`. */
async function timed(f: () => Promise<unknown>): Promise<{ cpu: number; wall: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000 };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function main(): Promise<void> {
  await st.setBackend(backend);
  const x = tf.randomUniform([batches * BATCH, 28, 28, 1], 0, 1, 'float32', 1);
  const y = tf.floor(tf.randomUniform([batches * BATCH], 0, 10, 'float32', 2));
  const plain = cnn(false);
  const aug = cnn(true);
  const fit = (m: ReturnType<typeof cnn>) => m.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0, shuffle: false });
  await fit(plain);
  await fit(aug);
  const a: { cpu: number; wall: number }[] = [];
  const b: { cpu: number; wall: number }[] = [];
  for (let r = 0; r < reps; r++) {
    a.push(await timed(() => fit(plain)));
    b.push(await timed(() => fit(aug)));
  }
  const stack = augmentation();
  const xb = tf.slice(x, [0], [BATCH]);
  const run = () => tf.tidy(() => stack.reduce<st.tf.Tensor>((t, l) => l.apply(t, { training: true }) as st.tf.Tensor, xb));
  tf.dispose(run());
  const alone: number[] = [];
  for (let r = 0; r < Math.max(3, reps); r++) alone.push((await timed(async () => tf.dispose(run()))).cpu);
  const stepA = median(a.map((t) => t.cpu)) / batches;
  const stepB = median(b.map((t) => t.cpu)) / batches;
  const overhead = (stepB - stepA) / stepA;
  console.log(`backend ${backend}, batch ${BATCH}, ${batches} batches x ${reps} reps (CPU time, median)`);
  console.log(`CNN training step:                         ${(stepA * 1000).toFixed(1)} ms`);
  console.log(`flip+rotation+zoom + CNN training step:    ${(stepB * 1000).toFixed(1)} ms  (+${(overhead * 100).toFixed(1)} %)`);
  console.log(`flip+rotation+zoom alone, one batch:       ${(median(alone) * 1000).toFixed(1)} ms  (${((median(alone) / stepA) * 100).toFixed(1)} % of a step)`);
  console.log(`wall time of the steps: ${(median(a.map((t) => t.wall)) / batches * 1000).toFixed(1)} / ${(median(b.map((t) => t.wall)) / batches * 1000).toFixed(1)} ms`);
  tf.dispose([x, y, xb]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
