// Transfer learning with a small data set, on real MNIST digits. As when an ImageNet
// network is fine-tuned on a few hundred labelled images, a small CNN is first trained on
// the digits 0–4; its convolutional base (everything below the classifier layers) then
// learns the digits 5–9 from 300, 600 and 900 labelled images (the course deck's sizes),
// and from 30 and 60, three ways:
//   - base frozen: the pretrained base as a fixed feature extractor under a new softmax
//     head (flatten + Dense), the only trained part;
//   - 10 % trainable: the same, with the top 10 % of the base's layers trained as well;
//   - from scratch: the same architecture, randomly initialised, everything trained.
// All runs get the same optimizer, batch size and number of epochs. Accuracy is measured
// on the training images and on held-out 5–9 digits from the MNIST test set.
// `--quick` is a small smoke run (fewer images and epochs).
import * as st from 'strata';

const { tf } = st;
const quick = process.argv.includes('--quick');
const settings = quick
  ? { pretrainImages: 6000, pretrainEpochs: 1, sizes: [300], epochs: 8, trainLimit: 14000, testLimit: 2000 }
  : { pretrainImages: 15000, pretrainEpochs: 2, sizes: [30, 60, 300, 600, 900], epochs: 20, trainLimit: 60000, testLimit: 10000 };
const OLD = [0, 1, 2, 3, 4];
const NEW = [5, 6, 7, 8, 9];
const batchSize = 32;

const backend = await st.ready();
console.log(`backend: ${backend}${quick ? ' (quick run)' : ''}`);
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const tStart = performance.now();

const mnist = st.datasets.mnist({ trainLimit: settings.trainLimit, testLimit: settings.testLimit });
const oldTrain = st.datasets.filterClasses(mnist.xTrain, mnist.yTrain, OLD);
const oldPretrain = st.datasets.take(oldTrain.x, oldTrain.y, settings.pretrainImages);
const oldTest = st.datasets.filterClasses(mnist.xTest, mnist.yTest, OLD);
// Labels of the new task are renumbered 0..4 (digit 5 is class 0), for a 5-way head.
const newAll = st.datasets.filterClasses(mnist.xTrain, mnist.yTrain, NEW);
const newPool = st.datasets.shuffle(newAll.x, newAll.y, { seed: 7 });
const newTest = st.datasets.filterClasses(mnist.xTest, mnist.yTest, NEW);
tf.dispose([mnist.xTrain, mnist.yTrain, mnist.xTest, mnist.yTest, oldTrain.x, oldTrain.y, newAll.x, newAll.y]);
console.log(`pretraining on ${oldPretrain.x.shape[0]} images of 0–4; the new task draws from ${newPool.x.shape[0]} images of 5–9 ` +
  `and is validated on ${newTest.x.shape[0]} held-out ones`);

/**
 * The CNN, as a functional model so that it can be cut at any layer: a convolutional base
 * (conv1 … conv3) under the classifier layers (features, digits).
 */
function cnn(name: string, classifier = true): st.Model {
  const inp = st.layers.input({ shape: [28, 28, 1], name: 'image' });
  let h = st.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', name: 'conv1' }).apply(inp);
  h = st.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(h);
  h = st.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', name: 'conv2' }).apply(h);
  h = st.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }).apply(h);
  h = st.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', name: 'conv3' }).apply(h);
  return st.model({ inputs: inp, outputs: classifier ? classify(h, 64) : head(h), name });
}

/** The classifier of the pretraining task. */
function classify(h: st.SymbolicTensor, units: number): st.SymbolicTensor {
  h = st.layers.flatten({ name: 'flatten' }).apply(h);
  h = st.layers.dense({ units, activation: 'relu', name: 'features' }).apply(h);
  return st.layers.dense({ units: 5, activation: 'softmax', name: 'digits' }).apply(h);
}

/** The new head for the digits 5–9. */
function head(h: st.SymbolicTensor): st.SymbolicTensor {
  h = st.layers.flatten({ name: 'new_flatten' }).apply(h);
  return st.layers.dense({ units: 5, activation: 'softmax', name: 'new_digits' }).apply(h);
}

