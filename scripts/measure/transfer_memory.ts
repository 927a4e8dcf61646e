// Peak memory of fine-tuning the pretrained MobileNetV2 (nsfwjs' weights) on 200 MNIST
// digits at 224 × 224 × 3: head 2 epochs, then the top 10 % of the base 1 epoch.
//   node --import tsx scripts/measure/transfer_memory.ts <mode> [batch size, default 32]
// mode: `tape-all` (every layer's activations on the gradient tape, as strata did before
// frozen parts ran ahead of it), `split` (the default now), `cache` (split, and the head
// phase on features computed once: fineTune({ cacheFeatures: true })).
// Prints the process's peak resident set (getrusage maxrss) and the time taken.
import * as st from 'strata';

const mode = process.argv[2] ?? 'split';
if (!['tape-all', 'split', 'cache'].includes(mode)) throw new Error(`mode must be tape-all, split or cache; got ${mode}`);
const batchSize = Number(process.argv[3] ?? 32);
const { tf } = st;
await st.ready();
const t0 = performance.now();
const size = 224;
const mnist = st.datasets.mnist({ trainLimit: 200, testLimit: 1 });
const x = tf.tidy(() => st.applications.mobileNetV2.preprocessInput(
  tf.mul(tf.tile(tf.image.resizeBilinear(mnist.xTrain as st.tf.Tensor4D, [size, size]), [1, 1, 1, 3]), 255)));
tf.dispose([mnist.xTrain, mnist.xTest, mnist.yTest]);

const base = await st.applications.mobileNetV2({ weights: 'nsfwjs', includeTop: false, inputShape: [size, size, 3] });
const net = st.transfer.addHead(base, { units: 10, dropout: 0.2 });
if (mode === 'tape-all') {
  // The step as it was: the whole forward pass under the gradient tape.
  net.splitForward = (inputs, ctx) => () => net.forward(inputs, ctx);
}
const r = await st.transfer.fineTune(net, x, mnist.yTrain, {
  base, loss: 'sparseCategoricalCrossentropy', headEpochs: 2, fineTuneEpochs: 1, unfreeze: { fraction: 0.1 },
  batchSize, learningRate: 3e-3, cacheFeatures: mode === 'cache', verbose: 0,
});
const seconds = (performance.now() - t0) / 1000;
const acc = r.fineTune!.history.accuracy!.at(-1)!;
console.log(JSON.stringify({
  mode, batchSize, backend: st.getBackend(), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), seconds: Math.round(seconds),
  trainAccuracy: Number(acc.toFixed(3)),
}));
