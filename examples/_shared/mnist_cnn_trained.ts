// The MNIST CNN that explain-mnist and adversarial-mnist study: trained once and saved
// under out/models/, then loaded by later runs (delete the folder to retrain). `--quick`
// trains a throwaway copy on 2,000 images and saves nothing.
import { existsSync } from 'node:fs';
import * as st from 'strata';

const DIR = 'out/models/mnist-cnn-explain';

export interface TrainedCnn {
  net: st.Model | st.Sequential;
  xTest: st.tf.Tensor;
  yTest: st.tf.Tensor;
  xTrain: st.tf.Tensor;
  testAccuracy: number;
}

export async function trainedMnistCnn(quick: boolean): Promise<TrainedCnn> {
  const { xTrain, yTrain, xTest, yTest } = st.datasets.mnist(quick ? { trainLimit: 2000, testLimit: 500 } : {});
  let net: st.Model | st.Sequential;
  if (!quick && existsSync(`${DIR}/model.json`)) {
    net = (await st.loadModel(`file://${DIR}/model.json`)) as st.Model;
    console.log(`loaded the trained CNN from ${DIR}`);
  } else {
    const he = (seed: number) => st.initializers.heUniform({ seed });
    net = st.sequential([
      st.layers.input({ shape: [28, 28, 1] }),
      st.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: he(1) }),
      st.layers.maxPooling2d({ poolSize: 2 }),
      st.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: he(2), name: 'last_conv' }),
      st.layers.maxPooling2d({ poolSize: 2 }),
      st.layers.flatten(),
      st.layers.dense({ units: 128, activation: 'relu', kernelInitializer: he(3) }),
      st.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: 4 }) }),
    ]);
    net.compile({ optimizer: st.optimizers.adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const t0 = performance.now();
    await net.fit(xTrain, yTrain, { epochs: 1, batchSize: 64, seed: 1, verbose: 0 });
    console.log(`trained the CNN for 1 epoch on ${xTrain.shape[0]} images in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    if (!quick) await net.save(`file://${DIR}`);
  }
  const probs = net.predict(xTest, { batchSize: 500 }) as st.tf.Tensor;
  const testAccuracy = st.tf.tidy(() => st.tf.mean(st.tf.cast(st.tf.equal(st.tf.argMax(probs, 1), st.tf.cast(yTest, 'int32')), 'float32')).dataSync()[0]!);
  probs.dispose();
  yTrain.dispose();
  console.log(`test accuracy: ${testAccuracy.toFixed(4)} on ${xTest.shape[0]} images`);
  return { net, xTest, yTest, xTrain, testAccuracy };
}