function compile(net: st.Model): void {
  net.compile({ optimizer: st.optimizers.adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
}

// 1. Pretraining on the old task.
const pretrained = cnn('pretrained_0_4');
compile(pretrained);
let t0 = performance.now();
await pretrained.fit(oldPretrain.x, oldPretrain.y, { epochs: settings.pretrainEpochs, batchSize: 64, verbose: 0 });
const pretrainSeconds = seconds(t0);
const oldScores = await pretrained.evaluate(oldTest.x, oldTest.y, { batchSize: 512 });
console.log(`pretrained on 0–4 in ${pretrainSeconds.toFixed(1)} s: test accuracy on 0–4 ${oldScores.accuracy!.toFixed(4)}`);
tf.dispose([oldPretrain.x, oldPretrain.y, oldTest.x, oldTest.y]);
const pretrainedWeights = pretrained.getWeights();

// 2. The new task. The base is the pretrained network cut below its classifier (Keras'
// `include_top=False`); new models share the base's layers, so the pretrained weights
// are restored before each run.
const base = st.model({ inputs: pretrained.inputs, outputs: pretrained.getLayer('conv3').output });

function transferModel(mode: 'frozen' | 'top10'): st.Model {
  pretrained.setWeights(pretrainedWeights);
  const net = st.model({ inputs: base.inputs, outputs: head(base.outputs[0]!), name: `transfer_${mode}` });
  base.freeze();
  if (mode === 'top10') base.unfreeze({ fraction: 0.1 });
  return net;
}

interface Row { size: number; model: string; trainable: number; train: number; val: number; seconds: number }
const rows: Row[] = [];
// Transfer models share the base's layers, and disposing a model frees its layers: they
// are all disposed at the end, after the pretrained model.
const models: st.Model[] = [];
const modes = [
  ['base frozen', () => transferModel('frozen')],
  ['10 % trainable', () => transferModel('top10')],
  ['from scratch', () => cnn('scratch', false)],
] as const;

const probe = transferModel('top10');
console.log(`\n"10 % trainable" trains ${base.layers.filter((l) => l.trainable && l.countParams() > 0).map((l) => l.name).join(', ')} ` +
  `of the base, plus the new head:`);
probe.summary();

for (const size of settings.sizes) {
  const train = st.datasets.take(newPool.x, newPool.y, size);
  for (const [name, make] of modes) {
    const net = make();
    compile(net);
    t0 = performance.now();
    await net.fit(train.x, train.y, { epochs: settings.epochs, batchSize, verbose: 0 });
    const fitSeconds = seconds(t0);
    const trainScores = await net.evaluate(train.x, train.y, { batchSize: 512 });
    const valScores = await net.evaluate(newTest.x, newTest.y, { batchSize: 512 });
    const trainable = net.trainableWeights.reduce((a, w) => a + w.size, 0);
    rows.push({ size, model: name, trainable, train: trainScores.accuracy!, val: valScores.accuracy!, seconds: fitSeconds });
    console.log(`  ${size} images, ${name}: val accuracy ${valScores.accuracy!.toFixed(4)} (${fitSeconds.toFixed(1)} s)`);
    models.push(net);
  }
  tf.dispose([train.x, train.y]);
}

// 3. The table, as in the course deck: training set size, train and validation accuracy.
const pad = (s: string, n: number) => s.padEnd(n);
console.log(`\nDigits 5–9 learned from few labelled images (${settings.epochs} epochs, Adam 1e-3, batch ${batchSize}; ` +
  `validation: ${newTest.x.shape[0]} held-out test images)`);
console.log(`${pad('training set', 14)}${pad('model', 17)}${pad('trainable params', 18)}${pad('train acc', 11)}${pad('val acc', 9)}fit time`);
for (const r of rows) {
  console.log(`${pad(String(r.size), 14)}${pad(r.model, 17)}${pad(r.trainable.toLocaleString('en-US'), 18)}` +
    `${pad(r.train.toFixed(4), 11)}${pad(r.val.toFixed(4), 9)}${r.seconds.toFixed(1)} s`);
}
// How much each use of the pretrained base gains over training from scratch, per size.
for (const size of settings.sizes) {
  const at = (model: string) => rows.find((r) => r.size === size && r.model === model)!.val;
  const gains = ['base frozen', '10 % trainable'].map((model) => {
    const gain = (at(model) - at('from scratch')) * 100;
    return `"${model}" ${gain >= 0 ? '+' : '−'}${Math.abs(gain).toFixed(1)}`;
  });
  console.log(`With ${size} images, points of validation accuracy over training from scratch: ${gains.join(', ')}`);
}
console.log(`pretraining ${pretrainSeconds.toFixed(1)} s; total ${seconds(tStart).toFixed(1)} s`);

tf.dispose([...pretrainedWeights, newPool.x, newPool.y, newTest.x, newTest.y]);
pretrained.dispose();
for (const m of [probe, ...models]) m.dispose();
