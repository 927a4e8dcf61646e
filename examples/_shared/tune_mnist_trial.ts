// One trial of tune-mnist (and of bench/tuner/hyperband.ts): the MNIST MLP built from the
// trial's hyperparameters, trained on a training subset with a held-out validation part.
// Runs on a worker thread: the module loads its own copy of the data once per worker.
// TUNE_MNIST_TRAIN sets the training samples (the last fifth is the validation set).
import * as st from 'strata';

const trainLimit = Number(process.env.TUNE_MNIST_TRAIN ?? 20000);
const { xTrain, yTrain, xTest, yTest } = st.datasets.mnist({ flatten: true, trainLimit, testLimit: 1 });
st.tf.dispose([xTest, yTest]);
const nVal = Math.floor(trainLimit / 5);
const xFit = st.tf.slice(xTrain, [0, 0], [trainLimit - nVal, 784]);
const yFit = st.tf.slice(yTrain, [0], [trainLimit - nVal]);
const xVal = st.tf.slice(xTrain, [trainLimit - nVal, 0], [nVal, 784]);
const yVal = st.tf.slice(yTrain, [trainLimit - nVal], [nVal]);
st.tf.dispose([xTrain, yTrain]);

/** The MLP of a trial: two hidden layers of `units`, dropout after each; seeded, so a trial repeats exactly. */
export function buildMlp(hp: st.tuner.Params, seed: number) {
  const init = (k: number) => st.initializers.glorotUniform({ seed: seed + k });
  return st.sequential([
    st.layers.input({ shape: [784] }),
    st.layers.dense({ units: hp.units as number, activation: 'relu', kernelInitializer: init(1) }),
    st.layers.dropout({ rate: hp.dropout as number, seed: seed + 100_000 }),
    st.layers.dense({ units: hp.units as number, activation: 'relu', kernelInitializer: init(2) }),
    st.layers.dropout({ rate: hp.dropout as number, seed: seed + 200_000 }),
    st.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(3) }),
  ]);
}

export async function run(hp: st.tuner.Params, trial: st.tuner.Trial) {
  const net = buildMlp(hp, trial.seed);
  net.compile({ optimizer: st.optimizers.adam({ learningRate: hp.lr as number }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return net.fit(xFit, yFit, {
    epochs: trial.epochs, batchSize: hp.batchSize as number, validationData: [xVal, yVal],
    callbacks: trial.callbacks, verbose: 0, seed: trial.seed,
  });
}
