// strata → Keras' data-parallel training → strata. The strata side of a pair: it builds and
// briefly trains a small MNIST convnet in strata, writes it as a Keras 3 `.keras` file with
// its training and test digits as `.npy` arrays, and, once Keras has trained the file under
// `keras.distribution.DataParallel` (examples/keras-distributed/train_distributed.py), loads
// the trained `.keras` back and checks that strata predicts what Keras predicted.
//
//   npm run example -- keras-distributed [--quick]            # step 1: write out/keras-distributed/
//   XLA_FLAGS=--xla_force_host_platform_device_count=2 KERAS_BACKEND=jax \
//     python examples/keras-distributed/train_distributed.py out/keras-distributed   # step 2
//   npm run example -- keras-distributed --check               # step 3: load and compare
//
// `--quick`: 1,000 training images and one strata epoch (a smoke run).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as st from 'strata';

const quick = process.argv.includes('--quick');
const check = process.argv.includes('--check');
const dir = path.join('out', 'keras-distributed');
const backend = await st.ready();
console.log(`backend: ${backend}`);
const { tf } = st;

/** A float32 or int32 tensor as a NumPy `.npy` file (format 1.0, little-endian, C order). */
function writeNpy(file: string, t: st.tf.Tensor): void {
  const descr = t.dtype === 'int32' ? '<i4' : '<f4';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${t.shape.join(', ')}${t.shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const data = t.dataSync();
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

if (!check) {
  const { xTrain, yTrain, xTest, yTest } = st.datasets.mnist({ trainLimit: quick ? 1000 : 12000, testLimit: quick ? 200 : 2000 });
  console.log(`MNIST: ${xTrain.shape[0]} training and ${xTest.shape[0]} test images`);
  const net = st.sequential([
    st.layers.input({ shape: [28, 28, 1] }),
    st.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: st.initializers.heNormal({ seed: 1 }) }),
    st.layers.maxPooling2d({ poolSize: 2 }),
    st.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: st.initializers.heNormal({ seed: 2 }) }),
    // Momentum 0.9: the moving statistics settle within the few steps of a smoke run.
    st.layers.batchNormalization({ momentum: 0.9 }),
    st.layers.globalAveragePooling2d(),
    st.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: 3 }) }),
  ]);
  net.compile({ optimizer: st.optimizers.adam({ learningRate: 2e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const h = await net.fit(xTrain, yTrain, { epochs: 1, batchSize: 64, seed: 1, verbose: 0, validationData: [xTest, yTest] });
  console.log(`strata, 1 epoch: test accuracy ${h.history.val_accuracy!.at(-1)!.toFixed(4)}`);
  fs.mkdirSync(dir, { recursive: true });
  await st.saveModel(net, `file://${path.resolve(dir, 'strata_model.keras')}`);
  const yTrainInt = yTrain.cast('int32');
  const yTestInt = yTest.cast('int32');
  writeNpy(path.join(dir, 'x_train.npy'), xTrain);
  writeNpy(path.join(dir, 'y_train.npy'), yTrainInt);
  writeNpy(path.join(dir, 'x_test.npy'), xTest);
  writeNpy(path.join(dir, 'y_test.npy'), yTestInt);
  console.log(`wrote ${dir}/strata_model.keras and the digits as .npy; now train it with Keras:`);
  console.log(`  XLA_FLAGS=--xla_force_host_platform_device_count=2 KERAS_BACKEND=jax python examples/keras-distributed/train_distributed.py ${dir}`);
  tf.dispose([xTrain, yTrain, xTest, yTest, yTrainInt, yTestInt]);
  net.dispose();
} else {
  const trained = path.join(dir, 'keras_trained.keras');
  const record = path.join(dir, 'keras_predictions.json');
  if (!fs.existsSync(trained) || !fs.existsSync(record)) {
    console.error(`--check needs ${trained} and ${record}: run examples/keras-distributed/train_distributed.py first`);
    process.exit(1);
  }
  const net = await st.loadModel(`file://${path.resolve(trained)}`);
  const r = JSON.parse(fs.readFileSync(record, 'utf8')) as { devices: string[]; n: number; predictions: number[]; labels: number[]; history: Record<string, number[]> };
  console.log(`Keras trained on ${r.devices.length} devices (${r.devices.join(', ')}); its epoch losses: ${r.history.loss!.map((v) => v.toFixed(4)).join(', ')}`);
  const { xTest } = st.datasets.mnist({ trainLimit: 1, testLimit: r.n });
  const p = net.predict(xTest) as st.tf.Tensor;
  const ours = p.dataSync();
  let worst = 0;
  ours.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - r.predictions[i]!)); });
  const classes = p.argMax(-1).dataSync();
  const acc = Array.from(classes).filter((c, i) => c === r.labels[i]).length / r.n;
  console.log(`strata on Keras' trained model: test accuracy ${acc.toFixed(4)} on ${r.n} images`);
  console.log(`largest difference from Keras' predictions: ${worst.toExponential(2)} (${worst <= 1e-4 ? 'within' : 'NOT within'} 1e-4)`);
  tf.dispose([p, xTest]);
  net.dispose();
  if (worst > 1e-4) process.exit(1);
}
