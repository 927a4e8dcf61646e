// Transfer learning from a real pretrained network. The backbone is the Keras-trained
// MobileNetV2 shipped in the nsfwjs package (ImageNet weights, its top blocks fine-tuned
// by nsfwjs), built by `st.applications.mobileNetV2({ weights: 'nsfwjs', includeTop: false })`
// up to its last feature map `out_relu`. The new task is real data that it never saw: MNIST digits,
// resized to the network's input size and repeated over 3 channels. Two phases:
//   1. the backbone frozen, a new head trained (global average pooling, dropout, softmax);
//   2. the top block unfrozen (its BatchNorm layers kept frozen, in inference mode) and
//      everything trained on with a new optimizer at a 10× lower learning rate.
// `--quick` uses fewer images and epochs (a CI smoke run).
import * as st from 'strata';

const { tf } = st;
const quick = process.argv.includes('--quick');
const settings = quick
  ? { train: 200, test: 200, size: 96, headEpochs: 4, fineTuneEpochs: 2, batchSize: 16 }
  : { train: 600, test: 500, size: 96, headEpochs: 5, fineTuneEpochs: 3, batchSize: 32 };
const learningRate = 3e-3;
const backend = await st.ready();
console.log(`backend: ${backend}${quick ? ' (quick run)' : ''}`);
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const tStart = performance.now();

// The backbone, frozen. Its layers arrive with the trainable flags nsfwjs saved; freezing
// the whole model makes the starting point explicit.
let t0 = performance.now();
const base = await st.applications.mobileNetV2({ weights: 'nsfwjs', includeTop: false, inputShape: [settings.size, settings.size, 3] });
base.freeze();
const features = base.getLayer('out_relu');
console.log(`MobileNetV2 backbone: ${base.layers.length} layers, ${base.countParams().toLocaleString('en-US')} weights, ` +
  `input ${JSON.stringify(base.inputShapes[0])}, features '${features.name}' ${JSON.stringify(base.outputShapes[0])} ` +
  `(loaded in ${seconds(t0).toFixed(1)} s)`);

/** MNIST images as the backbone expects them: size × size × 3, scaled to [-1, 1] by its preprocessInput. */
function toRgb(x: st.tf.Tensor): st.tf.Tensor4D {
  return tf.tidy(() => st.applications.mobileNetV2.preprocessInput(
    tf.mul(tf.tile(tf.image.resizeBilinear(x as st.tf.Tensor4D, [settings.size, settings.size]), [1, 1, 1, 3]), 255)) as st.tf.Tensor4D);
}
const mnist = st.datasets.mnist({ trainLimit: settings.train, testLimit: settings.test });
const xTrain = toRgb(mnist.xTrain);
const xTest = toRgb(mnist.xTest);
const { yTrain, yTest } = mnist;
tf.dispose([mnist.xTrain, mnist.xTest]);
console.log(`data: ${xTrain.shape[0]} training and ${xTest.shape[0]} test MNIST digits as ${JSON.stringify(xTrain.shape.slice(1))} images`);

// The new head on the feature layer.
let h = st.layers.globalAveragePooling2d({ name: 'head_pool' }).apply(features.output as st.SymbolicTensor);
h = st.layers.dropout({ rate: 0.2, name: 'head_dropout' }).apply(h);
const out = st.layers.dense({ units: 10, activation: 'softmax', name: 'head_output' }).apply(h);
const net = st.model({ inputs: base.inputs, outputs: out, name: 'mobilenet_digits' });
const summaryTail = (m: st.Model) => {
  const lines: string[] = [];
  m.summary({ printFn: (l) => lines.push(l) });
  return lines.filter((l) => / params:/.test(l)).join(', ');
};
console.log(`phase 1 model: ${summaryTail(net)}`);

const compile = (learningRate: number) => net.compile({
  optimizer: st.optimizers.adam({ learningRate }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'],
});
const evaluate = async (label: string) => {
  const scores = await net.evaluate(xTest, yTest, { batchSize: 64 });
  console.log(`${label}: test accuracy ${scores.accuracy!.toFixed(4)} (loss ${scores.loss!.toFixed(4)})`);
  return scores.accuracy!;
};
const verbose = process.stdout.isTTY ? 1 : 2;

// Phase 1: the head alone.
compile(learningRate);
t0 = performance.now();
await net.fit(xTrain, yTrain, { epochs: settings.headEpochs, batchSize: settings.batchSize, verbose });
const headSeconds = seconds(t0);
const afterHead = await evaluate(`after the head (${settings.headEpochs} epochs, ${headSeconds.toFixed(1)} s)`);

// Phase 2: unfreeze the top block and the last 1×1 convolution, keep BatchNorm frozen, and
// recompile with a new optimizer at a lower learning rate.
base.unfreeze({ from: 'block_16_expand' });
base.freeze((layer) => layer.className === 'BatchNormalization');
const thawed = base.layers.filter((l) => l.trainable && l.countParams() > 0).map((l) => l.name);
console.log(`phase 2 trains ${thawed.join(', ')} and the head: ${summaryTail(net)}`);
compile(learningRate / 10);
t0 = performance.now();
await net.fit(xTrain, yTrain, {
  epochs: settings.headEpochs + settings.fineTuneEpochs, initialEpoch: settings.headEpochs, batchSize: settings.batchSize, verbose,
});
const fineSeconds = seconds(t0);
const afterFine = await evaluate(`after fine-tuning (${settings.fineTuneEpochs} more epochs, ${fineSeconds.toFixed(1)} s)`);

console.log(`\ntest accuracy: head only ${afterHead.toFixed(4)} -> fine-tuned ${afterFine.toFixed(4)}; ` +
  `total ${seconds(tStart).toFixed(1)} s`);
tf.dispose([xTrain, xTest, yTrain, yTest]);
net.dispose();
