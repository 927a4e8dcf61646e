// Breaking convnets: the MNIST CNN's test accuracy under the fast gradient sign method
// (FGSM, one step) and projected gradient descent (PGD, 10 steps) for growing ε, the
// largest change allowed per pixel (pixels are in [0, 1]). Writes the first test digits
// and their PGD-attacked versions at ε = 0.15 to out/adversarial-mnist.png. `--quick` trains on 2,000 images and attacks 200.
import * as st from 'strata';
import { trainedMnistCnn } from './_shared/mnist_cnn_trained.js';

const quick = process.argv.includes('--quick');
console.log(`backend: ${await st.ready()}`);
const t0 = performance.now();
const { net, xTest, yTest, xTrain } = await trainedMnistCnn(quick);
const { tf } = st;
const n = quick ? 200 : 1000;
const x = tf.slice(xTest, [0, 0, 0, 0], [n, 28, 28, 1]);
const y = tf.slice(yTest, [0], [n]);

function accuracy(xs: st.tf.Tensor): number {
  const p = net.predict(xs, { batchSize: 250 }) as st.tf.Tensor;
  const acc = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(p, 1), tf.cast(y, 'int32')), 'float32')).dataSync()[0]!);
  p.dispose();
  return acc;
}

const epsilons = quick ? [0, 0.1, 0.2] : [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3];
console.log(`\naccuracy on ${n} test digits under attack\n   ε      FGSM     PGD-10`);
let shown: st.tf.Tensor | undefined;
for (const epsilon of epsilons) {
  const adv = st.explain.fgsm(net, x, y, { epsilon });
  const pgd = st.explain.pgd(net, x, y, { epsilon, steps: 10, stepSize: epsilon / 4, seed: 1 });
  console.log(`  ${epsilon.toFixed(2)}   ${accuracy(adv).toFixed(4)}   ${accuracy(pgd).toFixed(4)}`);
  if (epsilon === (quick ? 0.1 : 0.15)) shown = tf.slice(pgd, [0, 0, 0, 0], [6, 28, 28, 1]);
  tf.dispose([adv, pgd]);
}

if (shown) {
  const p = net.predict(shown) as st.tf.Tensor;
  const pred = Array.from(tf.argMax(p, 1).dataSync());
  const truth = Array.from(tf.slice(y, [0], [6]).dataSync());
  const tiles: st.plot.Raster[] = [];
  const captions: string[] = [];
  for (let i = 0; i < 6; i++) {
    const orig = tf.squeeze(tf.slice(x, [i], [1]), [0]);
    const adv = tf.squeeze(tf.slice(shown, [i], [1]), [0]);
    tiles.push(st.plot.imageImage(orig, { scale: 3 }), st.plot.imageImage(adv, { scale: 3 }));
    captions.push(`${truth[i]}`, `seen as ${pred[i]}`);
    tf.dispose([orig, adv]);
  }
  await st.plot.grid(tiles, 'out/adversarial-mnist.png', { columns: 4, labels: captions, title: `PGD-10, ε = ${quick ? 0.1 : 0.15}` });
  console.log('\nwrote out/adversarial-mnist.png');
  tf.dispose([p, shown]);
}
console.log(`time: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
tf.dispose([x, y, xTest, yTest, xTrain]);
net.dispose();
