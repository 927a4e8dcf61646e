// Transfer learning with a small data set, on real MNIST digits: the course deck's table.
// As when an ImageNet network is fine-tuned on a few hundred labelled images, a small CNN
// is first trained on the digits 0–4; its convolutional base (everything below the
// classifier layers) then learns the digits 5–9 from 30, 60, 300, 600 and 900 labelled
// images, three ways, each without and with data augmentation:
//   - base frozen: the pretrained base as a fixed feature extractor under a new softmax
//     head (flatten + Dense), the only trained part;
//   - 10 % trainable: the same, with the top 10 % of the base's layers trained as well;
//   - from scratch: the same architecture, randomly initialised, everything trained;
//   - "+ aug": the same model behind random rotations (±5 % of a turn), zooms (±10 %) and
//     shifts (±10 %), layers that act only while training.
// All runs get the same optimizer, batch size and number of epochs, and every random
// choice (initial weights, shuffling, augmentation, the images drawn) is seeded, so the
// table repeats. Accuracy is measured on the training images and on held-out 5–9 digits
// from the MNIST test set. `--quick` is a small smoke run (fewer images and epochs).
import * as st from 'strata';

const { tf } = st;
const quick = process.argv.includes('--quick');
const settings = quick
  ? { pretrainImages: 6000, pretrainEpochs: 1, sizes: [300], epochs: 8, trainLimit: 14000, testLimit: 2000 }
  : { pretrainImages: 15000, pretrainEpochs: 2, sizes: [30, 60, 300, 600, 900], epochs: 20, trainLimit: 60000, testLimit: 10000 };
const OLD = [0, 1, 2, 3, 4];
const NEW = [5, 6, 7, 8, 9];
const batchSize = 32;
const seed = 42;
const init = (i: number) => st.initializers.glorotUniform({ seed: seed + i });

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
function cnn(name: string, classifier = true, augment = false): st.Model {
  const inp = st.layers.input({ shape: [28, 28, 1], name: 'image' });
  let h = augment ? augmentation(inp) : inp;
  h = st.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(1), name: 'conv1' }).apply(h);
  h = st.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(h);
  h = st.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: init(2), name: 'conv2' }).apply(h);
  h = st.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }).apply(h);
  h = st.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: init(3), name: 'conv3' }).apply(h);
  return st.model({ inputs: inp, outputs: classifier ? classify(h, 64) : head(h), name });
}

/** Random rotations, zooms and shifts, active only while training; seeded, so runs repeat. */
function augmentation(x: st.SymbolicTensor): st.SymbolicTensor {
  const fill = { fillMode: 'constant', fillValue: 0 } as const;
  x = st.layers.randomRotation({ factor: 0.05, seed: seed + 10, ...fill, name: 'aug_rotation' }).apply(x);
  x = st.layers.randomZoom({ heightFactor: 0.1, seed: seed + 11, ...fill, name: 'aug_zoom' }).apply(x);
  return st.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: seed + 12, ...fill, name: 'aug_shift' }).apply(x);
}

/** The classifier of the pretraining task. */
function classify(h: st.SymbolicTensor, units: number): st.SymbolicTensor {
  h = st.layers.flatten({ name: 'flatten' }).apply(h);
  h = st.layers.dense({ units, activation: 'relu', kernelInitializer: init(4), name: 'features' }).apply(h);
  return st.layers.dense({ units: 5, activation: 'softmax', kernelInitializer: init(5), name: 'digits' }).apply(h);
}

/** The new head for the digits 5–9. */
function head(h: st.SymbolicTensor): st.SymbolicTensor {
  h = st.layers.flatten({ name: 'new_flatten' }).apply(h);
  return st.layers.dense({ units: 5, activation: 'softmax', kernelInitializer: init(6), name: 'new_digits' }).apply(h);
}

function compile(net: st.Model): void {
  net.compile({ optimizer: st.optimizers.adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
}

// 1. Pretraining on the old task.
const pretrained = cnn('pretrained_0_4');
compile(pretrained);
let t0 = performance.now();
await pretrained.fit(oldPretrain.x, oldPretrain.y, { epochs: settings.pretrainEpochs, batchSize: 64, verbose: 0, seed });
const pretrainSeconds = seconds(t0);
const oldScores = await pretrained.evaluate(oldTest.x, oldTest.y, { batchSize: 512 });
console.log(`pretrained on 0–4 in ${pretrainSeconds.toFixed(1)} s: test accuracy on 0–4 ${oldScores.accuracy!.toFixed(4)}`);
tf.dispose([oldPretrain.x, oldPretrain.y, oldTest.x, oldTest.y]);
const pretrainedWeights = pretrained.getWeights();

// 2. The new task. The base is the pretrained network cut below its classifier (Keras'
// `include_top=False`); new models share the base's layers, so the pretrained weights
// are restored before each run.
const base = st.model({ inputs: pretrained.inputs, outputs: pretrained.getLayer('conv3').output });

function transferModel(mode: 'frozen' | 'top10', augment = false): st.Model {
  pretrained.setWeights(pretrainedWeights);
  let net: st.Model;
  if (augment) {
    // The base as one layer behind the augmentation layers (its own layers, shared).
    const inp = st.layers.input({ shape: [28, 28, 1], name: 'image_aug' });
    net = st.model({ inputs: inp, outputs: head(base.apply(augmentation(inp)) as st.SymbolicTensor), name: `transfer_${mode}_aug` });
  } else {
    net = st.model({ inputs: base.inputs, outputs: head(base.outputs[0]!), name: `transfer_${mode}` });
  }
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
  ['base frozen + aug', () => transferModel('frozen', true)],
  ['10 % trainable + aug', () => transferModel('top10', true)],
  ['from scratch + aug', () => cnn('scratch_aug', false, true)],
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
    await net.fit(train.x, train.y, { epochs: settings.epochs, batchSize, verbose: 0, seed });
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
console.log(`${pad('training set', 14)}${pad('model', 23)}${pad('trainable params', 18)}${pad('train acc', 11)}${pad('val acc', 9)}fit time`);
for (const r of rows) {
  console.log(`${pad(String(r.size), 14)}${pad(r.model, 23)}${pad(r.trainable.toLocaleString('en-US'), 18)}` +
    `${pad(r.train.toFixed(4), 11)}${pad(r.val.toFixed(4), 9)}${r.seconds.toFixed(1)} s`);
}
// How much each use of the pretrained base gains over training from scratch, per size.
for (const size of settings.sizes) {
  const at = (model: string) => rows.find((r) => r.size === size && r.model === model)!.val;
  const gains = ['base frozen', '10 % trainable', 'from scratch + aug', 'base frozen + aug', '10 % trainable + aug'].map((model) => {
    const gain = (at(model) - at('from scratch')) * 100;
    return `"${model}" ${gain >= 0 ? '+' : '−'}${Math.abs(gain).toFixed(1)}`;
  });
  console.log(`With ${size} images, points of validation accuracy over training from scratch: ${gains.join(', ')}`);
}
console.log(`run time ${seconds(tStart).toFixed(1)} s (pretraining ${pretrainSeconds.toFixed(1)} s)`);

tf.dispose([...pretrainedWeights, newPool.x, newPool.y, newTest.x, newTest.y]);
pretrained.dispose();
for (const m of [probe, ...models]) m.dispose();
