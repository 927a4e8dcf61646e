// What does the MNIST CNN look at? For a few test digits: vanilla saliency, integrated
// gradients (with its completeness check), Grad-CAM on the last convolution, and Kernel
// SHAP over 4×4-pixel patches — written side by side to out/explain-mnist.png.
// `--quick` trains on 2,000 images and explains 2 digits with a smaller SHAP budget.
import * as st from 'strata';
import { trainedMnistCnn } from './_shared/mnist_cnn_trained.js';

const quick = process.argv.includes('--quick');
console.log(`backend: ${await st.ready()}`);
const t0 = performance.now();
const { net, xTest, yTest, xTrain } = await trainedMnistCnn(quick);
const { tf } = st;

const n = quick ? 2 : 4;
const x = tf.slice(xTest, [0, 0, 0, 0], [n, 28, 28, 1]);
const labels = Array.from(tf.slice(yTest, [0], [n]).dataSync());
const probs = net.predict(x) as st.tf.Tensor;
const predicted = Array.from(tf.argMax(probs, 1).dataSync());

const sal = st.explain.saliency(net, x);
const ig = st.explain.integratedGradients(net, x);
console.log(`integrated gradients, completeness error per digit: ${ig.relativeError.map((e) => `${(100 * e).toFixed(3)} %`).join(', ')}`);
const cam = st.explain.gradCam(net, x, { layer: 'last_conv' });
console.log(`Grad-CAM on '${cam.layer}': maps ${cam.maps.shape.join('×')}`);

// Kernel SHAP over a 7×7 grid of 4×4 patches (49 players), absent patches taken from 8
// training digits.
const segmentation = st.explain.gridSegments(28, 28, 4);
const background = tf.slice(xTrain, [0, 0, 0, 0], [8, 28, 28, 1]);
const shap = await st.explain.kernelShap(net, x, { background, groups: segmentation.labels, nSamples: quick ? 200 : 1000, seed: 1 });

const tiles: st.plot.Raster[] = [];
const captions: string[] = [];
for (let i = 0; i < n; i++) {
  const pick = <T extends st.tf.Tensor>(t: T) => tf.squeeze(tf.slice(t, [i], [1]), [0]);
  const img = pick(x);
  const s = tf.max(pick(sal), -1);
  const a = pick(ig.attributions);
  const c = pick(cam.maps);
  const target = predicted[i]!;
  const patch = shap[i]!.values[target]!;
  const shapMap = tf.tensor2d(Array.from(segmentation.labels, (g) => patch[g]!), [28, 28]);
  tiles.push(
    st.plot.imageImage(img, { scale: 4 }),
    st.plot.heatmapImage(s, { scale: 4 }),
    st.plot.heatmapImage(tf.squeeze(a, [2]), { scale: 4, symmetric: true }),
    st.plot.overlayImage(img, c, { scale: 4, alpha: 0.55 }),
    st.plot.heatmapImage(shapMap, { scale: 4, symmetric: true }),
  );
  captions.push(`${labels[i]} as ${target}`, 'saliency', 'int. grad.', 'grad-cam', 'shap');
  tf.dispose([img, s, a, c, shapMap]);
}
await st.plot.grid(tiles, 'out/explain-mnist.png', { columns: 5, labels: captions, title: 'what the CNN looks at' });
console.log('wrote out/explain-mnist.png');
const worst = Math.max(...ig.relativeError);
console.log(`largest completeness error: ${(100 * worst).toFixed(3)} % (${worst < 0.01 ? 'under' : 'OVER'} 1 %)`);
console.log(`time: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
tf.dispose([x, probs, sal, ig.attributions, cam.maps, background, xTest, yTest, xTrain]);
net.dispose();
