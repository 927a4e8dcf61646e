// Hyperparameter search on the MNIST MLP: TPE over hidden units, dropout, learning rate and
// batch size, two trials at a time on worker threads (each with its own engine), the study
// saved after every trial (run again to resume), TensorBoard logs per trial with their
// hyperparameters. Prints the study table and the best model's test accuracy.
// The full run: 16 trials of 3 epochs on 8,000 training images (2,000 more validate), then
// the best model on the 10,000 test images. `--quick`: 4 trials of 1 epoch on 2,000 images.
import { rmSync } from 'node:fs';
import * as st from 'strata';

const quick = process.argv.includes('--quick');
await st.ready();
process.env.TUNE_MNIST_TRAIN ??= quick ? '2000' : '10000';
const out = quick ? 'out/tune-mnist-quick' : 'out/tune-mnist';
if (quick) rmSync(out, { recursive: true, force: true });

const t0 = performance.now();
const study = await st.tuner.search({
  space: {
    units: st.tuner.choice([64, 128, 256, 512]),
    dropout: st.tuner.quantized(0, 0.5, 0.1),
    lr: st.tuner.logUniform(1e-4, 1e-2),
    batchSize: st.tuner.choice([32, 64, 128, 256]),
  },
  sampler: 'tpe',
  trials: quick ? 4 : 16,
  maxEpochs: quick ? 1 : 3,
  parallel: 2,
  objective: 'val_accuracy',
  seed: 42,
  module: new URL('./_shared/tune_mnist_trial.ts', import.meta.url),
  path: `${out}/study.json`,
  logDir: `${out}/logs`,
});
const seconds = (performance.now() - t0) / 1000;
console.log(`\n${study.table()}\n`);
console.log(`search: ${study.trials.length} trials, ${study.totalEpochs} epochs, ${seconds.toFixed(1)} s (backend ${st.getBackend()})`);

const best = (await study.bestModel())!;
const { xTest, yTest, xTrain, yTrain } = st.datasets.mnist({ flatten: true, trainLimit: 1, ...(quick ? { testLimit: 2000 } : {}) });
const scores = await best.evaluate(xTest, yTest, { batchSize: 512 });
console.log(`best trial ${study.best!.number}: ${JSON.stringify(study.best!.params)}`);
console.log(`best validation accuracy ${study.bestValue!.toFixed(4)}, test accuracy ${scores.accuracy!.toFixed(4)} (${xTest.shape[0]} test images)`);
console.log(`TensorBoard: tensorboard --logdir ${out}/logs`);
st.tf.dispose([xTest, yTest, xTrain, yTrain]);
best.dispose();
